"""CSRF protection: a token bound to the session, required in every form post.

The session cookie is signed and HttpOnly, so another site can neither read nor forge the token
it holds; a post must carry the same token in its ``csrf_token`` field (or, for scripts, the
``X-CSRF-Token`` header). Signing in issues a fresh token, so a token seen before sign-in is
worth nothing after it.
"""

from __future__ import annotations

import secrets
from typing import Final

from starlette.requests import Request

CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
_SESSION_KEY: Final = "csrf"


def csrf_token(request: Request) -> str:
    token = request.session.get(_SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_KEY] = token
    return token


def rotate_csrf_token(request: Request) -> str:
    request.session[_SESSION_KEY] = secrets.token_urlsafe(32)
    return csrf_token(request)


def csrf_valid(request: Request, submitted: object) -> bool:
    expected = request.session.get(_SESSION_KEY)
    if not isinstance(expected, str) or not isinstance(submitted, str) or not submitted:
        return False
    return secrets.compare_digest(expected.encode(), submitted.encode())

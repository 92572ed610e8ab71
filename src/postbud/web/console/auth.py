"""Signing in to the console with the admin token, and out again.

The session remembers a fingerprint of the token, so a new admin token signs every console out.
Signing in keeps the rest of the session (a recipient signed in to the inbox stays so) and issues
a fresh CSRF token.
"""

from __future__ import annotations

import secrets
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.web.console import paths
from postbud.web.console.render import page
from postbud.web.console.state import SESSION_KEY, admin_signed_in, console_state, token_fingerprint
from postbud.web.context import web_context
from postbud.web.csrf import rotate_csrf_token
from postbud.web.forms import text_field
from postbud.web.navigation import see_other

MAX_TOKEN_LENGTH: Final = 500


def _sign_in_page(request: Request, next_url: str, *, problem: str | None = None) -> Response:
    context = {"next_url": next_url, "problem": problem}
    return page(request, "console/sign_in.html", context, status=400 if problem else 200)


async def sign_in_page(request: Request) -> Response:
    next_url = paths.safe_next(request.query_params.get("next"))
    if admin_signed_in(request):
        return see_other(next_url)
    return _sign_in_page(request, next_url)


async def sign_in(request: Request, form: FormData) -> Response:
    next_url = paths.safe_next(text_field(form, "next"))
    token = text_field(form, "token", max_length=MAX_TOKEN_LENGTH) or ""
    admin_token = console_state(request).admin_token
    if not secrets.compare_digest(token.encode(), admin_token.encode()):
        problem = web_context(request).pages.text(request, "console.signin_failed")
        return _sign_in_page(request, next_url, problem=problem)
    request.session[SESSION_KEY] = token_fingerprint(admin_token)
    rotate_csrf_token(request)
    return see_other(next_url)


async def sign_out(request: Request, form: FormData) -> Response:
    request.session.pop(SESSION_KEY, None)
    rotate_csrf_token(request)
    return see_other(paths.SIGN_IN)

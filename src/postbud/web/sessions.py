"""Sessions: a signed cookie (itsdangerous, by Starlette's SessionMiddleware), with its key on disk.

The session holds little: who is signed in and at which level, the CSRF token, the language. It
is HttpOnly and SameSite=Lax, Secure when Postbud is served over https, and lasts a working day.
The signing key is made once and kept in the data folder (mode 0600), so sessions survive a
restart; nodes that serve the same inbox share the folder or the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware

from postbud.config import Settings
from postbud.secret_files import secret_token

SESSION_COOKIE: Final = "postbud_session"
SESSION_MAX_AGE: Final = 8 * 3600
SECRET_FILE: Final = "web-session-secret"


def session_secret(data_dir: Path) -> str:
    return secret_token(data_dir / SECRET_FILE, nbytes=48)


def session_middleware(settings: Settings) -> Middleware:
    return Middleware(
        SessionMiddleware,
        secret_key=session_secret(settings.ensure_data_dir()),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=settings.resolved_public_url.startswith("https://"),
    )

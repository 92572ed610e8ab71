"""One way to build a web sub-app (the inbox, the console): the same middleware and error pages.

Outermost first: security headers, the signed session, the language. Errors become pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from postbud.domain.errors import NotFound
from postbud.web.context import WebContext
from postbud.web.errors import http_exception_page, not_found_page, server_error_page
from postbud.web.i18n import LanguageMiddleware
from postbud.web.security import SecurityHeadersMiddleware
from postbud.web.sessions import session_middleware
from postbud.web.templating import STATIC_DIR

STATIC_CACHE_CONTROL = "public, max-age=86400"


def web_app(context: WebContext, routes: Sequence[BaseRoute]) -> Starlette:
    app = Starlette(
        routes=list(routes),
        middleware=[
            Middleware(SecurityHeadersMiddleware),
            session_middleware(context.settings),
            Middleware(LanguageMiddleware),
        ],
        exception_handlers={
            HTTPException: http_exception_page,
            NotFound: not_found_page,
            Exception: server_error_page,
        },
    )
    app.state.web = context
    return app


def static_app() -> ASGIApp:
    """The stylesheet, icons and vendored htmx; URLs carry a content hash, so they may be cached."""
    return SecurityHeadersMiddleware(StaticFiles(directory=STATIC_DIR), cache_control=STATIC_CACHE_CONTROL)

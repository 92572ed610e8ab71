"""Error pages: the same calm page for every failure, in the reader's language.

A letter that is someone else's and a letter that does not exist give the same 404 page, word
for word, so an id in a URL can never be used to learn whether a letter exists.
"""

from __future__ import annotations

from typing import Final

import structlog
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import NotFound
from postbud.web.context import web_context

log = structlog.get_logger(__name__)

_TITLES: Final = {
    400: "error.bad_request",
    403: "error.forbidden",
    404: "error.not_found",
    405: "error.bad_request",
    409: "error.conflict",
    413: "error.too_large",
    503: "error.unavailable",
}


def error_page(request: Request, status: int, message: str | None = None) -> Response:
    """``message`` is shown under the title; it must not reveal anything the reader may not know."""
    pages = web_context(request).pages
    title = pages.text(request, _TITLES.get(status, "error.server"))
    context = {"status": status, "title": title, "message": message}
    return pages.render(request, "error.html", context, status=status)


async def http_exception_page(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    return error_page(request, status)


async def not_found_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotFound)
    return error_page(request, 404, web_context(request).pages.text(request, "error.not_found_detail"))


async def server_error_page(request: Request, exc: Exception) -> Response:
    log.exception("web request failed", path=request.url.path, exc_info=exc)
    return error_page(request, 500, web_context(request).pages.text(request, "error.server_detail"))

"""Form posts: size-limited, and refused (403, nothing done) without the session's CSRF token.

Every state-changing route of the web pages is a ``form_route``: the check is part of how a
route is declared, so a handler cannot forget it. The body limit is enforced on the bytes as they
arrive, whether or not the client sent a Content-Length.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from python_multipart.exceptions import FormParserError
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Message, Receive

from postbud.web.context import web_context
from postbud.web.csrf import CSRF_FIELD, CSRF_HEADER, csrf_valid
from postbud.web.errors import error_page

DEFAULT_FORM_BYTES: Final = 64 * 1024
# Room for the multipart framing and the other fields around an upload of the allowed size.
UPLOAD_OVERHEAD: Final = 64 * 1024

FormHandler = Callable[[Request, FormData], Awaitable[Response]]


class BodyTooLarge(Exception):
    pass


def _limited(receive: Receive, limit: int) -> Receive:
    received = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge()
        return message

    return limited_receive


def _declared_length(request: Request) -> int | None:
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None


def upload_limit(request: Request) -> int:
    return web_context(request).max_upload_bytes + UPLOAD_OVERHEAD


def form_route(
    path: str, handler: FormHandler, *, max_bytes: int | Callable[[Request], int] = DEFAULT_FORM_BYTES
) -> Route:
    """A POST route whose handler receives the parsed form, only after the CSRF token checked out."""

    async def endpoint(request: Request) -> Response:
        limit = max_bytes(request) if callable(max_bytes) else max_bytes
        declared = _declared_length(request)
        if declared is not None and declared > limit:
            return error_page(
                request, 413, web_context(request).pages.text(request, "error.too_large_detail")
            )
        bounded = Request(request.scope, _limited(request.receive, limit))
        try:
            form = await bounded.form(max_files=20, max_fields=200, max_part_size=limit)
        except BodyTooLarge:
            return error_page(
                request, 413, web_context(request).pages.text(request, "error.too_large_detail")
            )
        except (MultiPartException, FormParserError):
            return error_page(request, 400)
        try:
            token = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
            if not csrf_valid(request, token):
                detail = web_context(request).pages.text(request, "error.csrf_detail")
                return error_page(request, 403, detail)
            return await handler(request, form)
        finally:
            await form.close()

    return Route(path, endpoint, methods=["POST"])


def text_field(form: FormData, name: str, *, max_length: int = 1000) -> str | None:
    """A text field's stripped value; a file, an over-long value or an empty one counts as absent."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and len(value) <= max_length else None

"""The request bins' receiving end, ``/sandbox/bins/{name}`` on Postbud's own port (sandbox only):
every request, whatever its method, is kept for the console to show; the answer is a small JSON."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from postbud.domain.errors import ValidationFailed
from postbud.services.runtime import Runtime
from postbud.webhooks.request_bin import BIN_PATH, MAX_BODY_BYTES, receive

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class _TooLarge(Exception):
    pass


async def _body(request: Request) -> bytes:
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY_BYTES:
            raise _TooLarge
    return bytes(data)


def request_bin_app(runtime_of: Callable[[], Runtime]) -> Starlette:
    async def endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            body = await _body(request)
        except _TooLarge:
            return JSONResponse({"error": f"a bin keeps requests of at most {MAX_BODY_BYTES} bytes"}, 413)
        try:
            kept = await receive(
                runtime_of(),
                name,
                method=request.method,
                url=str(request.url),
                headers=dict(request.headers.items()),
                body=body,
            )
        except ValidationFailed as exc:
            error = exc.errors[0]
            return JSONResponse({"error": f"the bin's {error.field}: {error.rule}"}, 400)
        return JSONResponse({"bin": name, "received": str(kept.id), "signature": kept.signature})

    return Starlette(routes=[Route("/{name}", endpoint, methods=METHODS)])


__all__ = ["BIN_PATH", "request_bin_app"]

"""Console handlers need the admin: anyone else is sent to sign in (or, for a feed, refused)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.web.console import paths
from postbud.web.console.state import admin_signed_in
from postbud.web.forms import FormHandler
from postbud.web.navigation import see_other

Endpoint = Callable[[Request], Awaitable[Response]]


def _here(request: Request) -> str:
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


def admin_page(handler: Endpoint) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if not admin_signed_in(request):
            return see_other(paths.sign_in(_here(request)))
        return await handler(request)

    return endpoint


def admin_data(handler: Endpoint) -> Endpoint:
    """For what scripts fetch (the feed, page images, fragments): 401 rather than a sign-in page."""

    async def endpoint(request: Request) -> Response:
        if not admin_signed_in(request):
            return Response(status_code=401, headers={"cache-control": "no-store"})
        return await handler(request)

    return endpoint


def admin_action(handler: FormHandler) -> FormHandler:
    async def endpoint(request: Request, form: FormData) -> Response:
        if not admin_signed_in(request):
            return see_other(paths.sign_in())
        return await handler(request, form)

    return endpoint

"""Inbox handlers that need a signed-in recipient; anyone else is sent to sign in first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.web.forms import FormHandler
from postbud.web.inbox import paths
from postbud.web.navigation import see_other
from postbud.web.signin import Identity, signed_in

PageHandler = Callable[[Request, Identity], Awaitable[Response]]
ActionHandler = Callable[[Request, FormData, Identity], Awaitable[Response]]


def _here(request: Request) -> str:
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path


def signed_in_page(handler: PageHandler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        identity = signed_in(request)
        if identity is None:
            return see_other(paths.sign_in(_here(request)))
        return await handler(request, identity)

    return endpoint


def signed_in_action(handler: ActionHandler) -> FormHandler:
    async def endpoint(request: Request, form: FormData) -> Response:
        identity = signed_in(request)
        if identity is None:
            return see_other(paths.sign_in())
        return await handler(request, form, identity)

    return endpoint

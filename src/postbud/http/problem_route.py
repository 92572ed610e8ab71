"""A FastAPI route class that answers an API's errors with that API's problem details.

Scoped to the routes of one router, so the APIs mounted on the same app keep their own error
formats: the platform API, Altinn and any other JSON dialect each pass their own ``answer``.

It also answers a method its route does not take with every method the path takes: Starlette
answers with the methods of the first route of the path it found (``Allow: PUT`` where GET, PUT
and POST take the path), and OPTIONS with a 405. Here OPTIONS is a 204 and any other method a 405,
both with an ``Allow`` that names the methods the app's OpenAPI description gives that path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"})
ErrorAnswer = Callable[[Exception], Response | None]
"""The response for an error, or None for an error this API does not answer (it propagates)."""


def _specificity(template: str) -> tuple[int, ...]:
    """Literal segments rank before parameters, left to right (``/webhooks/deliveries`` before
    ``/webhooks/{id}``)."""
    return tuple(1 if segment.startswith("{") else 0 for segment in template.split("/"))


def allowed_methods(scope: Scope) -> list[str]:
    """The methods the app's OpenAPI description gives the request's path, OPTIONS among them.

    A path several templates match belongs to the most specific of them, as OpenAPI has it."""
    path = Request(scope).url.path
    paths: dict[str, dict[str, Any]] = scope["app"].openapi().get("paths", {})
    matching = [
        template
        for template in paths
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path)
    ]
    if not matching:
        return ["OPTIONS"]
    best = min(_specificity(t) for t in matching)
    taken = {
        method.upper()
        for template in matching
        if _specificity(template) == best
        for method in paths[template]
        if method.upper() in _METHODS
    }
    return sorted(taken | {"OPTIONS"})


def problem_route(answer: ErrorAnswer) -> type[APIRoute]:
    """A route class whose handler turns the errors ``answer`` knows into its responses."""

    class ProblemRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def handler(request: Request) -> Response:
                try:
                    return await handle(request)
                except Exception as exc:
                    response = answer(exc)
                    if response is None:
                        raise
                    return response

            return handler

        async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["method"] in (self.methods or ()):
                await super().handle(scope, receive, send)
                return
            allow = ", ".join(allowed_methods(scope))
            response: Response | None
            if scope["method"] == "OPTIONS":
                response = Response(status_code=204, headers={"Allow": allow})
            else:
                refused = HTTPException(405, f"{scope['method']} is not allowed here; use {allow}")
                response = answer(refused)
                if response is None:
                    raise HTTPException(405, headers={"Allow": allow})
                response.headers["Allow"] = allow
            await response(scope, receive, send)

    return ProblemRoute

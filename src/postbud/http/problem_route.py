"""A FastAPI route class that answers an API's errors with that API's problem details.

Scoped to the routes of one router, so the APIs mounted on the same app keep their own error
formats: the platform API, Altinn and any other JSON dialect each pass their own ``answer``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

ErrorAnswer = Callable[[Exception], Response | None]
"""The response for an error, or None for an error this API does not answer (it propagates)."""


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

    return ProblemRoute

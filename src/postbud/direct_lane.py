"""A direct lane for the send endpoints, in front of the application's full middleware stack.

A send passes through the request context (id, log line, metrics) and the shared-settings refresh,
then straight into its route, as it would after routing and mounting; it skips FastAPI's error,
telemetry, body-limit, exception and exit-stack layers and the router's matching, which together
cost about as much CPU as storing the letter. That is safe only for endpoints that answer every
failure themselves (the Digipost dialect's guarded endpoints do: each error is a signed ``error``
element) and enforce their own body limit. Everything else takes the full stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from postbud.observability import RequestContextMiddleware
from postbud.services.runtime import Runtime
from postbud.shared_settings import SharedSettingsMiddleware


class DirectLane:
    def __init__(
        self,
        app: ASGIApp,
        routes: dict[tuple[str, str], tuple[str, Route]],
        runtime_of: Callable[[], Runtime | None],
    ) -> None:
        self.app = app
        self._routes = routes
        self._lane = RequestContextMiddleware(SharedSettingsMiddleware(self._endpoint, runtime_of))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and not scope.get("root_path")
            and (scope["method"], scope["path"]) in self._routes
        ):
            await self._lane(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _endpoint(self, scope: Scope, receive: Receive, send: Send) -> None:
        prefix, route = self._routes[(scope["method"], scope["path"])]
        # What the mount and the router would have put in the scope.
        scope["app_root_path"] = ""
        scope["root_path"] = prefix
        scope["path_params"] = {}
        scope["endpoint"] = route.endpoint
        scope["route"] = route
        await route.app(scope, receive, send)


class PostbudApp(FastAPI):
    """FastAPI with a `DirectLane` for the routes given to `add_direct_route`."""

    def __init__(self, *, runtime_of: Callable[[], Runtime | None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._direct_routes: dict[tuple[str, str], tuple[str, Route]] = {}
        self._runtime_of = runtime_of

    def add_direct_route(self, prefix: str, route: Route) -> None:
        """Serve ``route`` of an app mounted at ``prefix`` through the direct lane as well."""
        for method in route.methods or ():
            self._direct_routes[(method, prefix + route.path)] = (prefix, route)

    def build_middleware_stack(self) -> ASGIApp:
        return DirectLane(super().build_middleware_stack(), self._direct_routes, self._runtime_of)

"""A direct lane for the hottest endpoints, in front of the application's full middleware stack.

A request the lane takes passes through the same application layers as any other — the Date header,
the shared-settings refresh, the request context (id, log line, metrics) — then straight into its
route with the scope the mount and the routers would have given it; it skips FastAPI's error,
telemetry, body-limit, exception and exit-stack layers, the routers' matching and the mounted
app's own error, exception and slash layers, which together cost about as much CPU as storing the
letter. That is safe only for endpoints that answer every failure themselves (the dialects' guarded
endpoints do: each error in the dialect's own format) and enforce their own body limit or have
none above them (the application sets none). Everything else takes the full stack, and so does:

* a request with an ``Origin`` header (a dialect's CORS layer answers those);
* a request with a ``root_path`` (served behind a path prefix);
* a request on a dialect's own port (``postbud serve --ekopost-port``) unless it is one of that
  port's own direct routes, at the root; a mounted route is never served there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from postbud.date_header import DateHeaderMiddleware
from postbud.observability import RequestContextMiddleware
from postbud.services.runtime import Runtime
from postbud.shared_settings import SharedSettingsMiddleware

_ORIGIN = b"origin"
_Hit = tuple[str, Route, dict[str, Any]]


class LaneRoutes:
    """Routes the lane serves, each with the path it is mounted at: by method and exact path, or
    (routes with path parameters) by the route's own pattern, in the order they were added."""

    def __init__(self) -> None:
        self._fixed: dict[tuple[str, str], tuple[str, Route]] = {}
        self._patterns: dict[str, list[tuple[str, Route]]] = {}

    def add(self, prefix: str, route: Route) -> None:
        for method in route.methods or ():
            if route.param_convertors:
                self._patterns.setdefault(method, []).append((prefix, route))
            else:
                self._fixed[(method, prefix + route.path)] = (prefix, route)

    def match(self, method: str, path: str) -> _Hit | None:
        """The route for ``method`` and ``path``, its prefix and its path parameters, converted as
        the route's router converts them; None if the lane does not serve it."""
        fixed = self._fixed.get((method, path))
        if fixed is not None:
            return fixed[0], fixed[1], {}
        for prefix, route in self._patterns.get(method, ()):
            if not path.startswith(prefix):
                continue
            found = route.path_regex.match(path[len(prefix) :])
            if found is not None:
                convert = route.param_convertors
                return (
                    prefix,
                    route,
                    {key: convert[key].convert(value) for key, value in found.groupdict().items()},
                )
        return None


class DirectLane:
    def __init__(
        self,
        app: ASGIApp,
        routes: LaneRoutes,
        by_port: dict[int, LaneRoutes],
        runtime_of: Callable[[], Runtime | None],
    ) -> None:
        self.app = app
        self._routes = routes
        self._by_port = by_port
        self._lane = DateHeaderMiddleware(
            SharedSettingsMiddleware(RequestContextMiddleware(self._endpoint), runtime_of)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hit = self._hit(scope) if scope["type"] == "http" and not scope.get("root_path") else None
        if hit is None:
            await self.app(scope, receive, send)
            return
        prefix, route, path_params = hit
        # What the mount and the routers would have put in the scope.
        if prefix:
            scope["app_root_path"] = ""
        scope["root_path"] = prefix
        scope["path_params"] = path_params
        scope["endpoint"] = route.endpoint
        scope["route"] = route
        await self._lane(scope, receive, send)

    def _hit(self, scope: Scope) -> _Hit | None:
        server = scope.get("server")
        routes = self._by_port.get(server[1], self._routes) if server else self._routes
        hit = routes.match(scope["method"], scope["path"])
        if hit is None or any(name == _ORIGIN for name, _ in scope["headers"]):
            return None
        return hit

    async def _endpoint(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["route"].app(scope, receive, send)


class PostbudApp(FastAPI):
    """FastAPI with a `DirectLane` for the routes given to `add_direct_route`."""

    def __init__(self, *, runtime_of: Callable[[], Runtime | None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._direct_routes = LaneRoutes()
        self._direct_by_port: dict[int, LaneRoutes] = {}
        self._runtime_of = runtime_of

    def add_direct_route(self, prefix: str, route: Route) -> None:
        """Serve ``route`` of an app mounted at ``prefix`` through the direct lane as well."""
        self._direct_routes.add(prefix, route)

    def add_direct_port(self, port: int, routes: Iterable[Route]) -> None:
        """Requests on ``port`` (a dialect's own port) take the lane only for ``routes``, at the root."""
        on_port = self._direct_by_port.setdefault(port, LaneRoutes())
        for route in routes:
            on_port.add("", route)

    def build_middleware_stack(self) -> ASGIApp:
        return DirectLane(
            super().build_middleware_stack(), self._direct_routes, self._direct_by_port, self._runtime_of
        )

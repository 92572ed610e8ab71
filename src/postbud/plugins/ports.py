"""A dialect at the root of a port of its own, served by the same application and process.

Some published clients hard-code root paths on their own host (Ekopost's ``/campaigns``). The
server listens on that port as well; requests that arrive on it go to the dialect's own-port app,
after the application's request context, shared settings and Date header, like any other request.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import ASGIApp, Receive, Scope, Send


def ports_to_apps(ports: Mapping[str, int], apps: Mapping[str, ASGIApp]) -> dict[int, ASGIApp]:
    """``{port: app}`` for ``ports`` (dialect name → port); ValueError for a dialect without one."""
    by_port: dict[int, ASGIApp] = {}
    for name, port in ports.items():
        if name not in apps:
            raise ValueError(f"the {name} dialect has no app for a port of its own")
        if port in by_port:
            raise ValueError(f"port {port} is given to two dialects")
        by_port[port] = apps[name]
    return by_port


class DialectPorts:
    """ASGI middleware: a request on a dialect's port goes to that dialect's app, any other on."""

    def __init__(self, app: ASGIApp, by_port: Mapping[int, ASGIApp]) -> None:
        self.app = app
        self._by_port = dict(by_port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and (server := scope.get("server")):
            target = self._by_port.get(server[1])
            if target is not None:
                await target(scope, receive, send)
                return
        await self.app(scope, receive, send)

"""The one list of dialects, and how they are wired into the application and its workers.

Adding a dialect is one line in ``DIALECTS``. ``create_app`` mounts each one's routes, every worker
runs each one's job kinds, and webhook delivery renders with each one's renderers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field

from starlette.routing import Route
from starlette.types import ASGIApp

from postbud.dialects.altinn.plugin import AltinnPlugin
from postbud.dialects.digipost.plugin import DigipostPlugin
from postbud.dialects.ekopost.plugin import EkopostPlugin
from postbud.direct_lane import PostbudApp
from postbud.jobs.handlers import core_handlers
from postbud.jobs.registry import JobHandler
from postbud.plugins.protocol import Dialect, RuntimeOf
from postbud.storage.job_kinds import WEBHOOK_DELIVER
from postbud.webhooks import deliver as webhook_delivery
from postbud.webhooks.formats import WebhookFormats

DIALECTS: tuple[Callable[[], Dialect], ...] = (DigipostPlugin, EkopostPlugin, AltinnPlugin)
"""Every dialect this build serves, in the order their routes are matched."""


@dataclass(frozen=True, slots=True)
class Installed:
    """What installing the dialects on an application left to do or to serve."""

    startups: tuple[Callable[[], Awaitable[None]], ...] = ()
    own_port_apps: Mapping[str, ASGIApp] = field(default_factory=dict)
    """Dialect name → its app for a port of its own (``postbud serve --<name>-port``)."""
    mount_paths: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Dialect name → where it is mounted (``/digipost``): what the home page and banner show."""
    own_port_direct_routes: Mapping[str, tuple[Route, ...]] = field(default_factory=dict)
    """Dialect name → the routes of its own-port app served through the direct lane on that port."""


class DialectRegistry:
    def __init__(self, dialects: Iterable[Dialect]) -> None:
        self.dialects = tuple(dialects)
        names = [d.name for d in self.dialects]
        if len(set(names)) != len(names):
            raise ValueError(f"a dialect is registered twice: {names}")

    def by_name(self, name: str) -> Dialect | None:
        return next((d for d in self.dialects if d.name == name), None)

    def webhook_formats(self) -> WebhookFormats:
        formats = WebhookFormats()
        for dialect in self.dialects:
            for format, renderer in dialect.webhook_renderers().items():
                formats = formats.with_renderer(format, renderer)
        return formats

    def job_handlers(self) -> dict[str, JobHandler]:
        """The core's job kinds and every dialect's; webhook delivery renders with the dialects'."""
        handlers = core_handlers()
        for dialect in self.dialects:
            for kind, handler in dialect.job_handlers().items():
                if kind in handlers:
                    raise ValueError(f"the {dialect.name} dialect's job kind {kind!r} is taken")
                handlers[kind] = handler
        handlers[WEBHOOK_DELIVER] = webhook_delivery.job_handler(self.webhook_formats())
        return handlers

    def install(self, app: PostbudApp, runtime_of: RuntimeOf) -> Installed:
        """Mount every dialect's routes on ``app``; call before the app's own routers are added, so
        a dialect's requests are matched first (a send is routed without trying every API route)."""
        startups: list[Callable[[], Awaitable[None]]] = []
        own_ports: dict[str, ASGIApp] = {}
        own_port_direct: dict[str, tuple[Route, ...]] = {}
        mount_paths: dict[str, tuple[str, ...]] = {}
        for dialect in self.dialects:
            routes = dialect.routes(runtime_of)
            mount_paths[dialect.name] = tuple(mount.path for mount in routes.mounts)
            for mount in routes.mounts:
                app.mount(mount.path, mount.app)
                for route in mount.direct_routes:
                    app.add_direct_route(mount.path, route)
            app.router.routes.extend(routes.root_routes)
            if routes.startup is not None:
                startups.append(routes.startup)
            if routes.own_port_app is not None:
                own_ports[dialect.name] = routes.own_port_app
                own_port_direct[dialect.name] = routes.own_port_direct_routes
        return Installed(tuple(startups), own_ports, mount_paths, own_port_direct)


def default_dialects() -> DialectRegistry:
    return DialectRegistry(factory() for factory in DIALECTS)

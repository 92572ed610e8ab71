"""What a dialect is to the rest of Postbud: its routes, its job kinds, its webhook renderers, and the
credentials it authenticates senders with.

A dialect is wire in, wire out: it parses its clients' requests, calls core use cases, and answers in
its own vocabulary. The registry (``postbud.plugins.registry``) mounts its routes on the application,
adds its job kinds to every worker and its renderers to webhook delivery; nothing else names a
dialect. A dialect authenticates its own clients (a signature, an API key, a token) and asks the
core who the sender is (``services/parties/credentials.py``), by the credential kinds it declares.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from postbud.domain.sender_credentials import CredentialKind
from postbud.domain.webhook_formats import WebhookFormat
from postbud.jobs.registry import JobHandler
from postbud.services.runtime import Runtime
from postbud.webhooks.formats import Renderer

RuntimeOf = Callable[[], Runtime]
"""The running application's runtime; it exists once the application has started, not before."""


@dataclass(frozen=True, slots=True)
class Mount:
    """An ASGI app served under ``path`` (``/digipost``, ``/ekopost``, ``/correspondence/api/v1``)."""

    path: str
    app: ASGIApp
    direct_routes: tuple[Route, ...] = ()
    """Routes of ``app`` also served through the direct lane (``postbud.direct_lane``): only routes
    that answer every failure themselves and enforce their own body limit."""


@dataclass(frozen=True, slots=True)
class DialectRoutes:
    mounts: tuple[Mount, ...] = ()
    root_routes: tuple[BaseRoute, ...] = ()
    """Routes at the host root, matched before the platform API (Digipost's entrypoints, which its
    clients resolve against the host root whatever their base URL's path)."""
    own_port_app: ASGIApp | None = None
    """The dialect at the root of a port of its own, for clients with hard-coded root paths (Ekopost:
    ``postbud serve --ekopost-port``)."""
    own_port_direct_routes: tuple[Route, ...] = ()
    """Routes of ``own_port_app`` also served through the direct lane on that port (as
    ``Mount.direct_routes``)."""
    startup: Callable[[], Awaitable[None]] | None = None
    """Run once when the application starts, before it takes requests (make keys, warm caches)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """How a dialect authenticates a sender's client: the credential kinds it reads."""

    kinds: frozenset[CredentialKind] = field(default_factory=frozenset)
    description: str = ""


class Dialect(Protocol):
    """One API dialect. Implementations are small classes in ``dialects/<name>/plugin.py``."""

    @property
    def name(self) -> str:
        """As shipments and credentials record it: ``digipost``, ``ekopost``, ``altinn``."""
        ...

    @property
    def credentials(self) -> Credentials: ...

    def routes(self, runtime_of: RuntimeOf) -> DialectRoutes:
        """Build the dialect's ASGI apps; called once per application."""
        ...

    def job_handlers(self) -> Mapping[str, JobHandler]:
        """Job kinds of the dialect's own (named ``<dialect>.<what>``), run by every worker."""
        ...

    def webhook_renderers(self) -> Mapping[WebhookFormat, Renderer]:
        """How the dialect renders events for the formats it owns (Ekopost: ``ekopost``; Altinn:
        ``cloudevents``); the signing stays the core's."""
        ...

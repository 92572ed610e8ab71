"""The Altinn Correspondence dialect as a plug-in: its API at the real service's own path."""

from __future__ import annotations

from collections.abc import Mapping

from postbud.dialects.altinn import events
from postbud.dialects.altinn.app import create_altinn_app
from postbud.dialects.altinn.events_api_http import events_api_routes
from postbud.dialects.altinn.token_routes import token_routes
from postbud.domain.webhook_formats import WebhookFormat
from postbud.jobs.registry import JobHandler
from postbud.plugins.protocol import Credentials, DialectRoutes, Mount, RuntimeOf
from postbud.webhooks.formats import Renderer

PATH = "/correspondence/api/v1"


class AltinnPlugin:
    name = "altinn"
    credentials = Credentials(
        frozenset(),
        "A JWT bearer token (Altinn's, Maskinporten's or Postbud's sandbox issuer's) names the calling "
        "organisation or person; a sender is the owner of the resource it sends for.",
    )

    def routes(self, runtime_of: RuntimeOf) -> DialectRoutes:
        app = create_altinn_app(runtime_of)
        return DialectRoutes(
            mounts=(Mount(PATH, app, tuple(app.state.direct_routes)),),
            # The sandbox issuer's OpenID configuration, JWKS and token exchange, at Altinn's own paths.
            # Altinn Events' subscription API, at its own path too.
            root_routes=(*token_routes(runtime_of), *events_api_routes(runtime_of)),
        )

    def job_handlers(self) -> Mapping[str, JobHandler]:
        return {}

    def webhook_renderers(self) -> Mapping[WebhookFormat, Renderer]:
        return {WebhookFormat.CLOUDEVENTS: events.render}

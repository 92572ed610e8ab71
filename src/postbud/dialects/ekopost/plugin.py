"""The Ekopost dialect as a plug-in: mounted at ``/ekopost``, and the same app for a port of its own."""

from __future__ import annotations

from collections.abc import Mapping

from postbud.dialects.ekopost.app import create_ekopost_app
from postbud.dialects.ekopost.context import DIALECT
from postbud.dialects.ekopost.webhook import campaign_completed
from postbud.domain.sender_credentials import CredentialKind
from postbud.domain.webhook_formats import WebhookFormat
from postbud.jobs.registry import JobHandler
from postbud.plugins.protocol import Credentials, DialectRoutes, Mount, RuntimeOf
from postbud.webhooks.formats import Renderer

PATH = "/ekopost"


class EkopostPlugin:
    name = DIALECT
    credentials = Credentials(
        frozenset({CredentialKind.API_KEY, CredentialKind.BASIC_LOGIN}),
        "Authorization: api-key KEY (the sender's API key or an Ekopost key), or Basic with the "
        "sender's organisation number and API key (or an Ekopost Basic login).",
    )

    def routes(self, runtime_of: RuntimeOf) -> DialectRoutes:
        app = create_ekopost_app(runtime_of)
        direct = tuple(app.state.direct_routes)
        return DialectRoutes(
            mounts=(Mount(PATH, app, direct),), own_port_app=app, own_port_direct_routes=direct
        )

    def job_handlers(self) -> Mapping[str, JobHandler]:
        return {}

    def webhook_renderers(self) -> Mapping[WebhookFormat, Renderer]:
        return {WebhookFormat.EKOPOST: campaign_completed}

"""The Digipost dialect as a plug-in: mounted at ``/digipost``, with its entrypoints at the host root."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from postbud.dialects.digipost.app import create_digipost_app
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.host_root import host_root_routes
from postbud.domain.sender_credentials import CredentialKind
from postbud.domain.webhook_formats import WebhookFormat
from postbud.jobs.registry import JobHandler
from postbud.plugins.protocol import Credentials, DialectRoutes, Mount, RuntimeOf
from postbud.webhooks.formats import Renderer

PATH = "/digipost"


class DigipostPlugin:
    name = "digipost"
    credentials = Credentials(
        frozenset({CredentialKind.CERTIFICATE}),
        "X-Digipost-UserId names the broker's numeric id; each request is signed with the key of the "
        "certificate registered for it.",
    )

    def routes(self, runtime_of: RuntimeOf) -> DialectRoutes:
        digipost = create_digipost_app(runtime_of)
        dialect: DigipostDialect = digipost.state.dialect

        async def make_server_key() -> None:
            # The dialect's signing key is made on first use; not during someone's request.
            await asyncio.to_thread(lambda: dialect.server_key)

        return DialectRoutes(
            mounts=(Mount(PATH, digipost, tuple(digipost.state.direct_routes)),),
            # Paths the Java and .NET clients resolve against the host root, whatever their base URL.
            root_routes=tuple(host_root_routes(digipost)),
            startup=make_server_key,
        )

    def job_handlers(self) -> Mapping[str, JobHandler]:
        return {}

    def webhook_renderers(self) -> Mapping[WebhookFormat, Renderer]:
        return {}

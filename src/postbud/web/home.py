"""The home page at ``/``: what is running, where everything is, and how to point a client at it.

Open to anyone who reaches the server, like the API docs: it shows the sandbox sender's
credentials only in a sandbox (never in production) and the admin token only by where it is.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postbud.services.sandbox.clock import clock_view
from postbud.services.sandbox.shown_credentials import shown_credentials
from postbud.web.context import WebContext, web_context
from postbud.web.home_facts import (
    CONSOLE_PATH,
    INBOX_PATH,
    Deployment,
    admin_token_location,
    request_bins,
    storage_of,
)
from postbud.web.home_texts import DIALECT_TITLES, HOW_TO_CONNECT
from postbud.web.webapp import web_app


def home_values(context: WebContext, deployment: Deployment) -> dict[str, Any]:
    """What the page shows, but the clock (which is read per request)."""
    settings = context.settings
    public_url = settings.resolved_public_url
    return {
        "deployment": deployment,
        "public_url": public_url,
        "sandbox": settings.sandbox,
        "storage": storage_of(settings),
        "workers": settings.workers,
        "time_zone": settings.time_zone,
        "doors": [(door, door.base_urls(public_url)) for door in deployment.doors],
        "how_to_connect": HOW_TO_CONNECT,
        "dialect_titles": DIALECT_TITLES,
        "inbox_url": f"{public_url}{INBOX_PATH}",
        "console_url": f"{public_url}{CONSOLE_PATH}",
        "api_url": f"{public_url}{deployment.api_path}",
        "docs_url": f"{public_url}{deployment.docs_path}",
        "reference_url": f"{public_url}{deployment.reference_path}",
        "openapi_url": f"{public_url}{deployment.openapi_path}",
        "credentials": shown_credentials(settings),
        "bins": request_bins(settings),
        "admin_token_at": admin_token_location(settings),
        "data_dir": str(settings.resolved_data_dir),
    }


def create_home_app(context: WebContext, deployment: Deployment) -> Starlette:
    async def home(request: Request) -> Response:
        web = web_context(request)
        clock = await clock_view(web.runtime)
        values = {**home_values(web, deployment), "clock": clock, "real_now": clock.now - clock.offset}
        return web.pages.render(request, "home.html", values)

    return web_app(context, [Route("/", home, methods=["GET"])])

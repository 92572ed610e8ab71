"""The console's EDI page: the EDI senders customers registered (Ekopost's "create sender") and
their invitations, each with its statuses as the sandbox's EDI operator moved them."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from postbud.services.edi.overview import edi_customers, edi_overview
from postbud.web.console.guard import admin_page
from postbud.web.console.render import page
from postbud.web.context import web_context


async def edi_page(request: Request) -> Response:
    """``?customer=<sender id>`` shows one customer's."""
    chosen = request.query_params.get("customer") or ""
    try:
        customer = uuid.UUID(chosen) if chosen else None
    except ValueError:
        customer = None
    runtime = web_context(request).runtime
    senders = await edi_overview(runtime, customer)
    customers = await edi_customers(runtime)
    context = {
        "section": "edi",
        "senders": senders,
        "customers": customers,
        "customer": str(customer) if customer else "",
    }
    return page(request, "console/edi.html", context)


def edi_routes() -> list[BaseRoute]:
    """Relative to the console's root, like its other routes."""
    return [Route("/edi", admin_page(edi_page), methods=["GET"])]

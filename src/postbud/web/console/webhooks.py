"""The webhook delivery log: every delivery with its attempts (each one's request and response),
status codes and timing; redeliver. ``webhook_routes``: every webhook page of the console
(the log, subscriptions, request bins)."""

from __future__ import annotations

import uuid

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from postbud.domain.errors import Conflict, ValidationFailed
from postbud.services.console.webhook_log import STATUSES, delivery_log
from postbud.services.parties.senders import list_senders
from postbud.web.console import paths, request_bins, webhook_paths, webhook_subscriptions
from postbud.web.console.guard import admin_action, admin_page
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.forms import form_route, text_field
from postbud.web.navigation import see_other
from postbud.webhooks.exchange import BODY_LIMIT
from postbud.webhooks.manage import redeliver as redeliver_delivery


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


async def log(request: Request) -> Response:
    runtime = web_context(request).runtime
    status = request.query_params.get("status") or None
    sender = request.query_params.get("sender") or None
    try:
        found = await delivery_log(
            runtime,
            status=status,
            sender_id=_uuid(sender),
            cursor=request.query_params.get("cursor") or None,
        )
    except ValidationFailed:
        return error_page(request, 400)
    senders = await list_senders(runtime)
    older = (
        paths.query(paths.WEBHOOKS, status=status, sender=sender, cursor=found.next_cursor)
        if found.next_cursor
        else None
    )
    context = {
        "section": "webhooks",
        "tab": "deliveries",
        "hooks": webhook_paths,
        "body_kib": BODY_LIMIT // 1024,
        "deliveries": found.deliveries,
        "older_url": older,
        "statuses": STATUSES,
        "status": status or "",
        "sender": sender or "",
        "senders": senders,
        "sender_names": {s.id: s.name for s in senders},
        "here": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    return page(request, "console/webhooks.html", context)


async def redeliver(request: Request, form: FormData) -> Response:
    delivery_id = request.path_params["delivery_id"]
    assert isinstance(delivery_id, uuid.UUID)
    try:
        await redeliver_delivery(web_context(request).runtime, delivery_id)
    except Conflict:
        flash(request, "console.redeliver_inactive", error=True)
    else:
        flash(request, "console.redeliver_done")
    back = text_field(form, "back")
    return see_other(paths.safe_next(back) if back else paths.WEBHOOKS)


_SUBSCRIPTION = "/webhooks/subscriptions/{webhook_id:uuid}"
_BIN = "/webhooks/bins/{name}"


def webhook_routes() -> list[BaseRoute]:
    """Paths relative to the console (``webhook_paths`` builds the absolute ones)."""
    return [
        Route("/webhooks", admin_page(log), methods=["GET"]),
        form_route("/webhooks/deliveries/{delivery_id:uuid}/redeliver", admin_action(redeliver)),
        Route(
            "/webhooks/subscriptions", admin_page(webhook_subscriptions.subscriptions_page), methods=["GET"]
        ),
        form_route("/webhooks/subscriptions", admin_action(webhook_subscriptions.add)),
        form_route(_SUBSCRIPTION + "/pause", admin_action(webhook_subscriptions.pause)),
        form_route(_SUBSCRIPTION + "/resume", admin_action(webhook_subscriptions.resume)),
        form_route(_SUBSCRIPTION + "/delete", admin_action(webhook_subscriptions.delete)),
        form_route(_SUBSCRIPTION + "/test", admin_action(webhook_subscriptions.send_test)),
        Route("/webhooks/bins", admin_page(request_bins.bins_page), methods=["GET"]),
        Route("/webhooks/bins/open", admin_page(request_bins.open_bin), methods=["GET"]),
        Route(_BIN, admin_page(request_bins.bin_page), methods=["GET"]),
        form_route(_BIN + "/clear", admin_action(request_bins.clear)),
    ]

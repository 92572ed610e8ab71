"""The webhook delivery log: every delivery with its attempts, status codes and timing; redeliver."""

from __future__ import annotations

import uuid

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import Conflict, ValidationFailed
from postbud.services.console.webhook_log import STATUSES, delivery_log
from postbud.services.parties.senders import list_senders
from postbud.web.console import paths
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.forms import text_field
from postbud.web.navigation import see_other
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

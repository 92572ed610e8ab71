"""The console's webhook subscriptions: list, add (the secret shown once), pause, resume, delete,
send a test event. Every post is a CSRF-checked form route."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import Conflict, FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.webhook_formats import WebhookFormat
from postbud.services.parties.senders import list_senders
from postbud.web.console import webhook_paths
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.forms import text_field
from postbud.web.navigation import see_other
from postbud.webhooks.manage import (
    MAX_URL_LENGTH,
    Webhook,
    add_webhook,
    list_webhooks,
    remove_webhook,
    send_test_event,
    set_active,
)
from postbud.webhooks.request_bin import bin_url


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


async def _render(
    request: Request,
    *,
    added: tuple[Webhook, str] | None = None,
    errors: Sequence[FieldError] = (),
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    runtime = web_context(request).runtime
    senders = await list_senders(runtime)
    context: dict[str, Any] = {
        "section": "webhooks",
        "tab": "subscriptions",
        "hooks": webhook_paths,
        "webhooks": await list_webhooks(runtime),
        "senders": senders,
        "sender_names": {s.id: s.name for s in senders},
        "formats": [f.value for f in WebhookFormat],
        "added": added,
        "errors": list(errors),
        "form": form or {},
        "bin_example": bin_url(runtime, "my-bin"),
    }
    return page(request, "console/webhook_subscriptions.html", context, status=status)


async def subscriptions_page(request: Request) -> Response:
    return await _render(request)


async def add(request: Request, form: FormData) -> Response:
    values = {
        name: text_field(form, name, max_length=10 * MAX_URL_LENGTH) or ""
        for name in ("sender", "url", "format", "events")
    }
    sender_id = _uuid(values["sender"])
    events = [e.strip() for e in values["events"].replace("\n", ",").split(",") if e.strip()]
    errors: list[FieldError] = []
    if sender_id is None:
        errors.append(FieldError("sender", "choose a sender", RuleCode.REQUIRED))
    else:
        try:
            added = await add_webhook(
                web_context(request).runtime,
                sender_id,
                values["url"],
                events or None,
                format=values["format"] or WebhookFormat.STANDARD,
            )
        except ValidationFailed as exc:
            errors = exc.errors
        except NotFound:
            errors.append(FieldError("sender", "no such sender", RuleCode.INVALID))
        else:
            return await _render(request, added=added)
    return await _render(request, errors=errors, form=values, status=400)


async def _act(request: Request, action: str) -> Response:
    webhook_id = request.path_params["webhook_id"]
    assert isinstance(webhook_id, uuid.UUID)
    runtime = web_context(request).runtime
    try:
        if action == "pause":
            await set_active(runtime, webhook_id, False)
            flash(request, "console.subscription_paused_done")
        elif action == "resume":
            await set_active(runtime, webhook_id, True)
            flash(request, "console.subscription_resumed_done")
        elif action == "delete":
            await remove_webhook(runtime, webhook_id)
            flash(request, "console.subscription_deleted")
        else:
            await send_test_event(runtime, webhook_id)
            flash(request, "console.subscription_test_sent")
    except NotFound:
        flash(request, "console.subscription_missing", error=True)
    except Conflict:
        flash(request, "console.subscription_test_paused", error=True)
    return see_other(webhook_paths.SUBSCRIPTIONS)


async def pause(request: Request, form: FormData) -> Response:
    return await _act(request, "pause")


async def resume(request: Request, form: FormData) -> Response:
    return await _act(request, "resume")


async def delete(request: Request, form: FormData) -> Response:
    return await _act(request, "delete")


async def send_test(request: Request, form: FormData) -> Response:
    return await _act(request, "test")

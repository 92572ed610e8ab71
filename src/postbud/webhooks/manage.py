"""Use cases for senders' webhooks: subscribe, pause, remove, send a test event, and inspect or
repeat deliveries.

``sender_id`` arguments, where optional, scope a lookup to one sender: another sender's
webhook or delivery is then reported as not found.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urlsplit

from postbud.domain.attachments import ALL_ATTACHMENT_EVENTS, ATTACHMENT_EVENT_NAMES
from postbud.domain.batches import BATCH_EVENT_NAMES, FINAL_STATES, batch_event_name
from postbud.domain.errors import Conflict, ConflictCode, FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.events import EventType
from postbud.domain.ids import new_id
from postbud.domain.webhook_formats import WebhookFormat
from postbud.services.runtime import Runtime
from postbud.storage.job_kinds import WEBHOOK_DELIVER
from postbud.storage.repos.webhooks import Attempt, Delivery, Exchange, Webhook
from postbud.storage.unit_of_work import SqlUnitOfWork
from postbud.webhooks.deliver import MAX_ATTEMPTS, PENDING
from postbud.webhooks.events_api import made_by_others
from postbud.webhooks.formats import new_secret
from postbud.webhooks.payload import TYPE_PREFIX

__all__ = [
    "ALL_EVENTS",
    "MAX_URL_LENGTH",
    "Attempt",
    "Delivery",
    "Exchange",
    "Webhook",
    "add_webhook",
    "default_event_types",
    "delivery",
    "delivery_attempts",
    "get_webhook",
    "list_deliveries",
    "list_webhooks",
    "redeliver",
    "remove_webhook",
    "send_test_event",
    "set_active",
]

ALL_EVENTS = "*"
EKOPOST_EVENTS = tuple(sorted(batch_event_name(state) for state in FINAL_STATES))
"""Ekopost's only callback is "campaign completed": a campaign that reached its end."""
MAX_URL_LENGTH = 2000
_NAMED_ONLY = BATCH_EVENT_NAMES | ATTACHMENT_EVENT_NAMES | {ALL_ATTACHMENT_EVENTS}
"""Events not of a letter, which ``*`` does not include: a batch's and a stand-alone attachment's."""
_EVENT_TYPES = frozenset(t.value for t in EventType) | _NAMED_ONLY
"""A letter's event types (``delivered``), a batch's (``batch.completed``, ``batch.*``) and an
attachment's (``attachment.published``, ``attachment.*``)."""


def _validate_url(url: str) -> list[FieldError]:
    if len(url) > MAX_URL_LENGTH:
        return [FieldError("url", f"at most {MAX_URL_LENGTH} characters", RuleCode.TOO_LONG)]
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return [FieldError("url", "not a valid URL", RuleCode.WRONG_FORMAT)]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [FieldError("url", "must be an absolute http or https URL", RuleCode.WRONG_FORMAT)]
    return []


def _event_types(event_types: Iterable[str]) -> tuple[tuple[str, ...], list[FieldError]]:
    """Normalised types (``shipment.delivered`` is accepted as ``delivered``) and any errors.

    ``*`` is every event of a letter; a batch's events are named (``batch.*`` for all of them)."""
    types: list[str] = []
    errors: list[FieldError] = []
    for raw in event_types:
        value = raw.strip().removeprefix(TYPE_PREFIX)
        if value != ALL_EVENTS and value not in _EVENT_TYPES:
            errors.append(FieldError("event_types", f"unknown event type {raw!r}", RuleCode.INVALID))
        elif value not in types:
            types.append(value)
    if not types and not errors:
        errors.append(FieldError("event_types", "name at least one event type, or '*'", RuleCode.REQUIRED))
    if ALL_EVENTS in types:
        types = [ALL_EVENTS, *(t for t in types if t in _NAMED_ONLY)]
    return tuple(types), errors


def default_event_types(format: WebhookFormat) -> tuple[str, ...]:
    """What a subscription gets when it names no event types: every letter event, or for Ekopost's
    format the campaign's end (completed, failed, cancelled), as Ekopost's own callbacks are."""
    return EKOPOST_EVENTS if format is WebhookFormat.EKOPOST else (ALL_EVENTS,)


async def add_webhook(
    runtime: Runtime,
    sender_id: uuid.UUID,
    url: str,
    event_types: Iterable[str] | None = None,
    *,
    format: WebhookFormat | str = WebhookFormat.STANDARD,
) -> tuple[Webhook, str]:
    """Subscribe ``url`` to the sender's events in ``format``; returns the webhook and its signing secret.

    ``event_types`` None: the format's default (``default_event_types``)."""
    errors = _validate_url(url)
    try:
        chosen = WebhookFormat(format)
    except ValueError:
        names = ", ".join(f.value for f in WebhookFormat)
        errors.append(FieldError("format", f"one of {names}", RuleCode.INVALID))
        chosen = WebhookFormat.STANDARD
    types, type_errors = _event_types(default_event_types(chosen) if event_types is None else event_types)
    errors += type_errors
    if errors:
        raise ValidationFailed(errors)
    secret = new_secret(chosen)
    async with runtime.unit_of_work() as uow:
        if await uow.senders.get(sender_id) is None:
            raise NotFound("sender", sender_id)
        webhook = Webhook(
            id=new_id(),
            sender_id=sender_id,
            url=url,
            secret=secret,
            event_types=types,
            active=True,
            created_at=runtime.clock.now(),
            format=chosen,
        )
        await uow.webhooks.add(webhook)
    return webhook, secret


async def list_webhooks(runtime: Runtime, sender_id: uuid.UUID | None = None) -> list[Webhook]:
    async with runtime.reader() as uow:
        found = await uow.webhooks.list(sender_id)
        hidden = await made_by_others(uow, sender_id) if sender_id is not None else frozenset()
    return [w for w in found if w.id not in hidden]


async def _owned_webhook(uow: SqlUnitOfWork, webhook_id: uuid.UUID, sender_id: uuid.UUID | None) -> Webhook:
    """The webhook, if the sender (None: anyone) may see it: its own, never one another party made
    through the Events API."""
    webhook = await uow.webhooks.get(webhook_id)
    if webhook is None or (
        sender_id is not None
        and (webhook.sender_id != sender_id or webhook_id in await made_by_others(uow, sender_id))
    ):
        raise NotFound("webhook", webhook_id)
    return webhook


async def get_webhook(
    runtime: Runtime, webhook_id: uuid.UUID, *, sender_id: uuid.UUID | None = None
) -> Webhook:
    async with runtime.reader() as uow:
        return await _owned_webhook(uow, webhook_id, sender_id)


async def remove_webhook(
    runtime: Runtime, webhook_id: uuid.UUID, *, sender_id: uuid.UUID | None = None
) -> Webhook:
    """Unsubscribe: the webhook goes, with its deliveries and their log. Queued jobs find nothing."""
    async with runtime.unit_of_work() as uow:
        webhook = await _owned_webhook(uow, webhook_id, sender_id)
        await uow.webhooks.remove(webhook_id)
    return webhook


async def send_test_event(
    runtime: Runtime, webhook_id: uuid.UUID, *, sender_id: uuid.UUID | None = None
) -> Delivery:
    """Queue a test event (``webhook.test``) to the webhook, signed like every delivery and logged."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        webhook = await _owned_webhook(uow, webhook_id, sender_id)
        if not webhook.active:
            raise Conflict(
                "webhook", "the webhook is paused; resume it to send a test event", ConflictCode.WRONG_STATE
            )
        delivery_id = await uow.webhooks.add_test_delivery(webhook, now=now)
        await uow.jobs.enqueue(
            WEBHOOK_DELIVER, {"delivery_id": str(delivery_id)}, now=now, max_attempts=MAX_ATTEMPTS
        )
        created = await uow.webhooks.delivery(delivery_id)
    runtime.jobs_available()
    assert created is not None
    return created


async def set_active(
    runtime: Runtime, webhook_id: uuid.UUID, active: bool, *, sender_id: uuid.UUID | None = None
) -> Webhook:
    """Pause or resume a webhook. A paused webhook's queued deliveries are cancelled when due."""
    async with runtime.unit_of_work() as uow:
        webhook = await _owned_webhook(uow, webhook_id, sender_id)
        await uow.webhooks.set_active(webhook_id, active)
    return replace(webhook, active=active)


async def list_deliveries(
    runtime: Runtime,
    sender_id: uuid.UUID | None = None,
    webhook_id: uuid.UUID | None = None,
    limit: int = 100,
) -> list[Delivery]:
    """Newest first."""
    async with runtime.reader() as uow:
        hidden = await made_by_others(uow, sender_id) if sender_id is not None else frozenset()
        # Left out in the query, so a full page is ``limit`` rows of the sender's own.
        return await uow.webhooks.deliveries(
            sender_id=sender_id, webhook_id=webhook_id, limit=limit, leaving_out=hidden
        )


async def _owned(uow: SqlUnitOfWork, delivery_id: uuid.UUID, sender_id: uuid.UUID | None) -> Delivery:
    """The delivery, if the sender (None: anyone) may see it (as ``_owned_webhook``)."""
    delivery = await uow.webhooks.delivery(delivery_id)
    if delivery is None or (
        sender_id is not None
        and (delivery.sender_id != sender_id or delivery.webhook_id in await made_by_others(uow, sender_id))
    ):
        raise NotFound("delivery", delivery_id)
    return delivery


async def delivery(
    runtime: Runtime, delivery_id: uuid.UUID, *, sender_id: uuid.UUID | None = None
) -> Delivery:
    async with runtime.reader() as uow:
        return await _owned(uow, delivery_id, sender_id)


async def delivery_attempts(
    runtime: Runtime, delivery_id: uuid.UUID, *, sender_id: uuid.UUID | None = None
) -> list[Attempt]:
    """Oldest first."""
    async with runtime.reader() as uow:
        await _owned(uow, delivery_id, sender_id)
        return await uow.webhooks.attempts(delivery_id)


async def redeliver(
    runtime: Runtime, delivery_id: uuid.UUID, *, sender_id: uuid.UUID | None = None
) -> Delivery:
    """Send a delivery again, whatever its state: back to pending, with a fresh job."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        delivery = await _owned(uow, delivery_id, sender_id)
        webhook = await uow.webhooks.get(delivery.webhook_id)
        if webhook is None:
            raise NotFound("delivery", delivery_id)
        if not webhook.active:
            raise Conflict(
                "webhook",
                "the webhook is inactive; activate it before redelivering",
                ConflictCode.WRONG_STATE,
            )
        await uow.webhooks.reset_for_redelivery(delivery_id, now=now)
        await uow.jobs.enqueue(
            WEBHOOK_DELIVER,
            {"delivery_id": str(delivery_id)},
            now=now,
            max_attempts=MAX_ATTEMPTS,
            idempotency_key=f"{WEBHOOK_DELIVER}:{delivery_id}:{new_id()}",
        )
    runtime.jobs_available()
    return replace(delivery, status=PENDING, next_attempt_at=now)

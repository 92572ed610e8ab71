"""Subscriptions made through an events API (Altinn Events' ``/events/api/v1/subscriptions``): each
is a webhook of the sender in the CloudEvents format, limited to one resource's letters, known to
the API by a number and by the consumer that made it. Asking twice for the same subscription gives
the one made first, as Altinn Events does.

As Altinn Events, each request to subscribe (a new one or the same again) sends the endpoint a
validation event (``events_api_validation.py``, a durable job written with the subscription); the
subscription is delivered to only once the endpoint answered one with a 2xx
(``events_api_delivery.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from postbud.domain.ids import new_id
from postbud.domain.webhook_formats import WebhookFormat
from postbud.services.runtime import Runtime
from postbud.storage.job_kinds import EVENTS_API_VALIDATE
from postbud.storage.repos.events_api import EventsApiSubscription
from postbud.storage.repos.webhooks import Webhook
from postbud.storage.unit_of_work import SqlUnitOfWork
from postbud.webhooks.formats import new_secret
from postbud.webhooks.ordering import MAX_ATTEMPTS as VALIDATION_ATTEMPTS

__all__ = [
    "EventsApiSubscription",
    "Subscribed",
    "Wanted",
    "made_by_others",
    "subscribe",
    "subscription",
    "subscriptions",
    "unsubscribe",
    "validate_the_unvalidated",
]


@dataclass(frozen=True, slots=True)
class Subscribed:
    subscription: EventsApiSubscription
    webhook: Webhook


@dataclass(frozen=True, slots=True)
class Wanted:
    sender_id: uuid.UUID
    url: str
    resource_id: str
    event_types: tuple[str, ...]
    consumer: str
    resource_filter: str
    subject_filter: str | None = None
    type_filter: str | None = None


def _same(found: Subscribed, wanted: Wanted) -> bool:
    s, w = found.subscription, found.webhook
    return (w.url, s.resource_filter, s.subject_filter, s.type_filter) == (
        wanted.url,
        wanted.resource_filter,
        wanted.subject_filter,
        wanted.type_filter,
    )


async def subscribe(runtime: Runtime, wanted: Wanted) -> Subscribed:
    """The subscription (a new webhook, or the identical one made before), its validation queued."""
    now = runtime.clock.now()
    for found in await subscriptions(runtime, wanted.consumer):
        if _same(found, wanted):
            async with runtime.unit_of_work() as uow:
                await _validate_later(uow, found.subscription.id, now)
            runtime.jobs_available()
            return found
    webhook = Webhook(
        id=new_id(),
        sender_id=wanted.sender_id,
        url=wanted.url,
        secret=new_secret(WebhookFormat.CLOUDEVENTS),
        event_types=wanted.event_types,
        active=True,
        created_at=now,
        format=WebhookFormat.CLOUDEVENTS,
        resource_id=wanted.resource_id,
    )
    async with runtime.unit_of_work() as uow:
        await uow.webhooks.add(webhook)
        added = await uow.events_api.add(
            webhook.id,
            wanted.consumer,
            wanted.resource_filter,
            wanted.subject_filter,
            wanted.type_filter,
            now=now,
        )
        await _validate_later(uow, added.id, now)
    runtime.jobs_available()
    return Subscribed(added, webhook)


async def validate_the_unvalidated(uow: SqlUnitOfWork, now: datetime) -> int:
    """Queue a validation for each subscription not yet validated (a sandbox reset dropped their
    jobs); in the caller's transaction. How many were queued."""
    numbers = await uow.events_api.not_validated()
    for number in numbers:
        await _validate_later(uow, number, now)
    return len(numbers)


async def _validate_later(uow: SqlUnitOfWork, number: int, now: datetime) -> None:
    payload = {"subscription": number}
    await uow.jobs.enqueue(EVENTS_API_VALIDATE, payload, now=now, max_attempts=VALIDATION_ATTEMPTS)


async def made_by_others(uow: SqlUnitOfWork, sender_id: uuid.UUID) -> frozenset[uuid.UUID]:
    """The sender's webhooks that another party made through the Events API (a recipient's system,
    subscribed to its own events): the sender's letters reach them, but they are not the sender's to
    see, pause or delete."""
    sender = await uow.senders.get(sender_id)
    own = f"/organisation/{sender.organisation_number}" if sender is not None else None
    consumers = await uow.events_api.consumers_of_sender(sender_id)
    return frozenset(webhook_id for webhook_id, consumer in consumers.items() if consumer != own)


async def _with_webhooks(runtime: Runtime, found: Iterable[EventsApiSubscription]) -> list[Subscribed]:
    async with runtime.reader() as uow:
        pairs = [(s, await uow.webhooks.get(s.webhook_id)) for s in found]
    return [Subscribed(s, w) for s, w in pairs if w is not None]


async def subscriptions(runtime: Runtime, consumer: str) -> list[Subscribed]:
    async with runtime.reader() as uow:
        found = await uow.events_api.of_consumer(consumer)
    return await _with_webhooks(runtime, found)


async def subscription(runtime: Runtime, number: int) -> Subscribed | None:
    async with runtime.reader() as uow:
        found = await uow.events_api.get(number)
    subscribed = await _with_webhooks(runtime, [found] if found else [])
    return subscribed[0] if subscribed else None


async def unsubscribe(runtime: Runtime, number: int) -> None:
    """The subscription and its webhook, with the webhook's deliveries."""
    async with runtime.unit_of_work() as uow:
        found = await uow.events_api.get(number)
        if found is None:
            return
        await uow.events_api.remove(number)
        await uow.webhooks.remove(found.webhook_id)

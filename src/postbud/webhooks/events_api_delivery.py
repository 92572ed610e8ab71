"""What an Events API subscription is delivered, as Altinn Events decides it: only once its endpoint
validated it (an event that happened before is not delivered at all), only the events the Events
API itself has (as a dialect renders them: never Postbud's neutral CloudEvent), and only those whose
``type`` is the subscription's ``typeFilter`` and whose ``subject`` is its ``subjectFilter``, each
compared as a whole, where the subscription names one. A delivery refused here is settled as
cancelled with the reason, in the webhook's delivery log, and is never sent. What is sent goes as
``application/json; charset=utf-8``, as Altinn Events' webhook client posts it (not
``application/cloudevents+json``, which a receiver written for Altinn may refuse)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from postbud.domain.ids import made_at
from postbud.services.runtime import Runtime
from postbud.storage.repos.events_api import EventsApiSubscription
from postbud.storage.repos.webhooks import Delivery, Webhook
from postbud.webhooks.formats import RenderContext, WebhookFormats
from postbud.webhooks.notices import Notice

MEDIA_TYPE: Final = "application/json; charset=utf-8"
"""How Altinn Events' webhook client posts an event (and the validation event)."""
NOT_VALIDATED = "the Events API subscription was not validated when the event happened"
NOT_AN_EVENTS_API_EVENT = "not an event the Events API has"
NOT_THE_TYPE = "not of the subscription's type (typeFilter)"
NOT_THE_SUBJECT = "not about the subscription's subject (subjectFilter)"


@dataclass(frozen=True, slots=True)
class Verdict:
    refusal: str | None
    """Why the delivery is not sent; None: it is."""
    media_type: str | None = None
    """The content type it is sent as, if not its format's own."""


async def verdict(
    runtime: Runtime, webhook: Webhook, delivery: Delivery, notice: Notice, formats: WebhookFormats
) -> Verdict:
    """Whether, and how, a webhook limited to a resource gets this delivery: as an Events API
    subscription decides it, or as any such webhook when it is not one."""
    async with runtime.reader() as uow:
        subscription = await uow.events_api.of_webhook(webhook.id)
    if subscription is None:
        return Verdict(None)  # a webhook limited to a resource, not made through the Events API
    return Verdict(_refusal(subscription, webhook, delivery, notice, formats, runtime), MEDIA_TYPE)


def _refusal(
    subscription: EventsApiSubscription,
    webhook: Webhook,
    delivery: Delivery,
    notice: Notice,
    formats: WebhookFormats,
    runtime: Runtime,
) -> str | None:
    # Both real moments, so a sandbox clock moved back after the validation changes nothing.
    if subscription.validated_at is None or subscription.validated_at > made_at(delivery.id):
        return NOT_VALIDATED
    context = RenderContext(delivery.id, runtime.settings.resolved_public_url)
    document = formats.dialect_rendering(webhook.format, notice, context)
    if document is None:
        return NOT_AN_EVENTS_API_EVENT
    if subscription.type_filter is not None and document.get("type") != subscription.type_filter:
        return NOT_THE_TYPE
    if subscription.subject_filter is not None and document.get("subject") != subscription.subject_filter:
        return NOT_THE_SUBJECT
    return None

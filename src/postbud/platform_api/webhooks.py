"""Webhooks: subscribe a URL to a sender's events, pause it, inspect and repeat deliveries."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from postbud.domain.errors import NotPermitted, PermissionCode, RuleCode, ValidationFailed
from postbud.domain.webhook_formats import WebhookFormat
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import Principal, PrincipalDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import (
    AttemptOut,
    DeliveryOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)
from postbud.webhooks import manage

router = APIRouter(
    prefix=f"{PREFIX}/webhooks", tags=["webhooks"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


class FormattedWebhookIn(WebhookIn):
    format: WebhookFormat = Field(
        WebhookFormat.STANDARD,
        description="standard (Standard Webhooks), ekopost (X-Ekopost-Signature: hex HMAC-SHA1 of the "
        "body) or cloudevents (CloudEvents 1.0 JSON, signed as Standard Webhooks)",
    )


class FormattedWebhookOut(WebhookOut):
    format: WebhookFormat

    @classmethod
    def of(cls, webhook: manage.Webhook) -> FormattedWebhookOut:
        return cls(**WebhookOut.of(webhook).model_dump(), format=webhook.format)


class FormattedWebhookCreated(BaseModel):
    webhook: FormattedWebhookOut
    secret: str = Field(description="Signs every delivery; shown once")


def _scope(who: Principal, requested: uuid.UUID | None) -> uuid.UUID | None:
    """The sender a call is limited to: an API key's own; the admin's choice (None for all)."""
    if who.sender is None:
        return requested
    if requested is not None and requested != who.sender.id:
        raise NotPermitted("an API key sees only its own sender's webhooks", PermissionCode.NOT_OWNER)
    return who.sender.id


@router.post("", status_code=status.HTTP_201_CREATED, summary="Subscribe a URL to a sender's events")
async def add(body: FormattedWebhookIn, runtime: RuntimeDep, who: PrincipalDep) -> FormattedWebhookCreated:
    sender_id = _scope(who, body.sender_id)
    if sender_id is None:
        raise ValidationFailed.of("sender_id", "required when using the admin token", RuleCode.REQUIRED)
    webhook, secret = await manage.add_webhook(
        runtime, sender_id, body.url, body.event_types, format=body.format
    )
    return FormattedWebhookCreated(webhook=FormattedWebhookOut.of(webhook), secret=secret)


@router.get("", summary="List webhooks")
async def list_(
    runtime: RuntimeDep, who: PrincipalDep, sender_id: uuid.UUID | None = None
) -> list[FormattedWebhookOut]:
    return [FormattedWebhookOut.of(w) for w in await manage.list_webhooks(runtime, _scope(who, sender_id))]


@router.patch("/{webhook_id}", summary="Pause or resume a webhook")
async def patch(
    webhook_id: uuid.UUID, body: WebhookPatch, runtime: RuntimeDep, who: PrincipalDep
) -> FormattedWebhookOut:
    webhook = await manage.set_active(runtime, webhook_id, body.active, sender_id=_scope(who, None))
    return FormattedWebhookOut.of(webhook)


@router.get("/deliveries", summary="Deliveries, newest first")
async def deliveries(
    runtime: RuntimeDep,
    who: PrincipalDep,
    sender_id: uuid.UUID | None = None,
    webhook_id: uuid.UUID | None = None,
    limit: int = 100,
) -> list[DeliveryOut]:
    found = await manage.list_deliveries(
        runtime, _scope(who, sender_id), webhook_id, min(max(limit, 1), 1000)
    )
    return [DeliveryOut.of(d) for d in found]


@router.get("/deliveries/{delivery_id}/attempts", summary="Every attempt of one delivery")
async def attempts(delivery_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> list[AttemptOut]:
    found = await manage.delivery_attempts(runtime, delivery_id, sender_id=_scope(who, None))
    return [AttemptOut.of(a) for a in found]


@router.post("/deliveries/{delivery_id}/redeliver", summary="Send a delivery again")
async def redeliver(delivery_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> DeliveryOut:
    return DeliveryOut.of(await manage.redeliver(runtime, delivery_id, sender_id=_scope(who, None)))

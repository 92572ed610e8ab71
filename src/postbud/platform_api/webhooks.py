"""Webhooks: subscribe a URL to a sender's events, pause, test or remove it, inspect (each attempt's
request and response) and repeat deliveries.

Path parameters are typed in the route (``{webhook_id:uuid}``), so ``/webhooks/deliveries`` is never
read as a webhook id: a method it does not have is a 405 naming the ones it has.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from postbud.domain.errors import NotPermitted, PermissionCode, RuleCode, ValidationFailed
from postbud.domain.webhook_formats import WebhookFormat
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, Principal, PrincipalDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import (
    AttemptOut,
    DeliveryOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)
from postbud.services.runtime import Runtime
from postbud.webhooks import manage, request_bin

router = APIRouter(
    prefix=f"{PREFIX}/webhooks", tags=["webhooks"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


class FormattedWebhookIn(WebhookIn):
    event_types: list[str] | None = Field(  # type: ignore[assignment]
        None,
        description="Event types such as 'delivered', 'batch.completed', or '*' for every letter "
        "event. Left out: '*'; for the ekopost format, the campaign's end (batch.completed, "
        "batch.failed, batch.cancelled), as Ekopost's own callbacks",
    )
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


class SentRequestOut(BaseModel):
    method: str
    url: str
    headers: dict[str, str] = Field(description="As sent, signature headers included (never the secret)")
    body: str
    body_truncated: bool = Field(description="The body was longer than 64 KiB and is cut there")


class ReceivedResponseOut(BaseModel):
    status_code: int
    headers: dict[str, str]
    body: str
    body_truncated: bool = Field(description="The body was longer than 64 KiB and is cut there")


class AttemptDetailOut(AttemptOut):
    request: SentRequestOut | None = Field(description="None for attempts logged before requests were kept")
    response: ReceivedResponseOut | None = Field(
        description="None when there was no response (a timeout, a refused connection, a sandbox fault)"
    )

    @classmethod
    def of(cls, attempt: manage.Attempt) -> AttemptDetailOut:
        sent = attempt.exchange
        request = (
            SentRequestOut(
                method=sent.request_method,
                url=sent.request_url or "",
                headers=sent.request_headers or {},
                body=sent.request_body or "",
                body_truncated=sent.request_body_truncated,
            )
            if sent.request_method
            else None
        )
        response = (
            ReceivedResponseOut(
                status_code=attempt.status_code,
                headers=sent.response_headers,
                body=sent.response_body or "",
                body_truncated=sent.response_body_truncated,
            )
            if sent.response_headers is not None and attempt.status_code is not None
            else None
        )
        return cls(**AttemptOut.of(attempt).model_dump(), request=request, response=response)


class WebhookDeliveryOut(DeliveryOut):
    is_test: bool = Field(description="A test event, sent on request; it names no letter or batch event")
    next_attempt_at: datetime | None = Field(
        description="Not before this time; none while the delivery waits for an earlier one of its "
        "letter (status 'waiting') or once it is settled"
    )

    @classmethod
    def of(cls, delivery: manage.Delivery) -> WebhookDeliveryOut:
        return cls.model_validate(delivery, from_attributes=True)


class BinOut(BaseModel):
    name: str
    url: str = Field(description="Where to point a subscription (sandbox only)")
    requests: int
    last_received_at: datetime


class BinRequestOut(BaseModel):
    id: uuid.UUID
    received_at: datetime
    method: str
    url: str
    headers: dict[str, str]
    body: str
    body_size: int = Field(description="Bytes received; the body above is cut at 64 KiB")
    body_truncated: bool
    webhook_id: uuid.UUID | None = Field(description="The subscription the signature was checked against")
    signature: str = Field(description="valid, invalid, unsigned or no_subscription")
    signature_detail: str | None

    @classmethod
    def of(cls, request: request_bin.BinRequest) -> BinRequestOut:
        return cls.model_validate(request, from_attributes=True)


def _sandbox_only(runtime: Runtime) -> None:
    if not runtime.settings.sandbox:
        raise NotPermitted("request bins exist in sandbox mode only", PermissionCode.NOT_APPROVED)


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


@router.get("/bins", summary="Request bins that received something (sandbox, admin)")
async def bins(runtime: RuntimeDep, _: AdminDep) -> list[BinOut]:
    _sandbox_only(runtime)
    return [
        BinOut(
            name=b.name,
            url=request_bin.bin_url(runtime, b.name),
            requests=b.requests,
            last_received_at=b.last_received_at,
        )
        for b in await request_bin.list_bins(runtime)
    ]


@router.get("/bins/{name}", summary="What a request bin received, newest first (sandbox, admin)")
async def bin_requests(name: str, runtime: RuntimeDep, _: AdminDep) -> list[BinRequestOut]:
    _sandbox_only(runtime)
    return [BinRequestOut.of(r) for r in await request_bin.bin_requests(runtime, name)]


@router.get("/deliveries", summary="Deliveries, newest first")
async def deliveries(
    runtime: RuntimeDep,
    who: PrincipalDep,
    sender_id: uuid.UUID | None = None,
    webhook_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[WebhookDeliveryOut]:
    found = await manage.list_deliveries(runtime, _scope(who, sender_id), webhook_id, limit)
    return [WebhookDeliveryOut.of(d) for d in found]


@router.get("/deliveries/{delivery_id:uuid}", summary="One delivery")
async def delivery(delivery_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> WebhookDeliveryOut:
    return WebhookDeliveryOut.of(await manage.delivery(runtime, delivery_id, sender_id=_scope(who, None)))


@router.get(
    "/deliveries/{delivery_id:uuid}/attempts",
    summary="Every attempt of one delivery, with its request as sent and the response as received",
)
async def attempts(delivery_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> list[AttemptDetailOut]:
    found = await manage.delivery_attempts(runtime, delivery_id, sender_id=_scope(who, None))
    return [AttemptDetailOut.of(a) for a in found]


@router.post("/deliveries/{delivery_id:uuid}/redeliver", summary="Send a delivery again")
async def redeliver(delivery_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> WebhookDeliveryOut:
    return WebhookDeliveryOut.of(await manage.redeliver(runtime, delivery_id, sender_id=_scope(who, None)))


@router.get("/{webhook_id:uuid}", summary="One webhook")
async def get(webhook_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> FormattedWebhookOut:
    return FormattedWebhookOut.of(await manage.get_webhook(runtime, webhook_id, sender_id=_scope(who, None)))


@router.patch("/{webhook_id:uuid}", summary="Pause or resume a webhook")
async def patch(
    webhook_id: uuid.UUID, body: WebhookPatch, runtime: RuntimeDep, who: PrincipalDep
) -> FormattedWebhookOut:
    webhook = await manage.set_active(runtime, webhook_id, body.active, sender_id=_scope(who, None))
    return FormattedWebhookOut.of(webhook)


@router.delete(
    "/{webhook_id:uuid}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Remove a webhook, with its deliveries and their log",
)
async def delete(webhook_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> None:
    await manage.remove_webhook(runtime, webhook_id, sender_id=_scope(who, None))


@router.post(
    "/{webhook_id:uuid}/test",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a test event (webhook.test), signed and logged like every delivery",
)
async def test_event(webhook_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> WebhookDeliveryOut:
    found = await manage.send_test_event(runtime, webhook_id, sender_id=_scope(who, None))
    return WebhookDeliveryOut.of(found)

"""Each webhook format: how an event becomes a body (rendered) and how the body is signed.

The signing of each format is the core's and fixed. The rendering can come from a dialect: the
Ekopost dialect renders a batch event as its "campaign completed", the Altinn dialect a letter's
event as its own CloudEvent. Where no dialect renders a notice (or its renderer declines one by
returning None), the core's neutral rendering is used, so every subscription gets every event it
asked for.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from postbud.domain.webhook_formats import WebhookFormat
from postbud.webhooks import cloudevents, hmac_sha1, signing
from postbud.webhooks.notices import AttachmentNotice, LetterNotice, Notice, ProbeNotice
from postbud.webhooks.payload import TEST_TYPE, encode, notice_payload, probe_payload

__all__ = [
    "RenderContext",
    "Renderer",
    "SignedBody",
    "WebhookFormat",
    "WebhookFormats",
    "neutral_cloud_event",
    "new_secret",
]


@dataclass(frozen=True, slots=True)
class RenderContext:
    """What a renderer may need besides the notice."""

    delivery_id: uuid.UUID
    """The same on every attempt of one delivery (Standard Webhooks' ``webhook-id``)."""
    public_url: str
    """Postbud's own base URL (CloudEvents ``source``)."""


Renderer = Callable[[Notice, RenderContext], Mapping[str, Any] | None]
"""A notice as a JSON document of one format; None: not this renderer's (the core's is used)."""


@dataclass(frozen=True, slots=True)
class SignedBody:
    body: bytes
    headers: dict[str, str]


def new_secret(format: WebhookFormat) -> str:
    """A signing secret in the form the format's receivers expect."""
    return hmac_sha1.new_secret() if format is WebhookFormat.EKOPOST else signing.new_secret()


def neutral_cloud_event(notice: Notice, context: RenderContext) -> dict[str, Any]:
    """A Postbud event as a CloudEvent: type ``no.postbud.<shipment|batch>.<type>``, data the
    standard payload's data."""
    standard = notice_payload(notice)
    if isinstance(notice, LetterNotice):
        source = f"{context.public_url}/api/v1/shipments/{notice.shipment.id}"
        subject = notice.shipment.recipient_party
    elif isinstance(notice, AttachmentNotice):
        source = f"{context.public_url}/api/v1/attachments/{notice.attachment.id}"
        subject = None
    else:
        source = f"{context.public_url}/api/v1/batches/{notice.batch.id}"
        subject = None
    return cloudevents.cloud_event(
        id=standard["id"],
        source=source,
        type="no.postbud." + standard["type"],
        time=notice.event.at,
        subject=subject,
        data=standard["data"],
    )


def _neutral(format: WebhookFormat, notice: Notice, context: RenderContext) -> Mapping[str, Any]:
    if format is WebhookFormat.CLOUDEVENTS:
        return neutral_cloud_event(notice, context)
    return notice_payload(notice)


def _probe(format: WebhookFormat, notice: ProbeNotice, context: RenderContext) -> Mapping[str, Any]:
    """A test event: the core's in every format, as no dialect has one."""
    standard = probe_payload(notice)
    if format is WebhookFormat.CLOUDEVENTS:
        return cloudevents.cloud_event(
            id=standard["id"],
            source=f"{context.public_url}/api/v1/webhooks/{notice.webhook_id}",
            type="no.postbud." + TEST_TYPE,
            time=notice.at,
            data=standard["data"],
        )
    if format is WebhookFormat.EKOPOST:
        # Ekopost's own events carry the delivery's id as "id" and their name as "event".
        return {**standard, "event": "test", "id": str(context.delivery_id)}
    return standard


def _sign(
    format: WebhookFormat, secret: str, document: Mapping[str, Any], msg_id: str, timestamp: int
) -> SignedBody:
    if format is WebhookFormat.CLOUDEVENTS:
        body = encode(cloudevents.checked(document))
        headers = signing.signed_headers(secret, msg_id, timestamp, body)
        headers["content-type"] = cloudevents.MEDIA_TYPE
    elif format is WebhookFormat.EKOPOST:
        body = encode(dict(document))
        headers = {
            hmac_sha1.SIGNATURE_HEADER: hmac_sha1.sign(secret, body),
            "content-type": "application/json",
        }
    else:
        body = encode(dict(document))
        headers = signing.signed_headers(secret, msg_id, timestamp, body)
        headers["content-type"] = "application/json"
    return SignedBody(body, headers)


class WebhookFormats:
    """The renderers of each format: the dialects' where they gave one, the core's otherwise."""

    def __init__(self, renderers: Mapping[WebhookFormat, Renderer] | None = None) -> None:
        self._renderers = dict(renderers or {})

    def with_renderer(self, format: WebhookFormat, renderer: Renderer) -> WebhookFormats:
        if format in self._renderers:
            raise ValueError(f"two renderers for the {format} webhook format")
        return WebhookFormats({**self._renderers, format: renderer})

    def dialect_rendering(
        self, format: WebhookFormat, notice: Notice, context: RenderContext
    ) -> Mapping[str, Any] | None:
        """The notice as a dialect renders it in this format; None: no dialect does (the core would)."""
        renderer = self._renderers.get(format)
        return renderer(notice, context) if renderer is not None else None

    def render(
        self, format: WebhookFormat, notice: Notice | ProbeNotice, context: RenderContext
    ) -> Mapping[str, Any]:
        if isinstance(notice, ProbeNotice):
            return _probe(format, notice, context)
        renderer = self._renderers.get(format)
        document = renderer(notice, context) if renderer is not None else None
        return document if document is not None else _neutral(format, notice, context)

    def signed(
        self,
        format: WebhookFormat,
        secret: str,
        notice: Notice | ProbeNotice,
        context: RenderContext,
        timestamp: int,
    ) -> SignedBody:
        """The body and headers of one attempt (``timestamp``: seconds since the epoch, now)."""
        document = self.render(format, notice, context)
        return _sign(format, secret, document, str(context.delivery_id), timestamp)


CORE_FORMATS = WebhookFormats()
"""Every format with the core's neutral rendering (no dialect's)."""

"""The "campaign completed" webhook: check ``X-Ekopost-Signature`` and read the payload.

The signature is the lower-case hex HMAC-SHA1 of the raw body, keyed with the webhook's secret.
Check it on the bytes as received, before parsing: re-serialised JSON would not match.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from .errors import UnexpectedResponseError, WebhookSignatureError
from .models import Campaign
from .wire import as_list, as_object, read_text, read_when, required_text

__all__ = [
    "SIGNATURE_HEADER",
    "CampaignCompleted",
    "EnvelopeOutcome",
    "read_campaign_completed",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Ekopost-Signature"


def signature_of(body: bytes, secret: str | bytes) -> str:
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(key, body, hashlib.sha1).hexdigest()


def verify_signature(body: bytes, signature: str | None, secret: str | bytes) -> bool:
    """Whether ``signature`` (the ``X-Ekopost-Signature`` header) is the HMAC-SHA1 of ``body``."""
    if not signature:
        return False
    return hmac.compare_digest(signature.strip().lower(), signature_of(body, secret))


@dataclass(frozen=True, kw_only=True)
class EnvelopeOutcome:
    id: str
    state: str
    state_changed_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class CampaignCompleted:
    """A campaign reached its end (``state``: completed, failed or cancelled), with every envelope."""

    delivery_id: str | None
    state: str | None
    occurred_at: datetime | None
    campaign: Campaign
    envelopes: list[EnvelopeOutcome]


def read_campaign_completed(body: bytes, signature: str | None, secret: str | bytes) -> CampaignCompleted:
    """The payload of a verified webhook; :class:`WebhookSignatureError` when the signature is wrong."""
    if not verify_signature(body, signature, secret):
        raise WebhookSignatureError(f"{SIGNATURE_HEADER} is missing or is not the HMAC-SHA1 of the body")
    try:
        data = as_object(json.loads(body), "a webhook payload")
    except ValueError as exc:
        raise UnexpectedResponseError(f"the webhook body is not JSON: {body[:200]!r}") from exc
    envelopes = [as_object(item, "an envelope") for item in as_list(data.get("envelopes", []), "envelopes")]
    return CampaignCompleted(
        delivery_id=read_text(data.get("id")),
        state=read_text(data.get("state")),
        occurred_at=read_when(data.get("occurred_at")),
        campaign=Campaign.from_wire(data.get("campaign")),
        envelopes=[
            EnvelopeOutcome(
                id=required_text(item, "id"),
                state=required_text(item, "state"),
                state_changed_at=read_when(item.get("state_changed_at")),
            )
            for item in envelopes
        ],
    )

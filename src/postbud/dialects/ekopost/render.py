"""Ekopost's JSON out: campaigns, envelopes and contents as the seed and the published clients
read them. Dates are UTC without a zone suffix (``2015-01-01T12:00:00``), as the real service's
responses in the clients' test fixtures are; an address object's ``$type`` comes first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from postbud.dialects.ekopost.errors import EkopostError
from postbud.dialects.ekopost.record import REPLYMAIL_TEMPLATE, EnvelopeRecord, content_meta
from postbud.dialects.ekopost.states import campaign_state, envelope_state
from postbud.domain.batches import Batch
from postbud.domain.documents import Document
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.domain.tracking import current_tracking

JSON_TYPE = "application/json; charset=utf-8"


def when(at: datetime | None) -> str | None:
    if at is None:
        return None
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def json_response(document: Any, status: int = 200) -> Response:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, status_code=status, media_type=JSON_TYPE)


def error_response(error: EkopostError) -> Response:
    return json_response(error.to_json(), error.status)


def campaign(batch: Batch, envelope_count: int) -> dict[str, Any]:
    data = batch.data
    return {
        "id": batch.external_id,
        "name": batch.name,
        "output_date": when(batch.output_at or batch.created_at),
        "cost_center": data.get("cost_center"),
        "envelope_count": envelope_count,
        "state": campaign_state(batch.state),
        "state_changed_at": when(batch.state_changed_at or batch.updated_at),
        "created_at": when(batch.created_at),
        "signing": bool(data.get("signing", False)),
        "replymail": bool(data.get("replymail", False)),
    }


def address(wire: Mapping[str, Any]) -> dict[str, Any]:
    """``$type`` first, whatever order the object was stored or written in."""
    return {"$type": wire.get("$type", "postal"), **{k: v for k, v in wire.items() if k != "$type"}}


_FAILURES = frozenset({EventType.PRINT_FAILED, EventType.DELIVERY_FAILED, EventType.NOT_DELIVERED})
_TRACKING = frozenset({EventType.POSTED, EventType.TRACKING_UPDATED})
TRACKING_URL = "https://tracking.postnord.com/?id="


@dataclass(frozen=True, slots=True)
class EnvelopeFacts:
    """What the envelope's events tell: when its state last changed, why it failed, its tracking."""

    state_changed_at: datetime
    failed_reason: str | None = None
    tracking: dict[str, Any] | None = None


def facts_of(shipment: Shipment, events: Sequence[ShipmentEvent]) -> EnvelopeFacts:
    changed = max([shipment.created_at, *(e.at for e in events)])
    failed_reason = None
    for event in events:
        if event.type in _FAILURES:
            reason = event.data.get("reason") or event.data.get("error")
            failed_reason = str(reason) if reason else event.type.value
    tracked = current_tracking(e.data for e in events if e.type in _TRACKING)
    tracking = None
    if tracked is not None:
        number, state = tracked
        tracking = {"parcelNo": number, "trackingState": state.value, "trackingUrl": TRACKING_URL + number}
    return EnvelopeFacts(changed, failed_reason, tracking)


def envelope(shipment: Shipment, facts: EnvelopeFacts) -> dict[str, Any]:
    record = EnvelopeRecord.of(shipment.properties) or EnvelopeRecord(None, {}, "priority", "simplex", False)
    state = envelope_state(shipment.status)
    changed = when(facts.state_changed_at)
    document: dict[str, Any] = {
        "id": str(shipment.id),
        "name": record.name,
        "address": address(record.address) if record.address else None,
        "postage": record.postage,
        "plex": record.plex,
        "color": record.color,
        "state": state,
        "state_changed_at": changed,
        "created_at": when(shipment.created_at),
        "transaction": {"state": state, "state_changed_at": changed},
        "pu": record.pu,
        "kb": record.kb,
        "consignor_contact": record.consignor_contact,
        "agent": record.agent,
        "unique_id": shipment.external_id,
    }
    if record.warning:
        document["warning"] = record.warning
    if shipment.status in {ShipmentStatus.FAILED, ShipmentStatus.NOT_DELIVERED, ShipmentStatus.EXPIRED}:
        document["failed_reason"] = facts.failed_reason or shipment.status.value
    if record.postage == "rek" and facts.tracking is not None:
        document["tracking"] = facts.tracking
    return document


def content_type_of(document: Document) -> str:
    meta = content_meta(document.external_id)
    if meta is not None:
        return "attachment" if meta[0] == REPLYMAIL_TEMPLATE else meta[0]
    return "document" if document.is_primary else "attachment"


def content(document: Document, *, return_address: bool | None = None, fallback: datetime) -> dict[str, Any]:
    meta = content_meta(document.external_id)
    created_at = meta[1] if meta is not None else fallback
    result: dict[str, Any] = {
        "id": str(document.id),
        "mime": document.mime,
        "length": document.size,
        "type": content_type_of(document),
        "created_at": when(created_at),
    }
    if return_address is not None:
        result["return_address"] = return_address
    return result

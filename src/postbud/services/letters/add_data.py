"""Adding data to a sent document: a later datatype that complements the one the document carries.

An invoice gets its payment status, a pickup notice its new status, a residence its updated
details, a sharing request its stop; `COMPLEMENTED_BY` says what may follow what. Accepted data
is appended as an event carrying the datatype's JSON (PAYMENT_REGISTERED for a payment,
DATA_ADDED otherwise), so the inbox can show the latest state while the document keeps the
datatype it was sent with. The same data twice is recorded once. Stopping a sharing is the
sharing use case's business. A refused addition is recorded as a REJECTED event with the reason.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from postbud.domain.datatypes import (
    COMPLEMENTED_BY,
    DataType,
    InvoicePayment,
    ShareDocumentsRequestSharingStopped,
    datatype_to_dict,
)
from postbud.domain.documents import Document
from postbud.domain.errors import DomainError, NotFound, RuleCode, ValidationFailed
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.shipments import Shipment
from postbud.services.inbox import sharing
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime
from postbud.storage.unit_of_work import SqlUnitOfWork

_EVENT_OF_KIND = {InvoicePayment.kind: EventType.PAYMENT_REGISTERED}
_STOP_SHARING = ShareDocumentsRequestSharingStopped.kind


@dataclass(frozen=True, slots=True)
class AddData:
    sender_id: uuid.UUID
    shipment_id: uuid.UUID
    document_id: uuid.UUID
    datatype: DataType


def complement_problem(document: Document, kind: str) -> str | None:
    """Why ``kind`` may not be added to ``document``, or None if it may."""
    original = (document.datatype or {}).get("kind")
    if original is None:
        return f"the document carries no datatype, so {kind} cannot be added to it"
    allowed = COMPLEMENTED_BY.get(str(original), frozenset())
    if kind not in allowed:
        accepted = ", ".join(sorted(allowed)) or "nothing"
        return f"a document with {original} cannot take {kind} as additional data (it takes {accepted})"
    if kind == _STOP_SHARING and not document.is_primary:
        return "a sharing request is the primary document of its letter; this document is an attachment"
    return None


async def add_data(cmd: AddData, runtime: Runtime) -> None:
    """Record ``cmd.datatype`` on the document, or record the refusal and raise.

    Raises ValidationFailed when the kind does not complement the document's datatype, and the
    sharing use case's errors (Conflict when the sharing already ended) for a stop.
    """
    kind = cmd.datatype.kind
    async with runtime.unit_of_work() as uow:
        shipment, document = await _locked(uow, cmd.sender_id, cmd.shipment_id, cmd.document_id)
        problem = complement_problem(document, kind)
        now = runtime.clock.now()
        if problem is not None:
            await record_events(uow, shipment, [_rejected(document, kind, problem)], now=now)
        elif kind != _STOP_SHARING:
            await record_events(uow, shipment, [_accepted(document, cmd.datatype)], now=now)
    if problem is not None:
        raise ValidationFailed.of(f"documents[{document.position}].datatype", problem, RuleCode.DATATYPE)
    if kind == _STOP_SHARING:
        await _stop_sharing(runtime, cmd)


async def reject_data(
    runtime: Runtime, sender_id: uuid.UUID, shipment_id: uuid.UUID, document_id: uuid.UUID, reason: str
) -> None:
    """Record that data offered for a document was refused before it could be read (bad XML, …)."""
    async with runtime.unit_of_work() as uow:
        shipment, document = await _locked(uow, sender_id, shipment_id, document_id)
        await record_events(uow, shipment, [_rejected(document, None, reason)], now=runtime.clock.now())


async def _stop_sharing(runtime: Runtime, cmd: AddData) -> None:
    try:
        await sharing.stop_sharing(runtime, cmd.shipment_id, cmd.sender_id)
    except DomainError as exc:  # e.g. Conflict: the sharing already ended
        await reject_data(runtime, cmd.sender_id, cmd.shipment_id, cmd.document_id, str(exc))
        raise


async def _locked(
    uow: SqlUnitOfWork, sender_id: uuid.UUID, shipment_id: uuid.UUID, document_id: uuid.UUID
) -> tuple[Shipment, Document]:
    shipment = await uow.shipments.get(shipment_id, for_update=True)
    document = next((d for d in shipment.documents if d.id == document_id), None) if shipment else None
    if shipment is None or document is None or shipment.sender_id != sender_id:
        raise NotFound("document", document_id)
    return shipment, document


def _accepted(document: Document, datatype: DataType) -> EventDraft:
    payload = datatype_to_dict(datatype)
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:40]
    event_type = _EVENT_OF_KIND.get(datatype.kind, EventType.DATA_ADDED)
    data = {**_about(document), "kind": datatype.kind, "datatype": payload}
    return EventDraft(event_type, data=data, dedup_key=f"{event_type.value}:{document.position}:{digest}")


def _rejected(document: Document, kind: str | None, reason: str) -> EventDraft:
    data: dict[str, Any] = {**_about(document), "what": "additional data", "reason": reason}
    if kind is not None:
        data["kind"] = kind
    return EventDraft(EventType.REJECTED, data=data)


def _about(document: Document) -> dict[str, Any]:
    return {"document_id": str(document.id), "position": document.position}

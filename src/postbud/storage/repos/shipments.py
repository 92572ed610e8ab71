"""Shipments and their documents."""

from __future__ import annotations

import builtins
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, bindparam, func, select, tuple_, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.channel_options import DEFAULT_CHANNEL_OPTIONS
from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel, Document, DocumentIdScope, Sensitivity
from postbud.domain.resources import LETTER_RESOURCE_PROPERTY
from postbud.domain.shipments import (
    NondeliverableHandling,
    NotificationRequest,
    Postage,
    PrintInstructions,
    Shipment,
)
from postbud.domain.status import ShipmentStatus
from postbud.storage import schema
from postbud.storage.repos.channel_options import channel_options_from_json, channel_options_to_json
from postbud.storage.repos.parties import address_from_json, address_to_json
from postbud.storage.repos.registrations import registration_from_json, registration_to_json
from postbud.storage.writeset import GuardedUpdate, WriteSet


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _print_to_json(p: PrintInstructions | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "recipient": address_to_json(p.recipient),
        "return_address": address_to_json(p.return_address),
        "color": p.color,
        "duplex": p.duplex,
        "nondeliverable": p.nondeliverable.value,
        "postage": p.postage.value,
        "cover_page": p.cover_page,
        "instructions": [list(kv) for kv in p.instructions],
    }


def _print_from_json(data: dict[str, Any] | None) -> PrintInstructions | None:
    if not data:
        return None
    recipient = address_from_json(data["recipient"])
    assert recipient is not None
    return PrintInstructions(
        recipient=recipient,
        return_address=address_from_json(data.get("return_address")),
        color=data.get("color", False),
        duplex=data.get("duplex", True),
        nondeliverable=NondeliverableHandling(data.get("nondeliverable", "return_to_sender")),
        postage=Postage(data.get("postage", "economy")),
        cover_page=data.get("cover_page", True),
        instructions=tuple((k, v) for k, v in data.get("instructions", ())),
    )


def _notification_to_json(n: NotificationRequest) -> dict[str, Any]:
    return {
        "channel": n.channel.value,
        "address": n.address,
        "subject": n.subject,
        "text": n.text,
        "at": [t.isoformat() for t in n.at],
        "after_hours": list(n.after_hours),
    }


def _notification_from_json(d: dict[str, Any]) -> NotificationRequest:
    return NotificationRequest(
        channel=Channel(d["channel"]),
        address=d.get("address"),
        subject=d.get("subject"),
        text=d.get("text"),
        at=tuple(datetime.fromisoformat(t) for t in d.get("at", ())),
        after_hours=tuple(d.get("after_hours", ())),
    )


LETTER_ID_TAKEN = "uq_shipments_sender_id_dialect_external_id"
"""The unique key a letter id (``external_id``) reused by its sender breaks."""
DOCUMENT_ID_TAKEN = "uq_documents_sender_id_external_id_id_scope"
"""The unique key a document id reused in its scope breaks."""
_SENDER_SCOPE = DocumentIdScope.SENDER.value


def reference_digest(senders_reference: str) -> str:
    """What the sender's reference is indexed by: a btree entry of up to 4,096 characters could
    pass PostgreSQL's limit of about 2.7 KB."""
    return hashlib.sha256(senders_reference.encode()).hexdigest()


def _id_scope(doc: Document, shipment_id: uuid.UUID) -> str:
    return _SENDER_SCOPE if doc.id_scope is DocumentIdScope.SENDER else f"letter:{shipment_id}"


def request_json(shipment: Shipment) -> dict[str, Any]:
    """What the sender asked for, beyond the columns: the ``request`` column of a shipment."""
    return {
        "channels": [c.value for c in shipment.channels],
        "print": _print_to_json(shipment.print_instructions),
        "print_if_unread_after": _iso(shipment.print_if_unread_after),
        "notifications": [_notification_to_json(n) for n in shipment.notifications],
        "email_address": shipment.email_address,
        "invoice_reference": shipment.invoice_reference,
        "ignore_reservation": shipment.ignore_reservation,
        "properties": shipment.properties,
        "registration": registration_to_json(shipment.registration),
        "channel_options": None
        if shipment.channel_options is DEFAULT_CHANNEL_OPTIONS
        else channel_options_to_json(shipment.channel_options),
    }


def shipment_rows(shipment: Shipment, ws: WriteSet, *, request: dict[str, Any] | None = None) -> None:
    """Add the rows that store ``shipment`` and its documents to ``ws``; ``request``: the stored
    request when the caller has it already (a draft adds what closing it needs)."""
    reference = shipment.senders_reference
    ws.add(
        schema.shipments,
        {
            "id": shipment.id,
            "sender_id": shipment.sender_id,
            "dialect": shipment.dialect,
            "external_id": shipment.external_id,
            "recipient_id": shipment.recipient_id,
            "recipient_party": shipment.recipient_party,
            "recipient_name": shipment.recipient_name,
            "subject": shipment.subject,
            "channel": shipment.channel.value if shipment.channel else None,
            "status": shipment.status.value,
            "batch_id": shipment.batch_id,
            "publish_at": shipment.publish_at,
            "request": request_json(shipment) if request is None else request,
            "created_at": shipment.created_at,
            "updated_at": shipment.created_at,
            "senders_reference": reference,
            "senders_reference_sha256": reference_digest(reference) if reference is not None else None,
            "resource_id": shipment.properties.get(LETTER_RESOURCE_PROPERTY),
        },
    )
    for doc in shipment.documents:
        ws.add(schema.documents, document_row(doc, shipment.id, shipment.sender_id))


def document_row(doc: Document, shipment_id: uuid.UUID, sender_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": doc.id,
        "shipment_id": shipment_id,
        "sender_id": sender_id,
        "position": doc.position,
        "external_id": doc.external_id,
        "title": doc.title,
        "file_type": doc.file_type,
        "mime": doc.mime,
        "sha256": doc.sha256,
        "size": doc.size,
        "pages": doc.pages,
        "authentication": doc.authentication.value,
        "sensitivity": doc.sensitivity.value,
        "datatype": doc.datatype,
        "opening_receipt": doc.opening_receipt,
        "id_scope": _id_scope(doc, shipment_id),
        "attachment_id": doc.attachment_id,
    }


def _document(row: Mapping[Any, Any]) -> Document:
    return Document(
        id=row["id"],
        position=row["position"],
        external_id=row["external_id"],
        title=row["title"],
        file_type=row["file_type"],
        mime=row["mime"],
        sha256=row["sha256"],
        size=row["size"],
        pages=row["pages"],
        authentication=AuthenticationLevel(row["authentication"]),
        sensitivity=Sensitivity(row["sensitivity"]),
        datatype=row["datatype"],
        opening_receipt=row["opening_receipt"],
        id_scope=DocumentIdScope.SENDER if row["id_scope"] == _SENDER_SCOPE else DocumentIdScope.LETTER,
        attachment_id=row["attachment_id"],
    )


def _shipment(row: Mapping[Any, Any], docs: list[Document]) -> Shipment:
    req = row["request"]
    return Shipment(
        id=row["id"],
        sender_id=row["sender_id"],
        dialect=row["dialect"],
        external_id=row["external_id"],
        recipient_id=row["recipient_id"],
        recipient_party=row["recipient_party"],
        recipient_name=row["recipient_name"],
        channels=tuple(Channel(c) for c in req.get("channels", ())),
        documents=tuple(sorted(docs, key=lambda d: d.position)),
        created_at=row["created_at"],
        publish_at=row["publish_at"],
        print_instructions=_print_from_json(req.get("print")),
        print_if_unread_after=_dt(req.get("print_if_unread_after")),
        notifications=tuple(_notification_from_json(n) for n in req.get("notifications", ())),
        email_address=req.get("email_address"),
        batch_id=row["batch_id"],
        invoice_reference=req.get("invoice_reference"),
        channel=Channel(row["channel"]) if row["channel"] else None,
        status=ShipmentStatus(row["status"]),
        ignore_reservation=req.get("ignore_reservation", False),
        properties=req.get("properties", {}),
        registration=registration_from_json(req.get("registration")),
        senders_reference=row["senders_reference"],
        channel_options=channel_options_from_json(req.get("channel_options")),
    )


# For rows read elsewhere (a Core row mapping or a prepared read's dict: storage/hot_reads_letters.py).
document_from_row = _document
shipment_from_row = _shipment


class ShipmentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _load(self, rows: list[RowMapping]) -> list[Shipment]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        doc_rows = (
            await self._conn.execute(select(schema.documents).where(schema.documents.c.shipment_id.in_(ids)))
        ).mappings()
        docs: dict[uuid.UUID, list[Document]] = {}
        for d in doc_rows:
            docs.setdefault(d["shipment_id"], []).append(_document(d))
        return [_shipment(r, docs.get(r["id"], [])) for r in rows]

    async def get(self, shipment_id: uuid.UUID, *, for_update: bool = False) -> Shipment | None:
        query = select(schema.shipments).where(schema.shipments.c.id == shipment_id)
        if for_update:
            query = query.with_for_update()
        rows = list((await self._conn.execute(query)).mappings())
        found = await self._load(rows)
        return found[0] if found else None

    async def by_external_id(self, sender_id: uuid.UUID, dialect: str, external_id: str) -> Shipment | None:
        s = schema.shipments.c
        query = select(schema.shipments).where(
            s.sender_id == sender_id, s.dialect == dialect, s.external_id == external_id
        )
        found = await self._load(list((await self._conn.execute(query)).mappings()))
        return found[0] if found else None

    async def by_document_external_id(self, sender_id: uuid.UUID, document_id: str) -> Shipment | None:
        d = schema.documents.c
        query = select(schema.shipments).join(schema.documents, d.shipment_id == schema.shipments.c.id)
        query = query.where(
            d.sender_id == sender_id, d.external_id == document_id, d.id_scope == _SENDER_SCOPE
        )
        found = await self._load(list((await self._conn.execute(query)).mappings()))
        return found[0] if found else None

    async def document_ids_taken(self, sender_id: uuid.UUID, external_ids: list[str]) -> list[str]:
        d = schema.documents.c
        query = select(d.external_id).where(
            d.sender_id == sender_id, d.external_id.in_(external_ids), d.id_scope == _SENDER_SCOPE
        )
        return [r[0] for r in await self._conn.execute(query)]

    async def in_batch(self, batch_id: uuid.UUID) -> list[Shipment]:
        query = select(schema.shipments).where(schema.shipments.c.batch_id == batch_id)
        return await self._load(list((await self._conn.execute(query)).mappings()))

    async def list(
        self,
        *,
        sender_id: uuid.UUID | None = None,
        recipient_id: uuid.UUID | None = None,
        status: str | None = None,
        channel: str | None = None,
        resource_id: str | None = None,
        before: tuple[datetime, uuid.UUID] | None = None,
        limit: int = 50,
    ) -> list[Shipment]:
        """Newest first, keyset-paged by (created_at, id) so deep pages stay fast. Drafts (letters
        still being built) only when asked for by their status."""
        s = schema.shipments.c
        query = select(schema.shipments)
        if status != ShipmentStatus.DRAFT.value:
            query = query.where(s.status != ShipmentStatus.DRAFT.value)
        if sender_id:
            query = query.where(s.sender_id == sender_id)
        if recipient_id:
            query = query.where(s.recipient_id == recipient_id)
        if status:
            query = query.where(s.status == status)
        if channel:
            query = query.where(s.channel == channel)
        if resource_id:
            query = query.where(s.resource_id == resource_id)
        if before:
            # A row-value comparison, so the cursor is a range on the (…, created_at, id) indexes.
            query = query.where(tuple_(s.created_at, s.id) < before)
        query = query.order_by(s.created_at.desc(), s.id.desc()).limit(limit)
        return await self._load(list((await self._conn.execute(query)).mappings()))

    async def lock_state(self, shipment_id: uuid.UUID) -> tuple[ShipmentStatus, Channel | None] | None:
        """The letter's status and channel, its row locked for this transaction (PostgreSQL; a SQLite
        write transaction holds the whole database already)."""
        s = schema.shipments.c
        query = select(s.status, s.channel).where(s.id == shipment_id).with_for_update()
        row = (await self._conn.execute(query)).first()
        if row is None:
            return None
        return ShipmentStatus(row[0]), Channel(row[1]) if row[1] else None

    async def set_state(
        self, shipment_id: uuid.UUID, *, status: ShipmentStatus, channel: Channel | None, now: datetime
    ) -> None:
        values: dict[str, Any] = {"status": status.value, "updated_at": now}
        if channel is not None:
            values["channel"] = channel.value
        await self._conn.execute(
            update(schema.shipments).where(schema.shipments.c.id == shipment_id).values(**values)
        )

    async def by_senders_reference(
        self, sender_id: uuid.UUID, senders_reference: str, *, limit: int = 1000
    ) -> builtins.list[Shipment]:
        """The sender's letters with this reference of its own, newest first."""
        s = schema.shipments.c
        query = (
            select(schema.shipments)
            .where(
                s.sender_id == sender_id,
                s.senders_reference_sha256 == reference_digest(senders_reference),
                s.senders_reference == senders_reference,
            )
            .order_by(s.created_at.desc(), s.id.desc())
            .limit(limit)
        )
        return await self._load(list((await self._conn.execute(query)).mappings()))

    async def by_idempotency_key(
        self, sender_id: uuid.UUID, dialect: str, key: str
    ) -> builtins.list[uuid.UUID]:
        """The letters the sender's request with this idempotency key made, in its order; [] if none."""
        r = schema.send_requests.c
        query = select(r.shipment_ids).where(
            r.sender_id == sender_id, r.dialect == dialect, r.idempotency_key == key
        )
        ids = (await self._conn.execute(query)).scalar_one_or_none()
        return [uuid.UUID(i) for i in ids or ()]

    async def draft_request(self, shipment_id: uuid.UUID) -> dict[str, Any] | None:
        """The stored request of a draft, with what closing it needs (``request["draft"]``)."""
        s = schema.shipments.c
        query = select(s.request).where(s.id == shipment_id, s.status == ShipmentStatus.DRAFT.value)
        request: dict[str, Any] | None = (await self._conn.execute(query)).scalar_one_or_none()
        return request


def send_request_row(
    ws: WriteSet,
    *,
    request_id: uuid.UUID,
    sender_id: uuid.UUID,
    dialect: str,
    idempotency_key: str | None,
    shipment_ids: list[uuid.UUID],
    now: datetime,
) -> None:
    """One request that made many letters; a reused idempotency key breaks ``IDEMPOTENCY_KEY_TAKEN``."""
    ws.add(
        schema.send_requests,
        {
            "id": request_id,
            "sender_id": sender_id,
            "dialect": dialect,
            "idempotency_key": idempotency_key,
            "shipment_ids": [str(i) for i in shipment_ids],
            "created_at": now,
        },
    )


IDEMPOTENCY_KEY_TAKEN = "uq_send_requests_sender_id_dialect_idempotency_key"
POSITION_TAKEN = "uq_documents_shipment_id_position"
"""The unique key two documents at one position of a letter break."""


@dataclass(frozen=True, slots=True)
class DraftRevision:
    """A draft's revised stored request and recipient name, written with the document it came from."""

    request: dict[str, Any]
    recipient_name: str | None


def _set(*columns: str) -> dict[str, Any]:
    """``values()`` of a guarded update built once: each column bound as ``set_<column>``."""
    s = schema.shipments.c
    return {name: bindparam(f"set_{name}", type_=s[name].type) for name in columns}


_S, _D = schema.shipments.c, schema.documents.c
_WHERE_ID = bindparam("where_id", type_=_S.id.type)
_STILL_A_DRAFT = (_S.id == _WHERE_ID) & (_S.status == ShipmentStatus.DRAFT.value)
_DRAFT_TOUCHED = update(schema.shipments).where(_STILL_A_DRAFT).values(_set("updated_at"))
_DRAFT_REVISED = (
    update(schema.shipments).where(_STILL_A_DRAFT).values(_set("updated_at", "request", "recipient_name"))
)
_DRAFT_CLOSED = (
    update(schema.shipments)
    .where(
        _STILL_A_DRAFT,
        select(func.count()).where(_D.shipment_id == _WHERE_ID).scalar_subquery()
        == bindparam("where_documents", type_=Integer),
    )
    .values(_set("recipient_id", "recipient_name", "subject", "channel", "status", "request", "updated_at"))
)


def draft_document_rows(
    document: Document,
    shipment: Shipment,
    ws: WriteSet,
    *,
    now: datetime,
    revision: DraftRevision | None = None,
) -> None:
    """A document added to a draft (and the draft revised by what it learned from it), kept only if
    the letter is still a draft when they are written."""
    ws.add(schema.documents, document_row(document, shipment.id, shipment.sender_id))
    parameters: dict[str, Any] = {"where_id": shipment.id, "set_updated_at": now}
    statement = _DRAFT_TOUCHED
    if revision is not None:
        statement = _DRAFT_REVISED
        parameters.update(set_request=revision.request, set_recipient_name=revision.recipient_name)
    ws.updates.append(GuardedUpdate(statement, f"letter {shipment.id} is a draft", parameters=parameters))


def closed_draft_rows(shipment: Shipment, document_count: int, ws: WriteSet, *, now: datetime) -> None:
    """Store what closing routed for a draft, if it is still the draft that was planned: a draft
    with ``document_count`` documents (none added while it was being closed)."""
    parameters = {
        "where_id": shipment.id,
        "where_documents": document_count,
        "set_recipient_id": shipment.recipient_id,
        "set_recipient_name": shipment.recipient_name,
        "set_subject": shipment.subject,
        "set_channel": shipment.channel.value if shipment.channel else None,
        "set_status": shipment.status.value,
        "set_request": request_json(shipment),
        "set_updated_at": now,
    }
    ws.updates.append(
        GuardedUpdate(
            _DRAFT_CLOSED,
            f"letter {shipment.id} is the draft with {document_count} documents",
            parameters=parameters,
        )
    )

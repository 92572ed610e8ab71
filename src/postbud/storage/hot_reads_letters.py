"""The reads of a letter built in steps, on its request path: its batch, the letter (with its
documents and stored request) and its events.

An Ekopost envelope is three or four requests, and each reads its campaign and its envelope again.
On a SQLite file these reads run inline on the event loop as statements compiled once, on the
thread's plain connection (tens of microseconds each; through SQLAlchemy each statement spent most
of its time building cache keys and result objects). Elsewhere they go through the repositories.
Both paths return the same domain objects as ``BatchRepository.by_external_id``,
``ShipmentRepository.get`` and ``EventRepository.for_shipment``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select

from postbud.domain.batches import Batch
from postbud.domain.events import ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.prepared_per_database import prepared_per_database
from postbud.storage.prepared_select import PreparedSelect
from postbud.storage.repos.batches import batch_from_row
from postbud.storage.repos.events import event_from_row
from postbud.storage.repos.shipments import document_from_row, shipment_from_row
from postbud.storage.unit_of_work import SqlUnitOfWork

_b, _s, _d, _e = schema.batches.c, schema.shipments.c, schema.documents.c, schema.events.c
_BATCH = select(schema.batches).where(
    _b.sender_id == bindparam("sender_id"),
    _b.dialect == bindparam("dialect"),
    _b.external_id == bindparam("external_id"),
)
_BATCH_BY_ID = select(schema.batches).where(_b.id == bindparam("batch_id"))
_SHIPMENT = select(schema.shipments).where(_s.id == bindparam("shipment_id"))
_DOCUMENTS = select(schema.documents).where(_d.shipment_id == bindparam("shipment_id"))
_EVENTS = select(schema.events).where(_e.shipment_id == bindparam("shipment_id")).order_by(_e.at, _e.id)


@dataclass(frozen=True, slots=True)
class StoredLetter:
    shipment: Shipment
    request: dict[str, Any]
    """A draft's stored request (its ``request["draft"]`` is what closing it needs); {} for a letter
    that is no longer a draft."""
    events: list[ShipmentEvent] | None
    """Oldest first; None when not asked for."""


@dataclass(frozen=True, slots=True)
class _Statements:
    batch: PreparedSelect
    batch_by_id: PreparedSelect
    shipment: PreparedSelect
    documents: PreparedSelect
    events: PreparedSelect


_statements = prepared_per_database(
    _Statements,
    batch=_BATCH,
    batch_by_id=_BATCH_BY_ID,
    shipment=_SHIPMENT,
    documents=_DOCUMENTS,
    events=_EVENTS,
)


async def batch_by_external_id(
    database: Database, sender_id: uuid.UUID, dialect: str, external_id: str
) -> Batch | None:
    if not database.has_plain_reads:
        async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
            return await uow.batches.by_external_id(sender_id, dialect, external_id)
    with database.plain_read_connection() as conn:
        row = _statements(database).batch.first(
            conn, sender_id=sender_id, dialect=dialect, external_id=external_id
        )
    return batch_from_row(row) if row is not None else None


async def batch_by_id(database: Database, batch_id: uuid.UUID) -> Batch | None:
    if not database.has_plain_reads:
        async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
            return await uow.batches.get(batch_id)
    with database.plain_read_connection() as conn:
        row = _statements(database).batch_by_id.first(conn, batch_id=batch_id)
    return batch_from_row(row) if row is not None else None


async def stored_letter(
    database: Database, shipment_id: uuid.UUID, *, with_events: bool
) -> StoredLetter | None:
    """The letter with its documents and stored request (and its events when asked), or None."""
    if not database.has_plain_reads:
        async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
            shipment = await uow.shipments.get(shipment_id)
            if shipment is None:
                return None
            request = None
            if shipment.status is ShipmentStatus.DRAFT:
                request = await uow.shipments.draft_request(shipment_id)
            events = await uow.events.for_shipment(shipment_id) if with_events else None
            return StoredLetter(shipment, request or {}, events)
    statements = _statements(database)
    with database.plain_read_connection() as conn:
        row = statements.shipment.first(conn, shipment_id=shipment_id)
        if row is None:
            return None
        documents = [document_from_row(d) for d in statements.documents.all(conn, shipment_id=shipment_id)]
        event_rows = statements.events.all(conn, shipment_id=shipment_id) if with_events else None
    events = [event_from_row(e) for e in event_rows] if event_rows is not None else None
    shipment = shipment_from_row(row, documents)
    request = row["request"] if shipment.status is ShipmentStatus.DRAFT else None
    return StoredLetter(shipment, request or {}, events)

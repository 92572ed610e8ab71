"""The append-only event log, and the webhook deliveries each event fans out to."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.batches import ALL_BATCH_EVENTS, BatchState, batch_event_name
from postbud.domain.channels import Channel
from postbud.domain.event_feed import in_feed
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.ids import new_id
from postbud.storage import schema
from postbud.storage.job_kinds import WEBHOOK_DELIVER
from postbud.storage.repos.jobs import job_row
from postbud.storage.repos.routed_counts import is_first_route, routed_count_row
from postbud.storage.writeset import WriteSet


@dataclass(frozen=True, slots=True)
class Subscription:
    id: uuid.UUID
    event_types: frozenset[str]

    def wants(self, event_type: EventType) -> bool:
        return "*" in self.event_types or event_type.value in self.event_types

    def wants_batch(self, state: BatchState) -> bool:
        """Batch events go only where they are named (``*`` is every letter event, as it always was)."""
        return ALL_BATCH_EVENTS in self.event_types or batch_event_name(state) in self.event_types


def event_rows(
    event: ShipmentEvent, subscriptions: list[Subscription], ws: WriteSet, *, dialect: str | None = None
) -> None:
    """The event row, plus one delivery and one delivery job per interested webhook; an outcome a
    sender polls for also goes into its feed (which needs the letter's ``dialect``), and a letter's
    first route is counted for the console's chart."""
    ws.add(
        schema.events,
        {
            "id": event.id,
            "shipment_id": event.shipment_id,
            "sender_id": event.sender_id,
            "type": event.type.value,
            "channel": event.channel.value if event.channel else None,
            "at": event.at,
            "data": event.data,
            "dedup_key": event.dedup_key,
        },
    )
    for sub in subscriptions:
        if sub.wants(event.type):
            delivery_rows(sub, event.id, event.sender_id, event.at, ws)
    if dialect is not None and in_feed(event.type, event.channel):
        ws.add(
            schema.event_feed,
            {
                "event_id": event.id,
                "sender_id": event.sender_id,
                "dialect": dialect,
                "at": event.at,
                "type": event.type.value,
                "channel": event.channel.value if event.channel else None,
                "shipment_id": event.shipment_id,
            },
        )
    if is_first_route(event):
        ws.add(schema.routed_letters_per_hour, routed_count_row(event))


def delivery_rows(
    subscription: Subscription, event_id: uuid.UUID, sender_id: uuid.UUID, at: datetime, ws: WriteSet
) -> None:
    """One webhook delivery of an event (of a letter or of a batch) and the job that makes it."""
    delivery_id = new_id()
    ws.add(
        schema.webhook_deliveries,
        {
            "id": delivery_id,
            "webhook_id": subscription.id,
            "event_id": event_id,
            "sender_id": sender_id,
            "status": "pending",
            "attempts": 0,
            "last_status_code": None,
            "last_error": None,
            "next_attempt_at": at,
            "delivered_at": None,
            "created_at": at,
        },
    )
    ws.add(schema.jobs, job_row(WEBHOOK_DELIVER, {"delivery_id": str(delivery_id)}, now=at, max_attempts=30))


@dataclass(frozen=True, slots=True)
class EventOnDocument:
    """An event with the primary document of its shipment, for logs keyed by document."""

    event: ShipmentEvent
    document_id: uuid.UUID
    document_external_id: str | None
    shipment_created_at: datetime


EventKind = tuple[str, Sequence[str] | None]
"""An event type and the channels it counts for (None: any channel)."""


def _event(row: Mapping[Any, Any]) -> ShipmentEvent:
    return ShipmentEvent(
        id=row["id"],
        shipment_id=row["shipment_id"],
        sender_id=row["sender_id"],
        type=EventType(row["type"]),
        at=row["at"],
        channel=Channel(row["channel"]) if row["channel"] else None,
        data=row["data"] or {},
        dedup_key=row["dedup_key"],
    )


event_from_row = _event
"""An event from its row (a Core row mapping or a prepared read's dict: storage/hot_reads_letters.py)."""

_w = schema.webhooks.c
# Shared with storage/hot_reads.py, which runs it as a prepared statement on the send path.
SUBSCRIPTIONS = select(_w.id, _w.event_types).where(_w.sender_id == bindparam("sender_id"), _w.active)


def subscription_from_row(row: Sequence[Any]) -> Subscription:
    return Subscription(row[0], frozenset(row[1]))


class EventRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def subscriptions(self, sender_id: uuid.UUID) -> list[Subscription]:
        rows = await self._conn.execute(SUBSCRIPTIONS, {"sender_id": sender_id})
        return [subscription_from_row(r) for r in rows]

    async def exists(self, shipment_id: uuid.UUID, dedup_key: str) -> bool:
        e = schema.events.c
        query = select(e.id).where(e.shipment_id == shipment_id, e.dedup_key == dedup_key)
        return (await self._conn.execute(query)).first() is not None

    async def for_shipment(self, shipment_id: uuid.UUID) -> list[ShipmentEvent]:
        e = schema.events.c
        query = select(schema.events).where(e.shipment_id == shipment_id).order_by(e.at, e.id)
        return [_event(r) for r in (await self._conn.execute(query)).mappings()]

    async def for_shipments(self, shipment_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ShipmentEvent]]:
        """The events of each of these shipments, oldest first: one query for the lot."""
        e = schema.events.c
        found: dict[uuid.UUID, list[ShipmentEvent]] = {shipment_id: [] for shipment_id in shipment_ids}
        if not found:
            return found
        query = select(schema.events).where(e.shipment_id.in_(list(found))).order_by(e.at, e.id)
        for row in (await self._conn.execute(query)).mappings():
            found[row["shipment_id"]].append(_event(row))
        return found

    async def get(self, event_id: uuid.UUID) -> ShipmentEvent | None:
        row = (
            (await self._conn.execute(select(schema.events).where(schema.events.c.id == event_id)))
            .mappings()
            .first()
        )
        return _event(row) if row else None

    async def for_sender(
        self,
        sender_id: uuid.UUID | None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        types: list[str] | None = None,
        after: tuple[datetime, uuid.UUID] | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[ShipmentEvent]:
        """Oldest first within [since, until); ``after`` continues from the last event seen."""
        e = schema.events.c
        query = select(schema.events)
        if sender_id is not None:
            query = query.where(e.sender_id == sender_id)
        if since is not None:
            query = query.where(e.at >= since)
        if until is not None:
            query = query.where(e.at < until)
        if types:
            query = query.where(e.type.in_(types))
        if after is not None:
            at, last = after
            query = query.where(or_(e.at > at, and_(e.at == at, e.id > last)))
        query = query.order_by(e.at, e.id).offset(offset).limit(limit)
        return [_event(r) for r in (await self._conn.execute(query)).mappings()]

    async def for_sender_on_documents(
        self,
        sender_id: uuid.UUID,
        *,
        since: datetime,
        until: datetime,
        kinds: Sequence[EventKind],
        dialect: str,
        offset: int = 0,
        limit: int = 100,
    ) -> list[EventOnDocument]:
        """Events of ``kinds`` in [since, until), oldest first, of shipments sent through ``dialect``.

        Read from the sender's event feed, which holds only the events a poll can show: the walk
        down (sender, dialect, at, event) stops after ``offset + limit`` rows, and each joins its
        event, shipment and primary document by key. Every kind asked for must be a feed kind
        (domain/event_feed.py).
        """
        if not kinds:
            return []
        f, e, s, d = schema.event_feed.c, schema.events.c, schema.shipments.c, schema.documents.c
        wanted: list[ColumnElement[bool]] = [
            f.type == kind if channels is None else and_(f.type == kind, f.channel.in_(list(channels)))
            for kind, channels in kinds
        ]
        query = (
            select(
                schema.events,
                d.id.label("document_id"),
                d.external_id.label("document_external_id"),
                s.created_at.label("shipment_created_at"),
            )
            .select_from(schema.event_feed)
            .join(schema.events, e.id == f.event_id)
            .join(schema.shipments, s.id == f.shipment_id)
            .join(schema.documents, and_(d.shipment_id == f.shipment_id, d.position == 0))
            .where(f.sender_id == sender_id, f.dialect == dialect, f.at >= since, f.at < until, or_(*wanted))
            .order_by(f.at, f.event_id)
            .offset(offset)
            .limit(limit)
        )
        return [
            EventOnDocument(
                event=_event(row),
                document_id=row["document_id"],
                document_external_id=row["document_external_id"],
                shipment_created_at=row["shipment_created_at"],
            )
            for row in (await self._conn.execute(query)).mappings()
        ]


def event_data(**values: Any) -> dict[str, Any]:
    """Event payloads are JSON: drop Nones and turn enums and datetimes into text."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = value.value
        out[key] = value
    return out

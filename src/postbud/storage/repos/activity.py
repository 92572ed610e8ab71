"""What the platform is doing, across all senders: the event feed, letters routed per hour, the queue.

Read by the operator console. The feed joins each event to its letter and sender in one query on
the events' time index.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.documents import Sensitivity
from postbud.domain.events import EventType, ShipmentEvent
from postbud.storage import schema
from postbud.storage.job_kinds import HOUSEKEEPING
from postbud.storage.repos.events import event_from_row
from postbud.storage.repos.jobs import READY
from postbud.storage.repos.routed_counts import NOT_DELIVERED, hour_of
from postbud.storage.types import UtcDateTime


@dataclass(frozen=True, slots=True)
class FeedRow:
    event: ShipmentEvent
    sender_name: str | None
    subject: str | None
    recipient: str | None
    sensitive: bool


@dataclass(frozen=True, slots=True)
class HourCount:
    hour: datetime
    channel: str | None
    letters: int


@dataclass(frozen=True, slots=True)
class Scheduled:
    jobs: int
    next_run_at: datetime | None


def _feed_query() -> Select[tuple[object, ...]]:
    e, s, d, p = schema.events.c, schema.shipments.c, schema.documents.c, schema.senders.c
    return (
        select(
            schema.events,
            p.name.label("sender_name"),
            s.subject,
            s.recipient_party,
            s.recipient_name,
            d.sensitivity,
        )
        .join(schema.shipments, s.id == e.shipment_id)
        .outerjoin(schema.senders, p.id == e.sender_id)
        .outerjoin(schema.documents, and_(d.shipment_id == e.shipment_id, d.position == 0))
    )


def _feed_row(row: RowMapping) -> FeedRow:
    recipient = row["recipient_name"] or row["recipient_party"]
    return FeedRow(
        event=event_from_row(row),
        sender_name=row["sender_name"],
        subject=row["subject"],
        recipient=recipient,
        sensitive=row["sensitivity"] == Sensitivity.SENSITIVE.value,
    )


class ActivityRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def newest_events(self, limit: int) -> list[FeedRow]:
        """The newest events, newest first."""
        e = schema.events.c
        query = _feed_query().order_by(e.at.desc(), e.id.desc()).limit(limit)
        return [_feed_row(r) for r in (await self._conn.execute(query)).mappings()]

    async def events_since(self, since: datetime | None, limit: int) -> list[FeedRow]:
        """Events at or after ``since``, oldest first."""
        e = schema.events.c
        query = _feed_query()
        if since is not None:
            query = query.where(e.at >= since)
        query = query.order_by(e.at, e.id).limit(limit)
        return [_feed_row(r) for r in (await self._conn.execute(query)).mappings()]

    async def letters_routed_per_hour(self, since: datetime) -> list[HourCount]:
        """Letters by the channel they were routed to (None: not delivered), per hour from ``since``.

        Read from the counts kept as letters are routed (storage/repos/routed_counts.py): a few
        rows per hour, however many letters there were.
        """
        r = schema.routed_letters_per_hour.c
        query = (
            select(r.hour, r.channel, func.sum(r.letters).label("letters"))
            .where(r.hour >= hour_of(since))
            .group_by(r.hour, r.channel)
        )
        rows = await self._conn.execute(query)
        return [
            HourCount(r.hour, None if r.channel == NOT_DELIVERED else r.channel, int(r.letters)) for r in rows
        ]

    async def scheduled_jobs(self, now: datetime) -> Scheduled:
        """Ready jobs waiting for a later time (a publish time, print-if-unread, a retry); not the
        store's housekeeping, which always has a next run."""
        j = schema.jobs.c
        first = func.min(j.run_at, type_=UtcDateTime)
        waiting = (j.status == READY, j.run_at > now, j.kind.not_in(list(HOUSEKEEPING)))
        query = select(func.count(), first).where(*waiting)
        count, first_at = (await self._conn.execute(query)).one()
        return Scheduled(int(count), first_at)

    async def sender_names(self, sender_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not sender_ids:
            return {}
        p = schema.senders.c
        rows = await self._conn.execute(select(p.id, p.name).where(p.id.in_(list(set(sender_ids)))))
        return {r.id: r.name for r in rows}

    async def events_of(
        self, shipment_ids: Sequence[uuid.UUID], types: Sequence[EventType]
    ) -> dict[uuid.UUID, list[ShipmentEvent]]:
        """The events of ``types`` on each of the letters, oldest first."""
        if not shipment_ids:
            return {}
        e = schema.events.c
        query = (
            select(schema.events)
            .where(e.shipment_id.in_(list(shipment_ids)), e.type.in_([t.value for t in types]))
            .order_by(e.at, e.id)
        )
        found: dict[uuid.UUID, list[ShipmentEvent]] = {shipment_id: [] for shipment_id in shipment_ids}
        for row in (await self._conn.execute(query)).mappings():
            event = event_from_row(row)
            found[event.shipment_id].append(event)
        return found

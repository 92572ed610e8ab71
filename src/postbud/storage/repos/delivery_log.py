"""The webhook delivery log as an operator reads it: each delivery with its target, event and attempts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.batches import BATCH_EVENT_PREFIX
from postbud.storage import schema
from postbud.storage.repos.webhooks import ATTEMPT_COLUMNS, Attempt, Delivery, attempt_from_row


@dataclass(frozen=True, slots=True)
class LoggedDelivery:
    delivery: Delivery
    url: str
    event_type: str | None
    shipment_id: uuid.UUID | None
    attempts: list[Attempt]


@dataclass(frozen=True, slots=True)
class DeliveryFilter:
    status: str | None = None
    sender_id: uuid.UUID | None = None
    shipment_id: uuid.UUID | None = None
    before: tuple[datetime, uuid.UUID] | None = None
    limit: int = 50


class DeliveryLogRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def deliveries(self, query: DeliveryFilter) -> list[LoggedDelivery]:
        """Newest first, keyset-paged by (created_at, id)."""
        d, w, e = schema.webhook_deliveries.c, schema.webhooks.c, schema.events.c
        b = schema.batch_events.c
        # A delivery carries a letter's event or a batch's: the batch's is named as webhooks name it.
        event_type = func.coalesce(e.type, literal(BATCH_EVENT_PREFIX) + b.type).label("event_type")
        select_ = (
            select(schema.webhook_deliveries, w.url, event_type, e.shipment_id)
            .join(schema.webhooks, w.id == d.webhook_id)
            .outerjoin(schema.events, e.id == d.event_id)
            .outerjoin(schema.batch_events, b.id == d.event_id)
        )
        if query.status is not None:
            select_ = select_.where(d.status == query.status)
        if query.sender_id is not None:
            select_ = select_.where(d.sender_id == query.sender_id)
        if query.shipment_id is not None:
            event_ids = select(e.id).where(e.shipment_id == query.shipment_id)
            select_ = select_.where(d.event_id.in_(event_ids))
        if query.before is not None:
            at, last = query.before
            select_ = select_.where(or_(d.created_at < at, and_(d.created_at == at, d.id < last)))
        select_ = select_.order_by(d.created_at.desc(), d.id.desc()).limit(query.limit)
        rows = list((await self._conn.execute(select_)).mappings())
        attempts = await self._attempts([r["id"] for r in rows])
        return [
            LoggedDelivery(
                delivery=Delivery(**{f: row[f] for f in Delivery.__dataclass_fields__}),
                url=row["url"],
                event_type=row["event_type"],
                shipment_id=row["shipment_id"],
                attempts=attempts.get(row["id"], []),
            )
            for row in rows
        ]

    async def _attempts(self, delivery_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Attempt]]:
        if not delivery_ids:
            return {}
        a = schema.webhook_attempts.c
        query = select(*ATTEMPT_COLUMNS).where(a.delivery_id.in_(list(delivery_ids))).order_by(a.at, a.id)
        found: dict[uuid.UUID, list[Attempt]] = defaultdict(list)
        for row in (await self._conn.execute(query)).mappings():
            found[row["delivery_id"]].append(attempt_from_row(row))
        return found

    async def target_urls(self) -> list[str]:
        """Every URL a webhook posts to, once each."""
        w = schema.webhooks.c
        return [r[0] for r in await self._conn.execute(select(w.url).distinct().order_by(w.url))]

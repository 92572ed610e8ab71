"""Subscriptions made through Altinn's Events API: each is one webhook, known by a number, and
delivered to once its endpoint answered the validation event (``validated_at``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema


@dataclass(frozen=True, slots=True)
class EventsApiSubscription:
    id: int
    webhook_id: uuid.UUID
    consumer: str
    resource_filter: str
    subject_filter: str | None
    type_filter: str | None
    created_at: datetime
    validated_at: datetime | None = None
    """The real (wall-clock) moment the endpoint answered the validation event; None: not yet."""


def _subscription(row: RowMapping) -> EventsApiSubscription:
    return EventsApiSubscription(**{f: row[f] for f in EventsApiSubscription.__dataclass_fields__})


class EventsApiRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(
        self,
        webhook_id: uuid.UUID,
        consumer: str,
        resource_filter: str,
        subject_filter: str | None,
        type_filter: str | None,
        *,
        now: datetime,
    ) -> EventsApiSubscription:
        table = schema.events_api_subscriptions
        result = await self._conn.execute(
            table.insert()
            .values(
                webhook_id=webhook_id,
                consumer=consumer,
                resource_filter=resource_filter,
                subject_filter=subject_filter,
                type_filter=type_filter,
                created_at=now,
            )
            .returning(table.c.id)
        )
        number = int(result.scalar_one())
        return EventsApiSubscription(
            number, webhook_id, consumer, resource_filter, subject_filter, type_filter, now
        )

    async def get(self, number: int) -> EventsApiSubscription | None:
        table = schema.events_api_subscriptions
        row = (await self._conn.execute(select(table).where(table.c.id == number))).mappings().first()
        return _subscription(row) if row else None

    async def of_webhook(self, webhook_id: uuid.UUID) -> EventsApiSubscription | None:
        table = schema.events_api_subscriptions
        query = select(table).where(table.c.webhook_id == webhook_id)
        row = (await self._conn.execute(query)).mappings().first()
        return _subscription(row) if row else None

    async def validated(self, number: int, *, at: datetime) -> None:
        """The endpoint answered the validation event: deliver from ``at`` on (kept if earlier)."""
        table = schema.events_api_subscriptions
        await self._conn.execute(
            update(table).where(table.c.id == number, table.c.validated_at.is_(None)).values(validated_at=at)
        )

    async def not_validated(self) -> list[int]:
        table = schema.events_api_subscriptions
        query = select(table.c.id).where(table.c.validated_at.is_(None)).order_by(table.c.id)
        return [int(number) for number in (await self._conn.execute(query)).scalars()]

    async def of_consumer(self, consumer: str) -> list[EventsApiSubscription]:
        table = schema.events_api_subscriptions
        query = select(table).where(table.c.consumer == consumer).order_by(table.c.id)
        return [_subscription(r) for r in (await self._conn.execute(query)).mappings()]

    async def consumers_of_sender(self, sender_id: uuid.UUID) -> dict[uuid.UUID, str]:
        """The consumer that made each of the sender's webhooks made through the Events API."""
        table, webhooks = schema.events_api_subscriptions, schema.webhooks
        query = (
            select(table.c.webhook_id, table.c.consumer)
            .join(webhooks, webhooks.c.id == table.c.webhook_id)
            .where(webhooks.c.sender_id == sender_id)
        )
        return {row.webhook_id: row.consumer for row in await self._conn.execute(query)}

    async def remove(self, number: int) -> None:
        table = schema.events_api_subscriptions
        await self._conn.execute(delete(table).where(table.c.id == number))

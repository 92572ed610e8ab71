"""Webhook subscriptions and the log of their deliveries."""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.webhook_formats import WebhookFormat
from postbud.storage import schema


@dataclass(frozen=True, slots=True)
class Webhook:
    id: uuid.UUID
    sender_id: uuid.UUID
    url: str
    secret: str
    event_types: tuple[str, ...]
    active: bool
    created_at: datetime
    format: WebhookFormat = WebhookFormat.STANDARD


@dataclass(frozen=True, slots=True)
class Delivery:
    id: uuid.UUID
    webhook_id: uuid.UUID
    event_id: uuid.UUID
    sender_id: uuid.UUID
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


def _webhook(row: RowMapping) -> Webhook:
    return Webhook(
        id=row["id"],
        sender_id=row["sender_id"],
        url=row["url"],
        secret=row["secret"],
        event_types=tuple(row["event_types"]),
        active=row["active"],
        created_at=row["created_at"],
        format=WebhookFormat(row["format"]),
    )


def _delivery(row: RowMapping) -> Delivery:
    return Delivery(**{f: row[f] for f in Delivery.__dataclass_fields__})


class WebhookRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, webhook: Webhook) -> None:
        await self._conn.execute(
            schema.webhooks.insert().values(
                id=webhook.id,
                sender_id=webhook.sender_id,
                url=webhook.url,
                secret=webhook.secret,
                event_types=list(webhook.event_types),
                active=webhook.active,
                created_at=webhook.created_at,
                format=webhook.format.value,
            )
        )

    async def get(self, webhook_id: uuid.UUID) -> Webhook | None:
        query = select(schema.webhooks).where(schema.webhooks.c.id == webhook_id)
        row = (await self._conn.execute(query)).mappings().first()
        return _webhook(row) if row else None

    async def list(self, sender_id: uuid.UUID | None = None) -> list[Webhook]:
        query = select(schema.webhooks).order_by(schema.webhooks.c.created_at)
        if sender_id is not None:
            query = query.where(schema.webhooks.c.sender_id == sender_id)
        return [_webhook(r) for r in (await self._conn.execute(query)).mappings()]

    async def set_active(self, webhook_id: uuid.UUID, active: bool) -> None:
        await self._conn.execute(
            update(schema.webhooks).where(schema.webhooks.c.id == webhook_id).values(active=active)
        )

    async def delivery(self, delivery_id: uuid.UUID) -> Delivery | None:
        query = select(schema.webhook_deliveries).where(schema.webhook_deliveries.c.id == delivery_id)
        row = (await self._conn.execute(query)).mappings().first()
        return _delivery(row) if row else None

    async def deliveries(
        self, *, sender_id: uuid.UUID | None = None, webhook_id: uuid.UUID | None = None, limit: int = 100
    ) -> builtins.list[Delivery]:
        d = schema.webhook_deliveries.c
        query = select(schema.webhook_deliveries).order_by(d.created_at.desc()).limit(limit)
        if sender_id is not None:
            query = query.where(d.sender_id == sender_id)
        if webhook_id is not None:
            query = query.where(d.webhook_id == webhook_id)
        return [_delivery(r) for r in (await self._conn.execute(query)).mappings()]

    async def attempts(self, delivery_id: uuid.UUID) -> builtins.list[Attempt]:
        a = schema.webhook_attempts.c
        query = select(a.at, a.status_code, a.error, a.duration_ms).where(a.delivery_id == delivery_id)
        return [Attempt(*row) for row in await self._conn.execute(query.order_by(a.at))]

    async def record_attempt(
        self,
        delivery_id: uuid.UUID,
        *,
        at: datetime,
        status_code: int | None,
        error: str | None,
        duration_ms: int,
        outcome: str,
        next_attempt_at: datetime | None,
    ) -> None:
        await self._conn.execute(
            schema.webhook_attempts.insert().values(
                id=uuid.uuid4(),
                delivery_id=delivery_id,
                at=at,
                status_code=status_code,
                error=error,
                duration_ms=duration_ms,
            )
        )
        d = schema.webhook_deliveries.c
        values: dict[str, Any] = {
            "status": outcome,
            "attempts": d.attempts + 1,
            "last_status_code": status_code,
            "last_error": error,
            "next_attempt_at": next_attempt_at,
        }
        if outcome == "delivered":
            values["delivered_at"] = at
        await self._conn.execute(
            update(schema.webhook_deliveries).where(d.id == delivery_id).values(**values)
        )

    async def reset_for_redelivery(self, delivery_id: uuid.UUID, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.webhook_deliveries)
            .where(schema.webhook_deliveries.c.id == delivery_id)
            .values(status="pending", next_attempt_at=now)
        )

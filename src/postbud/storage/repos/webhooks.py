"""Webhook subscriptions, the log of their deliveries, and the order deliveries of one letter keep.

A subscription's deliveries of one letter (or one batch, or one stand-alone attachment) go out in
the order of their events: a delivery waits while an earlier one of the same letter and
subscription is not yet settled. The order needs no column of its own: a delivery's id is
time-ordered (UUIDv7) and made in the order of its letter's events, under the letter's lock (an
attachment's steps are each a transaction that finds the step before committed), so "earlier" is
"smaller id".
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, delete, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.ids import new_id
from postbud.domain.webhook_formats import WebhookFormat
from postbud.storage import schema

PENDING, WAITING, RETRYING = "pending", "waiting", "retrying"
DELIVERED, FAILED, CANCELLED = "delivered", "failed", "cancelled"
STATUSES = (PENDING, WAITING, RETRYING, DELIVERED, FAILED, CANCELLED)
SETTLED = (DELIVERED, FAILED, CANCELLED)
UNSETTLED = (PENDING, WAITING, RETRYING)


@dataclass(frozen=True, slots=True)
class Subject:
    """What a delivery's order is kept within, besides its subscription: a letter, a batch or a
    stand-alone attachment."""

    kind: Literal["letter", "batch", "attachment"]
    id: uuid.UUID


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
    resource_id: str | None = None
    """Only letters of this resource (Altinn's resource registry); None: every letter."""


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
    is_test: bool = False


@dataclass(frozen=True, slots=True)
class Exchange:
    """One attempt's request as sent and response as received, each body bounded in size."""

    request_method: str | None = None
    request_url: str | None = None
    request_headers: dict[str, str] | None = None
    request_body: str | None = None
    request_body_truncated: bool = False
    response_headers: dict[str, str] | None = None
    """None: no response (a timeout, a refused connection, a sandbox fault)."""
    response_body: str | None = None
    response_body_truncated: bool = False


@dataclass(frozen=True, slots=True)
class Attempt:
    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    exchange: Exchange = Exchange()


_EXCHANGE_COLUMNS = tuple(Exchange.__dataclass_fields__)
_a = schema.webhook_attempts.c
ATTEMPT_COLUMNS = (
    _a.delivery_id,
    _a.at,
    _a.status_code,
    _a.error,
    _a.duration_ms,
    *(_a[name] for name in _EXCHANGE_COLUMNS),
)


def attempt_from_row(row: RowMapping) -> Attempt:
    return Attempt(
        row["at"],
        row["status_code"],
        row["error"],
        row["duration_ms"],
        Exchange(**{name: row[name] for name in _EXCHANGE_COLUMNS}),
    )


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
        resource_id=row["resource_id"],
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
                resource_id=webhook.resource_id,
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

    async def remove(self, webhook_id: uuid.UUID) -> None:
        """The subscription and its deliveries and their attempts (by cascade)."""
        d = schema.webhook_deliveries.c
        attempts = select(d.id).where(d.webhook_id == webhook_id)
        # Spelled out: SQLite enforces the cascade only with foreign keys switched on.
        await self._conn.execute(
            delete(schema.webhook_attempts).where(schema.webhook_attempts.c.delivery_id.in_(attempts))
        )
        await self._conn.execute(delete(schema.webhook_deliveries).where(d.webhook_id == webhook_id))
        await self._conn.execute(delete(schema.webhooks).where(schema.webhooks.c.id == webhook_id))

    async def with_url_path(self, path: str) -> builtins.list[Webhook]:
        """Subscriptions whose URL ends in ``path`` (on any host), newest first."""
        w = schema.webhooks.c
        query = select(schema.webhooks).where(w.url.endswith(path, autoescape=True))
        found = [_webhook(r) for r in (await self._conn.execute(query)).mappings()]
        return sorted(found, key=lambda webhook: webhook.created_at, reverse=True)

    async def add_test_delivery(self, webhook: Webhook, *, now: datetime) -> uuid.UUID:
        """A delivery of a test event (it names an event id of its own, found in no log)."""
        delivery_id = new_id()
        await self._conn.execute(
            schema.webhook_deliveries.insert().values(
                id=delivery_id,
                webhook_id=webhook.id,
                event_id=new_id(),
                sender_id=webhook.sender_id,
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                is_test=True,
            )
        )
        return delivery_id

    async def delivery(self, delivery_id: uuid.UUID) -> Delivery | None:
        query = select(schema.webhook_deliveries).where(schema.webhook_deliveries.c.id == delivery_id)
        row = (await self._conn.execute(query)).mappings().first()
        return _delivery(row) if row else None

    async def deliveries(
        self,
        *,
        sender_id: uuid.UUID | None = None,
        webhook_id: uuid.UUID | None = None,
        limit: int = 100,
        leaving_out: Iterable[uuid.UUID] = (),
    ) -> builtins.list[Delivery]:
        """The newest ``limit`` deliveries; ``leaving_out``: of webhooks not counted at all."""
        d = schema.webhook_deliveries.c
        query = select(schema.webhook_deliveries).order_by(d.created_at.desc()).limit(limit)
        if sender_id is not None:
            query = query.where(d.sender_id == sender_id)
        if webhook_id is not None:
            query = query.where(d.webhook_id == webhook_id)
        left_out = builtins.list(leaving_out)
        if left_out:
            query = query.where(d.webhook_id.not_in(left_out))
        return [_delivery(r) for r in (await self._conn.execute(query)).mappings()]

    async def attempts(self, delivery_id: uuid.UUID) -> builtins.list[Attempt]:
        a = schema.webhook_attempts.c
        query = select(*ATTEMPT_COLUMNS).where(a.delivery_id == delivery_id).order_by(a.at, a.id)
        return [attempt_from_row(row) for row in (await self._conn.execute(query)).mappings()]

    # --- The order of one letter's (or batch's) deliveries to one subscription ------------------

    async def subject(self, event_id: uuid.UUID) -> Subject | None:
        """The letter, batch or attachment an event belongs to (None: no log has it, or a test event)."""
        e, b, a = schema.events.c, schema.batch_events.c, schema.attachment_events.c
        shipment_id = (await self._conn.execute(select(e.shipment_id).where(e.id == event_id))).scalar()
        if shipment_id is not None:
            return Subject("letter", shipment_id)
        batch_id = (await self._conn.execute(select(b.batch_id).where(b.id == event_id))).scalar()
        if batch_id is not None:
            return Subject("batch", batch_id)
        attachment_id = (await self._conn.execute(select(a.attachment_id).where(a.id == event_id))).scalar()
        return Subject("attachment", attachment_id) if attachment_id is not None else None

    def _same_order(self, delivery: Delivery, subject: Subject) -> Select[Any]:
        d, e, b = schema.webhook_deliveries.c, schema.events.c, schema.batch_events.c
        if subject.kind == "letter":
            events = select(e.id).where(e.shipment_id == subject.id)
        elif subject.kind == "batch":
            events = select(b.id).where(b.batch_id == subject.id)
        else:
            a = schema.attachment_events.c
            events = select(a.id).where(a.attachment_id == subject.id)
        # The subscription's unique (webhook_id, event_id) index finds each event's delivery.
        return select(d.id, d.status).where(
            d.webhook_id == delivery.webhook_id, d.event_id.in_(events), d.id != delivery.id
        )

    async def unsettled_before(
        self, delivery: Delivery, subject: Subject, *, lock: bool = False
    ) -> builtins.list[uuid.UUID]:
        """Earlier deliveries of the same letter (or batch) to the same subscription, not yet settled.

        ``lock``: lock them (PostgreSQL) so that one settling now waits for this transaction and
        then sees what it wrote; a row settled meanwhile is left out once its lock is released.
        """
        d = schema.webhook_deliveries.c
        query = (
            self._same_order(delivery, subject)
            .where(d.id < delivery.id, d.status.in_(UNSETTLED))
            .order_by(d.id)
        )
        if lock and self._conn.dialect.name == "postgresql":
            query = query.with_for_update(of=schema.webhook_deliveries)
        return [row[0] for row in await self._conn.execute(query)]

    async def wait(self, delivery_id: uuid.UUID, *, behind: uuid.UUID) -> None:
        """Hold a delivery until an earlier one settles; that one's settling releases it."""
        d = schema.webhook_deliveries.c
        await self._conn.execute(
            update(schema.webhook_deliveries)
            .where(d.id == delivery_id, d.status.in_(UNSETTLED))
            .values(status=WAITING, next_attempt_at=None, last_error=f"waits for delivery {behind}")
        )

    async def next_waiting(self, delivery: Delivery, subject: Subject) -> uuid.UUID | None:
        """The delivery to release when ``delivery`` settles: the next unsettled one, if it waits.

        A pending or retrying one there has its own job, and releases those behind it itself.
        """
        d = schema.webhook_deliveries.c
        query = (
            self._same_order(delivery, subject)
            .where(d.id > delivery.id, d.status.in_(UNSETTLED))
            .order_by(d.id)
            .limit(1)
        )
        row = (await self._conn.execute(query)).first()
        return row[0] if row is not None and row[1] == WAITING else None

    async def release(self, delivery_id: uuid.UUID, *, now: datetime) -> bool:
        d = schema.webhook_deliveries.c
        result = await self._conn.execute(
            update(schema.webhook_deliveries)
            .where(d.id == delivery_id, d.status == WAITING)
            .values(status=PENDING, next_attempt_at=now, last_error=None)
        )
        return bool(result.rowcount)

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
        exchange: Exchange = Exchange(),
    ) -> None:
        await self._conn.execute(
            schema.webhook_attempts.insert().values(
                id=new_id(),
                delivery_id=delivery_id,
                at=at,
                status_code=status_code,
                error=error,
                duration_ms=duration_ms,
                **{name: getattr(exchange, name) for name in _EXCHANGE_COLUMNS},
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
        if outcome == DELIVERED:
            values["delivered_at"] = at
        await self._conn.execute(
            update(schema.webhook_deliveries).where(d.id == delivery_id).values(**values)
        )

    async def settle(self, delivery_id: uuid.UUID, *, status: str, error: str) -> Delivery | None:
        """Close an unsettled delivery without an attempt; the delivery if it was unsettled."""
        d = schema.webhook_deliveries.c
        result = await self._conn.execute(
            update(schema.webhook_deliveries)
            .where(d.id == delivery_id, d.status.in_(UNSETTLED))
            .values(status=status, last_error=error, next_attempt_at=None)
        )
        return await self.delivery(delivery_id) if result.rowcount else None

    async def reset_for_redelivery(self, delivery_id: uuid.UUID, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.webhook_deliveries)
            .where(schema.webhook_deliveries.c.id == delivery_id)
            .values(status=PENDING, next_attempt_at=now)
        )

"""The print production line: the letters a released batch sends to print, print batches with their
job tickets, the many-letter reads and writes a print batch makes in one transaction, and the
sender's print quotas."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, tuple_, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.print_batches import EnvelopeInBatch, PrintBatch
from postbud.domain.print_limits import DEFAULT_PRINT_LIMITS, PrintLimits
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.storage import schema
from postbud.storage.repos.shipments import _document, _shipment

_NOT_SENT = (ShipmentStatus.DRAFT.value, ShipmentStatus.CANCELLED.value)


@dataclass(frozen=True, slots=True)
class HeldLetter:
    """A letter of a closed batch waiting for release, as the release reads it (no documents)."""

    id: uuid.UUID
    channel: Channel | None
    publish_at: datetime | None
    created_at: datetime

    @property
    def cursor(self) -> tuple[datetime, uuid.UUID]:
        return (self.created_at, self.id)


class PrintLineRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    # --- letters -------------------------------------------------------------------------------

    async def held_letters(
        self, batch_id: uuid.UUID, *, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[HeldLetter]:
        """One page of the batch's held (scheduled) letters, oldest first."""
        s = schema.shipments.c
        query = select(s.id, s.channel, s.publish_at, s.created_at).where(
            s.batch_id == batch_id, s.status == ShipmentStatus.SCHEDULED.value
        )
        if after is not None:
            query = query.where(tuple_(s.created_at, s.id) > after)
        query = query.order_by(s.created_at, s.id).limit(limit)
        return [
            HeldLetter(r.id, Channel(r.channel) if r.channel else None, r.publish_at, r.created_at)
            for r in await self._conn.execute(query)
        ]

    async def letters(self, ids: Sequence[uuid.UUID]) -> list[Shipment]:
        """The letters with these ids and their documents, in the order of ``ids`` (gone ones left out)."""
        if not ids:
            return []
        rows = list(
            (
                await self._conn.execute(select(schema.shipments).where(schema.shipments.c.id.in_(ids)))
            ).mappings()
        )
        docs: dict[uuid.UUID, list[Document]] = {}
        query = select(schema.documents).where(schema.documents.c.shipment_id.in_(ids))
        for d in (await self._conn.execute(query)).mappings():
            docs.setdefault(d["shipment_id"], []).append(_document(dict(d)))
        by_id = {r["id"]: _shipment(dict(r), docs.get(r["id"], [])) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def lock_states(
        self, ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[ShipmentStatus, Channel | None]]:
        """Status and channel of each letter, the rows locked for this transaction (PostgreSQL)."""
        if not ids:
            return {}
        s = schema.shipments.c
        query = select(s.id, s.status, s.channel).where(s.id.in_(ids)).order_by(s.id).with_for_update()
        return {
            r.id: (ShipmentStatus(r.status), Channel(r.channel) if r.channel else None)
            for r in await self._conn.execute(query)
        }

    async def recorded_keys(
        self, ids: Sequence[uuid.UUID], keys: Iterable[str]
    ) -> set[tuple[uuid.UUID, str]]:
        """Which of ``keys`` (event dedup keys) these letters have recorded already."""
        wanted = list(keys)
        if not ids or not wanted:
            return set()
        e = schema.events.c
        query = select(e.shipment_id, e.dedup_key).where(e.shipment_id.in_(ids), e.dedup_key.in_(wanted))
        return {(r.shipment_id, r.dedup_key) for r in await self._conn.execute(query)}

    async def set_statuses(
        self, changes: Sequence[tuple[uuid.UUID, ShipmentStatus]], *, now: datetime
    ) -> None:
        if not changes:
            return
        s = schema.shipments
        statement = (
            update(s)
            .where(s.c.id == bindparam("b_id"))
            .values(status=bindparam("b_status"), updated_at=bindparam("b_at"))
        )
        await self._conn.execute(
            statement, [{"b_id": i, "b_status": status.value, "b_at": now} for i, status in changes]
        )

    # --- print batches ---------------------------------------------------------------------------

    async def add(self, batch: PrintBatch) -> None:
        await self._conn.execute(
            insert(schema.print_batches).values(
                id=batch.id,
                sender_id=batch.sender_id,
                batch_id=batch.batch_id,
                sha256=batch.sha256,
                pages=batch.pages,
                sheets=batch.sheets,
                color=batch.color,
                duplex=batch.duplex,
                ticket=batch.ticket(),
                created_at=batch.created_at,
                printed_at=batch.printed_at,
            )
        )

    async def get(self, print_batch_id: uuid.UUID, *, for_update: bool = False) -> PrintBatch | None:
        query = select(schema.print_batches).where(schema.print_batches.c.id == print_batch_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._conn.execute(query)).mappings().first()
        return _print_batch(row) if row is not None else None

    async def of_batch(self, batch_id: uuid.UUID) -> list[PrintBatch]:
        p = schema.print_batches.c
        query = select(schema.print_batches).where(p.batch_id == batch_id).order_by(p.created_at, p.id)
        return [_print_batch(r) for r in (await self._conn.execute(query)).mappings()]

    async def recent(self, *, limit: int = 50) -> list[PrintBatch]:
        p = schema.print_batches.c
        query = select(schema.print_batches).order_by(p.created_at.desc(), p.id.desc()).limit(limit)
        return [_print_batch(r) for r in (await self._conn.execute(query)).mappings()]

    async def mark_printed(self, print_batch_id: uuid.UUID, *, now: datetime) -> None:
        p = schema.print_batches
        await self._conn.execute(update(p).where(p.c.id == print_batch_id).values(printed_at=now))

    # --- quotas ----------------------------------------------------------------------------------

    async def limits(self, sender_id: uuid.UUID) -> PrintLimits:
        t = schema.sender_print_limits.c
        row = (
            await self._conn.execute(select(schema.sender_print_limits).where(t.sender_id == sender_id))
        ).first()
        if row is None:
            return DEFAULT_PRINT_LIMITS
        return PrintLimits(row.letters_per_month, row.large_documents_per_day, row.large_document_bytes)

    async def set_limits(self, sender_id: uuid.UUID, limits: PrintLimits, *, now: datetime) -> None:
        t = schema.sender_print_limits
        values = {
            "letters_per_month": limits.letters_per_month,
            "large_documents_per_day": limits.large_documents_per_day,
            "large_document_bytes": limits.large_document_bytes,
            "updated_at": now,
        }
        changed = await self._conn.execute(update(t).where(t.c.sender_id == sender_id).values(**values))
        if not changed.rowcount:
            await self._conn.execute(insert(t).values(sender_id=sender_id, **values))

    async def letters_since(self, sender_id: uuid.UUID, since: datetime) -> int:
        """The sender's letters created since then, drafts and cancelled ones not counted."""
        s = schema.shipments.c
        query = select(func.count()).where(
            s.sender_id == sender_id, s.created_at >= since, s.status.not_in(_NOT_SENT)
        )
        return int((await self._conn.execute(query)).scalar_one())

    async def large_documents_since(self, sender_id: uuid.UUID, since: datetime, *, larger_than: int) -> int:
        """Documents over ``larger_than`` bytes in the sender's letters created since then (as above)."""
        s = schema.shipments.c
        d = schema.documents.c
        query = (
            select(func.count())
            .select_from(schema.documents.join(schema.shipments, d.shipment_id == s.id))
            .where(
                s.sender_id == sender_id,
                s.created_at >= since,
                s.status.not_in(_NOT_SENT),
                d.size > larger_than,
            )
        )
        return int((await self._conn.execute(query)).scalar_one())


def _print_batch(row: RowMapping) -> PrintBatch:
    ticket = row["ticket"] or {}
    return PrintBatch(
        id=row["id"],
        sender_id=row["sender_id"],
        batch_id=row["batch_id"],
        sha256=row["sha256"],
        pages=row["pages"],
        sheets=row["sheets"],
        color=row["color"],
        duplex=row["duplex"],
        envelopes=tuple(EnvelopeInBatch.of_json(e) for e in ticket.get("envelopes", ())),
        created_at=row["created_at"],
        printed_at=row["printed_at"],
    )

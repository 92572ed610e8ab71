"""The queued work of one letter (deliver, publish, print-if-unread), found by its idempotency keys.

Each use case that queues a letter's job names it ``<kind>:<shipment id>``; the keys are unique
and indexed, so a letter's jobs are found without reading job payloads.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.repos.jobs import READY

_KEY_PREFIXES = (
    "deliver",
    "deliver-print",
    "publish",
    "print-if-unread",
    "registration-request",
    "registered",
    "registration-deadline",
)


@dataclass(frozen=True, slots=True)
class LetterJob:
    id: uuid.UUID
    kind: str
    status: str
    run_at: datetime
    attempts: int
    last_error: str | None


def letter_job_keys(shipment_id: uuid.UUID) -> list[str]:
    return [f"{prefix}:{shipment_id}" for prefix in _KEY_PREFIXES]


class ShipmentJobRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def for_letters(
        self, shipment_ids: list[uuid.UUID], more_keys: Mapping[str, uuid.UUID] | None = None
    ) -> dict[uuid.UUID, list[LetterJob]]:
        """Each letter's jobs, oldest ``run_at`` first; ``more_keys`` names further jobs of theirs."""
        keys = {key: shipment_id for shipment_id in shipment_ids for key in letter_job_keys(shipment_id)}
        keys.update(more_keys or {})
        found: dict[uuid.UUID, list[LetterJob]] = {shipment_id: [] for shipment_id in shipment_ids}
        for key, job in (await self.by_keys(keys)).items():
            found[keys[key]].append(job)
        return found

    async def by_keys(self, keys: Iterable[str]) -> dict[str, LetterJob]:
        """The jobs with these idempotency keys (those that exist), oldest ``run_at`` first."""
        wanted = list(keys)
        if not wanted:
            return {}
        j = schema.jobs.c
        query = (
            select(j.id, j.kind, j.status, j.run_at, j.attempts, j.last_error, j.idempotency_key)
            .where(j.idempotency_key.in_(wanted))
            .order_by(j.run_at)
        )
        return {
            row.idempotency_key: LetterJob(
                row.id, row.kind, row.status, row.run_at, row.attempts, row.last_error
            )
            for row in await self._conn.execute(query)
        }

    async def make_due(self, job_id: uuid.UUID, *, now: datetime) -> bool:
        """A waiting job runs at the next claim; False when it is not waiting (running, done, dead)."""
        j = schema.jobs.c
        result = await self._conn.execute(
            update(schema.jobs).where(j.id == job_id, j.status == READY).values(run_at=now, updated_at=now)
        )
        return bool(result.rowcount)

"""Rows kept only for a while: the event feed's rows older than any poll can ask for, deleted a
batch at a time by age (``ix_event_feed_at``), and the periodic job that does it, queued once per
day whoever asks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.repos.jobs import job_row


class RetentionRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def delete_feed_rows_before(self, before: datetime, *, limit: int) -> int:
        """Delete up to ``limit`` of the oldest event-feed rows older than ``before``; how many went.
        Only the feed's rows: the events themselves are the letters' history and stay."""
        f = schema.event_feed.c
        oldest = select(f.event_id).where(f.at < before).order_by(f.at).limit(limit).scalar_subquery()
        result = await self._conn.execute(delete(schema.event_feed).where(f.event_id.in_(oldest)))
        return int(result.rowcount or 0)

    async def schedule_once(self, kind: str, *, key: str, run_at: datetime, now: datetime) -> None:
        """Queue a job of ``kind`` unless one with this idempotency key was ever queued."""
        row = job_row(kind, {}, now=now, run_at=run_at, idempotency_key=key)
        insert: Any = (
            postgresql.insert(schema.jobs)
            if self._conn.dialect.name == "postgresql"
            else sqlite.insert(schema.jobs)
        )
        await self._conn.execute(insert.values(**row).on_conflict_do_nothing())

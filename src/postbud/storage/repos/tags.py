"""Tags a sender puts on people (Digipost's public-mailbox tag), by personal identification number."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema

_T = schema.person_tags.c


class TagRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, sender_id: uuid.UUID, personal_id: str, tag: str, *, now: datetime) -> None:
        """Idempotent: a tag added again keeps its first time."""
        table = schema.person_tags
        insert = postgresql.insert(table) if self._conn.dialect.name == "postgresql" else sqlite.insert(table)
        values = {"sender_id": sender_id, "personal_id": personal_id, "tag": tag, "created_at": now}
        await self._conn.execute(insert.values(**values).on_conflict_do_nothing())

    async def remove(self, sender_id: uuid.UUID, personal_id: str, tag: str) -> None:
        await self._conn.execute(
            delete(schema.person_tags).where(
                _T.sender_id == sender_id, _T.personal_id == personal_id, _T.tag == tag
            )
        )

    async def of(self, sender_id: uuid.UUID, personal_id: str) -> list[str]:
        query = (
            select(_T.tag).where(_T.sender_id == sender_id, _T.personal_id == personal_id).order_by(_T.tag)
        )
        return [row.tag for row in await self._conn.execute(query)]

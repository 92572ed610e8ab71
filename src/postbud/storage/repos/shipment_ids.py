"""Shipments found by the start of their id, as ``git`` finds commits: for people typing ids by hand."""

from __future__ import annotations

import uuid

from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema


class ShipmentIdRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def starting_with(self, hex_prefix: str, *, limit: int = 2) -> list[uuid.UUID]:
        """Ids whose 32 hex digits (no dashes) start with ``hex_prefix`` (lower case), at most ``limit``."""
        s = schema.shipments.c
        # SQLite keeps a UUID as 32 hex digits; PostgreSQL's text form has dashes.
        digits = s.id if self._conn.dialect.name == "sqlite" else func.replace(cast(s.id, String), "-", "")
        query = select(s.id).where(cast(digits, String).like(f"{hex_prefix}%")).limit(limit)
        return [row.id for row in await self._conn.execute(query)]

"""The sandbox's request bins: what was sent to each, newest first, a bounded number per bin."""

from __future__ import annotations

import builtins
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema


@dataclass(frozen=True, slots=True)
class BinRequest:
    id: uuid.UUID
    bin: str
    received_at: datetime
    method: str
    url: str
    headers: dict[str, str]
    body: str
    body_size: int
    body_truncated: bool
    webhook_id: uuid.UUID | None
    signature: str
    """``valid``, ``invalid``, ``unsigned`` or ``no_subscription`` (no webhook targets the bin)."""
    signature_detail: str | None


@dataclass(frozen=True, slots=True)
class BinSummary:
    name: str
    requests: int
    last_received_at: datetime


def _request(row: RowMapping) -> BinRequest:
    return BinRequest(**{name: row[name] for name in BinRequest.__dataclass_fields__})


class RequestBinRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, request: BinRequest, *, keep: int) -> None:
        """Store ``request``, and keep only the newest ``keep`` of its bin."""
        r = schema.request_bin_requests.c
        await self._conn.execute(
            schema.request_bin_requests.insert().values(
                **{name: getattr(request, name) for name in BinRequest.__dataclass_fields__}
            )
        )
        # Ids are time-ordered: the oldest beyond ``keep`` go.
        newest = select(r.id).where(r.bin == request.bin).order_by(r.id.desc()).limit(keep)
        await self._conn.execute(
            delete(schema.request_bin_requests).where(r.bin == request.bin, r.id.not_in(newest))
        )

    async def requests(self, bin: str, *, limit: int) -> builtins.list[BinRequest]:
        r = schema.request_bin_requests.c
        query = select(schema.request_bin_requests).where(r.bin == bin).order_by(r.id.desc()).limit(limit)
        return [_request(row) for row in (await self._conn.execute(query)).mappings()]

    async def bins(self, *, limit: int) -> builtins.list[BinSummary]:
        """Bins with anything in them, the one that received last first."""
        r = schema.request_bin_requests.c
        last = func.max(r.received_at)
        query = select(r.bin, func.count(), last).group_by(r.bin).order_by(last.desc()).limit(limit)
        return [BinSummary(row[0], row[1], row[2]) for row in await self._conn.execute(query)]

    async def bin_count(self) -> int:
        r = schema.request_bin_requests.c
        return int((await self._conn.execute(select(func.count(func.distinct(r.bin))))).scalar() or 0)

    async def clear(self, bin: str) -> None:
        r = schema.request_bin_requests.c
        await self._conn.execute(delete(schema.request_bin_requests).where(r.bin == bin))

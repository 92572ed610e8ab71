"""Emptying a sandbox: every table of letters and their history, in one transaction.

The tables are named by what they keep, not by what they lose: a table added later (by any
concern) holds letter history unless it is listed here, so a reset never leaves its rows behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema

SETTINGS_TABLES: Final = frozenset({"sandbox_state", "sandbox_faults", "workers"})
"""Never emptied: the sandbox's clock and faults, and the running workers."""
CREDENTIAL_TABLES: Final = frozenset(
    {
        "senders",
        "api_keys",
        "sender_credentials",
        "resources",
        "webhooks",
        "events_api_subscriptions",
        "sender_print_limits",
    }
)
"""Senders, their keys and logins, the resources they own, the URLs they subscribed (as webhooks or
through Altinn's Events API) and their print quotas: what an integrator's configuration names."""
POPULATION_TABLES: Final = frozenset({"recipients", "recipient_keys"})
"""The people and organisations letters go to."""
_CAPTURE_KEYS: Final = ("eml_sha256", "sms_sha256")
"""Event data that names a blob: a captured e-mail or SMS."""


@dataclass(frozen=True, slots=True)
class Cleared:
    rows: dict[str, int]
    """Rows deleted per table (only tables that had any)."""
    blobs: frozenset[str]
    """The blobs the deleted rows named: nothing refers to them any more."""


def tables_to_clear(*, population: bool, credentials: bool) -> list[Table]:
    """Every table of letter history (and the population, the credentials if asked), in the order
    they can be emptied: a table before the tables it refers to."""
    kept = set(SETTINGS_TABLES)
    if not population:
        kept |= POPULATION_TABLES
    if not credentials:
        kept |= CREDENTIAL_TABLES
    return [t for t in reversed(schema.metadata.sorted_tables) if t.name not in kept]


_NOT_BLOBS: Final = frozenset({"senders_reference_sha256", "token_sha256"})
"""Hashes of a reference and of a link token: named like blobs, but no blob is stored under them."""


def _blob_columns(table: Table) -> list[Any]:
    return [
        c
        for c in table.columns
        if (c.name == "sha256" or c.name.endswith("_sha256")) and c.name not in _NOT_BLOBS
    ]


class SandboxResetRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _blobs_named(self, tables: Iterable[Table]) -> set[str]:
        found: set[str] = set()
        for table in tables:
            for column in _blob_columns(table):
                rows = await self._conn.execute(select(column).where(column.is_not(None)).distinct())
                found.update(str(value) for (value,) in rows)
        events = schema.metadata.tables["events"]
        if events in tables:
            rows = await self._conn.execute(select(events.c.data).where(events.c.data.is_not(None)))
            for (data,) in rows:
                if isinstance(data, dict):
                    found.update(str(data[k]) for k in _CAPTURE_KEYS if data.get(k))
        return found

    async def clear(self, *, population: bool, credentials: bool) -> Cleared:
        """Delete every row of the tables ``tables_to_clear`` names; return the counts and blobs."""
        tables = tables_to_clear(population=population, credentials=credentials)
        blobs = await self._blobs_named(tables)
        rows: dict[str, int] = {}
        for table in tables:
            count = (await self._conn.execute(select(func.count()).select_from(table))).scalar_one()
            if count:
                await self._conn.execute(delete(table))
                rows[table.name] = count
        return Cleared(rows, frozenset(blobs))

    async def counts(self, tables: Iterable[Table]) -> dict[str, int]:
        """Rows per table (for checking that a reset left nothing)."""
        return {
            t.name: (await self._conn.execute(select(func.count()).select_from(t))).scalar_one()
            for t in tables
        }

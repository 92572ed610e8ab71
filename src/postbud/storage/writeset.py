"""A set of inserts that belong to one use case, applied atomically, possibly grouped with others.

A write set may also carry guarded updates: an UPDATE that must change exactly the rows it expects
(a draft still being a draft), else the whole write set fails with `StaleWrite` and none of it is
kept. The send path has none; the staged-letter steps use them to go through the group commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, Update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema
from postbud.storage.blobs import BlobRef
from postbud.storage.errors import StaleWrite
from postbud.storage.prepared_insert import PreparedInsert
from postbud.storage.prepared_update import PreparedUpdate

# Rows in these tables may already exist (a retried job, a replayed event): skip, don't fail.
_IGNORE_CONFLICTS = frozenset({schema.events.name, schema.webhook_deliveries.name, schema.event_feed.name})
# Counters: a row adds its count to the row with the same key (reads at scale, issue 13). A batch's
# rows are merged first and written in key order, so two transactions never wait for each other
# in a cycle.
_COUNTERS = {schema.routed_letters_per_hour.name: "letters"}
# Parents before children, whatever order the rows were added in.
_TABLE_ORDER = [t.name for t in schema.metadata.sorted_tables]


@dataclass(frozen=True, slots=True)
class GuardedUpdate:
    """An UPDATE that must change ``expected`` rows; ``what`` says what it guards, for the error.

    With ``parameters``, ``statement`` is built once (at import) with a ``bindparam`` for each value
    and compiled once per dialect; ``parameters`` binds them for this write. Without, it is run as
    it is (a statement with its values in it, compiled each time)."""

    statement: Update
    what: str
    expected: int = 1
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class WriteSet:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    blobs: list[bytes] = field(default_factory=list)
    """Contents the rows refer to by hash: the group-commit writer makes them durable first."""
    blob_refs: list[BlobRef] | None = None
    """The hashes of ``blobs``, in order, when already computed (the writer then skips hashing)."""
    updates: list[GuardedUpdate] = field(default_factory=list)
    """Run after the inserts, in the same transaction; one that misses fails the write set."""

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.rows.setdefault(table.name, []).append(row)

    @property
    def queues_jobs(self) -> bool:
        """Whether making it durable queues a job (so idle workers are worth waking)."""
        return bool(self.rows.get(schema.jobs.name))

    def __bool__(self) -> bool:
        return any(self.rows.values()) or bool(self.blobs) or bool(self.updates)


def _insert(dialect: str, table: Table) -> Any:
    count = _COUNTERS.get(table.name)
    if count is not None:
        upsert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
        return upsert.on_conflict_do_update(
            index_elements=[c.name for c in table.primary_key.columns],
            set_={count: table.c[count] + upsert.excluded[count]},
        )
    if table.name not in _IGNORE_CONFLICTS:
        return table.insert()
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _merged_rows(writesets: Sequence[WriteSet]) -> dict[str, list[dict[str, Any]]]:
    merged: dict[str, list[dict[str, Any]]] = {}
    for ws in writesets:
        for name, rows in ws.rows.items():
            merged.setdefault(name, []).extend(rows)
    for name, count in _COUNTERS.items():
        if name in merged:
            merged[name] = _summed(merged[name], count)
    return merged


def _summed(rows: list[dict[str, Any]], count: str) -> list[dict[str, Any]]:
    totals: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(value for column, value in sorted(row.items()) if column != count)
        if key in totals:
            totals[key][count] += row[count]
        else:
            totals[key] = dict(row)
    return [totals[key] for key in sorted(totals, key=repr)]


def _statements(dialect: str, writesets: Sequence[WriteSet]) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """One executemany per table, parents first."""
    merged = _merged_rows(writesets)
    for name in _TABLE_ORDER:
        rows = merged.get(name)
        if rows:
            yield _insert(dialect, schema.metadata.tables[name]), rows


async def apply(conn: AsyncConnection, writesets: Sequence[WriteSet]) -> None:
    """Insert every row of ``writesets``; their blobs must already be stored."""
    for statement, rows in _statements(conn.dialect.name, writesets):
        await conn.execute(statement, rows)
    for ws in writesets:
        for guarded in ws.updates:
            parameters = dict(guarded.parameters) if guarded.parameters else None
            _check(guarded, (await conn.execute(guarded.statement, parameters)).rowcount)


def apply_blocking(conn: Connection, writesets: Sequence[WriteSet]) -> None:
    """`apply` for the group-commit writer's thread, which has one only on a SQLite file."""
    merged = _merged_rows(writesets)
    dbapi_connection = conn.connection.driver_connection
    for name in _TABLE_ORDER:
        if name in _COUNTERS and name in merged:
            conn.execute(_insert(conn.dialect.name, schema.metadata.tables[name]), merged[name])
            continue
        by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in merged.get(name, ()):
            by_keys.setdefault(tuple(row), []).append(row)
        for keys, rows in by_keys.items():
            insert = _prepared_insert(name, keys, conn.dialect)
            try:
                insert.execute(dbapi_connection, rows)
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(insert.sql, None, exc) from exc
    for ws in writesets:
        for guarded in ws.updates:
            if not guarded.parameters:
                _check(guarded, conn.execute(guarded.statement).rowcount)
                continue
            update = _prepared_update(guarded.statement, conn.dialect)
            try:
                _check(guarded, update.execute(dbapi_connection, guarded.parameters))
            except sqlite3.IntegrityError as exc:
                raise IntegrityError(update.sql, None, exc) from exc


def _check(guarded: GuardedUpdate, rowcount: int) -> None:
    if rowcount != guarded.expected:
        raise StaleWrite(guarded.what)


_PREPARED: dict[tuple[str, str, tuple[str, ...]], PreparedInsert] = {}


def _prepared_insert(table: str, keys: tuple[str, ...], dialect: Dialect) -> PreparedInsert:
    key = (f"{dialect.name}+{dialect.driver}", table, keys)
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = PreparedInsert(
            schema.metadata.tables[table], keys, dialect, ignore_conflicts=table in _IGNORE_CONFLICTS
        )
        _PREPARED[key] = prepared
    return prepared


_PREPARED_UPDATES: dict[tuple[str, Update], PreparedUpdate] = {}
_MAX_PREPARED_UPDATES = 256
"""Statements built once are few; a bound keeps a statement built per write from growing the cache."""


def _prepared_update(statement: Update, dialect: Dialect) -> PreparedUpdate:
    key = (f"{dialect.name}+{dialect.driver}", statement)
    prepared = _PREPARED_UPDATES.get(key)
    if prepared is None:
        if len(_PREPARED_UPDATES) >= _MAX_PREPARED_UPDATES:
            _PREPARED_UPDATES.clear()
        prepared = PreparedUpdate(statement, dialect)
        _PREPARED_UPDATES[key] = prepared
    return prepared

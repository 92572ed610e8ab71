"""Typed storage errors, so that no use case reads a database's error text.

`DuplicateKey` names the unique constraint a write broke by its name in ``schema.py``
(``uq_<table>_<columns>``, ``pk_<table>`` or a unique index's name). SQLite and PostgreSQL word
the violation differently; `duplicate_key` is the one place that reads either.
"""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy import Index, PrimaryKeyConstraint, Table, UniqueConstraint
from sqlalchemy.exc import IntegrityError

from postbud.storage import schema

_PG_UNIQUE_VIOLATION = "23505"
_PG_CONSTRAINT = re.compile(r'unique constraint "([^"]+)"')
# "UNIQUE constraint failed: documents.sender_id, documents.external_id" (or "index 'ix_…'")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_SQLITE_INDEX = re.compile(r"index '([^']+)'")


class DuplicateKey(IntegrityError):
    """A write broke a unique constraint: ``constraint`` is its name, ``table`` its table.

    It is an `IntegrityError`, so code that only needs "some constraint failed" keeps working.
    """

    def __init__(self, constraint: str, table: str, cause: IntegrityError) -> None:
        super().__init__(cause.statement, cause.params, cause.orig)  # type: ignore[arg-type]
        self.constraint = constraint
        self.table = table

    def __str__(self) -> str:
        return f"duplicate key: {self.constraint}"


class StaleWrite(IntegrityError):
    """A guarded update of a write set found its row no longer as expected (a draft closed meanwhile).

    An `IntegrityError`, so that the group-commit writer fails only the write set that carries it.
    """

    def __init__(self, what: str) -> None:
        super().__init__(f"guarded update: {what}", None, Exception(what))
        self.what = what

    def __str__(self) -> str:
        return f"stale write: {self.what}"


def duplicate_key(exc: IntegrityError) -> DuplicateKey | None:
    """`exc` as a `DuplicateKey` when it is a unique violation; None for any other integrity error."""
    if isinstance(exc, DuplicateKey):
        return exc
    orig = exc.orig
    if isinstance(orig, sqlite3.IntegrityError):
        return _from_sqlite(str(orig), exc)
    if orig is not None and getattr(orig, "sqlstate", None) == _PG_UNIQUE_VIOLATION:
        name = getattr(orig.__cause__, "constraint_name", None)
        if name is None:
            match = _PG_CONSTRAINT.search(str(orig))
            name = match.group(1) if match else None
        if name is not None:
            return DuplicateKey(name, _table_of(name), exc)
    return None


def as_duplicate_key(exc: IntegrityError) -> IntegrityError:
    """`exc` as a `DuplicateKey` where it is one, else `exc` itself: what a writer raises."""
    return duplicate_key(exc) or exc


def _from_sqlite(message: str, exc: IntegrityError) -> DuplicateKey | None:
    match = _SQLITE_UNIQUE.search(message)
    if match is None:
        return None
    named_index = _SQLITE_INDEX.fullmatch(match.group(1))
    if named_index is not None:
        name = named_index.group(1)
        return DuplicateKey(name, _table_of(name), exc)
    qualified = [part.strip().split(".", 1) for part in match.group(1).split(",")]
    table = qualified[0][0]
    columns = tuple(column for _, column in qualified)
    return DuplicateKey(_constraint_of(table, columns), table, exc)


def _constraint_of(table_name: str, columns: tuple[str, ...]) -> str:
    table = schema.metadata.tables.get(table_name)
    if table is None:
        return f"{table_name}({', '.join(columns)})"
    for name, constraint_columns in _unique_keys(table):
        if constraint_columns == columns:
            return name
    return f"{table_name}({', '.join(columns)})"


def _unique_keys(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    keys: list[tuple[str, tuple[str, ...]]] = []
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint) and constraint.name:
            keys.append((str(constraint.name), tuple(c.name for c in constraint.columns)))
    for index in table.indexes:
        if isinstance(index, Index) and index.unique and index.name:
            keys.append((str(index.name), tuple(c.name for c in index.columns)))
    return keys


def _table_of(constraint: str) -> str:
    for table in schema.metadata.tables.values():
        if any(name == constraint for name, _ in _unique_keys(table)):
            return table.name
    return ""

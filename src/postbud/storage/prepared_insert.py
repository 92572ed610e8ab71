"""An INSERT compiled once and run with the DB-API's ``executemany``, for the group-commit writer.

SQLAlchemy's executemany processes every parameter of every row through its compiled-statement
machinery; for the writer's batches (hundreds of rows, each a handful of columns) that was most of
the writer's CPU and, on SQLite, time spent holding the database's write lock. A
``PreparedInsert`` keeps what SQLAlchemy would do — the column types' bind processors, the
columns' Python-side defaults, ``ON CONFLICT DO NOTHING`` where asked — and drops the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect


class PreparedInsert:
    def __init__(
        self, table: Table, keys: Sequence[str], dialect: Dialect, *, ignore_conflicts: bool
    ) -> None:
        if dialect.name != "sqlite":
            raise ValueError("PreparedInsert is for SQLite's qmark executemany")
        given = set(keys)
        defaulted = [c for c in table.columns if c.key not in given and c.default is not None]
        columns = [table.c[key] for key in keys] + defaulted
        insert: Any = sqlite.insert(table).on_conflict_do_nothing() if ignore_conflicts else table.insert()
        compiled = insert.values({c.key: bindparam(c.key, type_=c.type) for c in columns}).compile(
            dialect=dialect
        )
        self.sql = compiled.string
        order = list(compiled.positiontup or ())
        by_key = {c.key: c for c in columns}
        self._plan: list[tuple[str, Callable[[Any], Any] | None, Callable[[], Any] | None]] = []
        for key in order:
            column = by_key[key]
            default: Callable[[], Any] | None = None
            if key not in given and column.default is not None:
                default = _default_factory(column.default)
            self._plan.append((key, column.type._cached_bind_processor(dialect), default))

    def parameters(self, rows: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]]:
        out = []
        for row in rows:
            values = []
            for key, process, default in self._plan:
                value = default() if default is not None else row[key]
                values.append(process(value) if process is not None else value)
            out.append(tuple(values))
        return out

    def execute(self, dbapi_connection: Any, rows: Sequence[dict[str, Any]]) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.executemany(self.sql, self.parameters(rows))
        finally:
            cursor.close()


def _default_factory(default: Any) -> Callable[[], Any]:
    if default.is_scalar:
        value = default.arg
        return lambda: value
    if default.is_callable:
        function = default.arg  # SQLAlchemy wraps the column's callable to take a context
        return lambda: function(None)
    raise ValueError(f"unsupported column default {default!r}")

"""A select compiled once and run straight on a DB-API connection, for the few hot-path lookups.

Through a SQLAlchemy connection an indexed lookup spends most of its time building the statement's
cache key and result machinery, not in the database. A ``PreparedSelect`` compiles its statement
once for a dialect and keeps SQLAlchemy's own bind and result processors for its columns, so values
come back exactly as the Core would return them (UUIDs, booleans, JSON, timestamps).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect


class PreparedSelect:
    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if dialect.paramstyle != "qmark":
            raise ValueError(f"PreparedSelect runs qmark statements only, not {dialect.paramstyle}")
        self.sql = compiled.string
        self._param_names = list(compiled.positiontup or ())
        self._literals = dict(compiled.params)  # values the statement binds itself (a LIMIT, a status)
        self._required = {name for name in self._param_names if compiled.binds[name].required}
        self._bind: dict[str, Callable[[Any], Any] | None] = {
            name: compiled.binds[name].type._cached_bind_processor(dialect) for name in self._param_names
        }
        columns = list(statement.selected_columns)
        self._keys = [str(column.key) for column in columns]
        self._results: list[Callable[[Any], Any] | None] = [
            column.type._cached_result_processor(dialect, None) for column in columns
        ]

    def _parameters(self, values: Mapping[str, Any]) -> list[Any]:
        out = []
        for name in self._param_names:
            value = values[name] if name in self._required else values.get(name, self._literals[name])
            processor = self._bind[name]
            out.append(processor(value) if processor is not None else value)
        return out

    def _row(self, raw: tuple[Any, ...]) -> dict[str, Any]:
        return {
            key: (process(value) if process is not None else value)
            for key, process, value in zip(self._keys, self._results, raw, strict=True)
        }

    def all(self, dbapi_connection: Any, **values: Any) -> list[dict[str, Any]]:
        cursor = dbapi_connection.execute(self.sql, self._parameters(values))
        try:
            return [self._row(raw) for raw in cursor.fetchall()]
        finally:
            cursor.close()

    def first(self, dbapi_connection: Any, **values: Any) -> dict[str, Any] | None:
        rows = self.all(dbapi_connection, **values)
        return rows[0] if rows else None

"""An UPDATE built once with bind parameters, compiled once per dialect, run straight on the DB-API.

A guarded update used to be built with ``update().values(...)`` for each request on the event loop
(SQLAlchemy coercing every value into a new bind) and compiled again by the group-commit writer. A
``PreparedUpdate`` compiles a statement whose values are all ``bindparam``s once, keeps the binds'
own processors (UUIDs, JSON, timestamps as the Core would send them) and runs it with a tuple of
parameters: the request only fills in a dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Update
from sqlalchemy.engine import Dialect


class PreparedUpdate:
    def __init__(self, statement: Update, dialect: Dialect) -> None:
        if dialect.paramstyle != "qmark":
            raise ValueError(f"PreparedUpdate runs qmark statements only, not {dialect.paramstyle}")
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self._plan: list[tuple[str, bool, Any, Callable[[Any], Any] | None]] = [
            (
                name,
                compiled.binds[name].required,
                compiled.params.get(name),
                compiled.binds[name].type._cached_bind_processor(dialect),
            )
            for name in compiled.positiontup or ()
        ]

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, required, literal, process in self._plan:
            value = values[name] if required else values.get(name, literal)
            out.append(process(value) if process is not None else value)
        return tuple(out)

    def execute(self, dbapi_connection: Any, values: Mapping[str, Any]) -> int:
        """Run it; the number of rows it changed."""
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(self.sql, self.parameters(values))
            rowcount: int = cursor.rowcount
            return rowcount
        finally:
            cursor.close()

"""The use cases, channels, jobs and webhooks reach the database only through the unit of work.

docs/architecture.md, import rule 3: they import storage "through the unit of work and its
repositories". import-linter cannot tell that apart from building SQL next to the use case (both
are imports of ``postbud.storage``), so this test reads the source: no module of the core imports
SQLAlchemy or the table definitions (``postbud.storage.schema``). A unique key a use case needs to
recognise is ``postbud.storage.errors.DuplicateKey``; a query it needs is a repository method.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "postbud"
CORE = ("services", "channels", "jobs", "webhooks")

STILL_RUNNING_SQL: dict[str, str] = {
    # file (from src/postbud) -> what it still does; the list may only shrink.
}


def sql_imports(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "sqlalchemy" or name.startswith("sqlalchemy.") or name == "postbud.storage.schema":
                found.append((node.lineno, name))
                break
    return sorted(found)


def test_the_core_builds_no_sql_of_its_own() -> None:
    found = {}
    for package in CORE:
        for path in sorted((SOURCE / package).rglob("*.py")):
            name = path.relative_to(SOURCE).as_posix()
            if name not in STILL_RUNNING_SQL and (imports := sql_imports(path.read_text(encoding="utf-8"))):
                found[name] = imports
    assert found == {}, "go through a repository of the unit of work (storage/repos/*)"


def test_the_exceptions_still_need_to_be_there() -> None:
    for name in STILL_RUNNING_SQL:
        assert sql_imports((SOURCE / name).read_text(encoding="utf-8")), f"{name} is clean: take it off"


def test_the_check_sees_every_form_of_import() -> None:
    source = (
        "import sqlalchemy\n"
        "from sqlalchemy import select\n"
        "from sqlalchemy.exc import IntegrityError\n"
        "from postbud.storage import schema\n"
        "from postbud.storage.schema import jobs\n"
        "from postbud.storage.errors import DuplicateKey\n"
        "from postbud.storage.unit_of_work import SqlUnitOfWork\n"
    )
    assert [line for line, _ in sql_imports(source)] == [1, 2, 3, 4, 5]

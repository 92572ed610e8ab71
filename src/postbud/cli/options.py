"""What every command shares: the data-folder options, running use cases, printing results.

Only typer is imported at module level; storage and services load inside the commands, so
``postbud --help`` stays fast.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from postbud.config import Settings
    from postbud.services.runtime import Runtime

T = TypeVar("T")

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="POSTBUD_DATA_DIR",
        help="The data folder (SQLite database, documents, keys); created and migrated if missing.",
        show_default="./postbud-data",
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="POSTBUD_DATABASE_URL",
        help="postgresql+asyncpg://… instead of SQLite in the data folder.",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON only.")]


def make_settings(data_dir: Path | None, database_url: str | None, **overrides: Any) -> Settings:
    from postbud.config import Settings

    given: dict[str, Any] = {"data_dir": data_dir, "database_url": database_url, **overrides}
    return Settings(**{k: v for k, v in given.items() if v is not None})


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[Runtime]:
    """A runtime on a created and migrated data folder, closed afterwards."""
    from postbud.bootstrap import build_runtime
    from postbud.observability import configure_logging

    configure_logging(json_logs=settings.log_json, level="WARNING")
    runtime = await build_runtime(settings)
    try:
        yield runtime
    finally:
        await runtime.close()


def with_runtime(settings: Settings, use: Callable[[Runtime], Awaitable[T]], *, json_mode: bool) -> T:
    """Run one use case on its own event loop; domain errors end the command with exit code 1."""

    async def main() -> T:
        async with opened(settings) as runtime:
            return await use(runtime)

    from sqlalchemy.exc import SQLAlchemyError

    from postbud.domain.errors import DomainError

    try:
        return asyncio.run(main())
    except (DomainError, SQLAlchemyError, OSError) as exc:  # a bad request, or storage out of reach
        fail(exc, json_mode)


@contextmanager
def reported_errors(json_mode: bool) -> Iterator[None]:
    from postbud.domain.errors import DomainError

    try:
        yield
    except DomainError as exc:
        fail(exc, json_mode)


def fail(exc: Exception, json_mode: bool) -> NoReturn:
    """Report on stderr (as a problem object with ``--json``) and exit 1."""
    from postbud.domain.errors import Conflict, NotFound, ValidationFailed

    errors: list[dict[str, str]] = []
    if isinstance(exc, ValidationFailed):
        errors = [{"field": e.field, "rule": e.rule} for e in exc.errors]
    elif isinstance(exc, Conflict):
        errors = [{"field": exc.field, "rule": exc.rule}]
    kind = {ValidationFailed: "validation-failed", NotFound: "not-found", Conflict: "conflict"}.get(
        type(exc), "error"
    )
    if json_mode:
        problem = {"type": f"urn:postbud:problem:{kind}", "detail": str(exc), "errors": errors}
        sys.stderr.write(json.dumps({"error": problem}, ensure_ascii=False) + "\n")
    else:
        console(stderr=True).print(f"[bold red]Error:[/] {exc}", highlight=False)
    raise typer.Exit(1)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)

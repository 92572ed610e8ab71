"""``postbud migrate``: bring the database to the newest schema (every command also does this)."""

from __future__ import annotations

from typing import Any

from postbud.cli.options import (
    DatabaseUrl,
    DataDir,
    Json,
    console,
    make_settings,
    print_json,
    reported_errors,
)


def migrate(data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False) -> None:
    """Create the data folder if needed and migrate its database; safe while Postbud runs."""
    import asyncio
    from dataclasses import asdict

    from postbud.services.console.schema_migration import migrate_database

    settings = make_settings(data_dir, database_url)
    if not settings.database_url:
        settings.ensure_data_dir()

    async def run() -> dict[str, Any]:
        return asdict(await migrate_database(settings.resolved_database_url))

    with reported_errors(json_out):
        result = asyncio.run(run())
    if json_out:
        print_json(result)
    elif result["from_revision"] == result["to_revision"]:
        console().print(f"Up to date at {result['to_revision']} ({result['database']})")
    else:
        console().print(f"[bold green]Migrated[/] {result['from_revision']} → {result['to_revision']}")

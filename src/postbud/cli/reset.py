"""``postbud reset``: delete every letter and its history; keep the credentials (and the population)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from postbud.cli.options import DatabaseUrl, DataDir, Json, console, make_settings, print_json, with_runtime
from postbud.domain.wording import counted

if TYPE_CHECKING:
    from postbud.services.runtime import Runtime
    from postbud.services.sandbox.reset import ResetOutcome


def reset(
    reseed: Annotated[
        bool,
        typer.Option("--reseed", help="Delete the people and organisations too, and seed them again."),
    ] = False,
    new_credentials: Annotated[
        bool,
        typer.Option(
            "--new-credentials",
            help="Delete senders, keys, logins, resources and webhooks too; the sandbox sender is "
            "made again.",
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Delete every letter, event, job, document, webhook delivery and captured e-mail/SMS (sandbox only).

    The sandbox sender keeps its id, key and API key, so a CI configuration stays valid."""
    from postbud.services.sandbox.reset import Population, reset_sandbox

    if not yes and not json_out:
        typer.confirm("Delete every letter and its history from this sandbox?", abort=True)

    async def use(runtime: Runtime) -> ResetOutcome:
        population = Population.RESEED if reseed else Population.KEEP
        return await reset_sandbox(runtime, population=population, keep_credentials=not new_credentials)

    outcome = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(
            {
                "letters_deleted": outcome.letters_deleted,
                "deleted": outcome.deleted,
                "blobs_deleted": outcome.blobs_deleted,
                "population": outcome.population.value,
                "credentials_kept": outcome.credentials_kept,
                "sandbox_sender": outcome.sandbox_sender.as_json(),
            }
        )
        return
    out = console()
    out.print(f"[bold green]Reset[/]: {deleted_summary(outcome.letters_deleted, outcome.blobs_deleted)}")
    out.print("Population " + ("seeded again" if reseed else "kept"))
    sender = outcome.sandbox_sender
    kept = "kept" if outcome.credentials_kept else "made again"
    out.print(f"Sandbox sender ({kept}): digipost id {sender.digipost_id}, API key {sender.api_key}")


def deleted_summary(letters: int, blobs: int) -> str:
    """``1 letter and 2 stored files deleted``."""
    files = counted(blobs, "stored file", "stored files")
    return f"{counted(letters, 'letter', 'letters')} and {files} deleted"

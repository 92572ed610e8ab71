"""``postbud seed``: a synthetic population and a ready sandbox sender."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from postbud.cli.options import DatabaseUrl, DataDir, Json, console, make_settings, print_json, with_runtime
from postbud.domain.wording import counted

if TYPE_CHECKING:
    from postbud.services.runtime import Runtime
    from postbud.services.sandbox.seed import SeedResult


def seed(
    people: Annotated[int, typer.Option("--people", min=0, help="How many people.")] = 200,
    organisations: Annotated[
        int, typer.Option("--organisations", min=0, help="How many organisations.")
    ] = 30,
    seed_value: Annotated[int, typer.Option("--seed", help="Same seed, same population.")] = 1,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Fill the sandbox with synthetic recipients and the sandbox sender (safe to repeat)."""
    from postbud.services.sandbox.seed import SeedOptions, total_rows
    from postbud.services.sandbox.seed import seed as run_seed

    options = SeedOptions(people=people, organisations=organisations, seed=seed_value)

    async def use(runtime: Runtime) -> SeedResult:
        if json_out:
            return await run_seed(runtime, options)
        from rich.progress import Progress

        with Progress(console=console(stderr=True), transient=True) as progress:
            task = progress.add_task("Seeding", total=total_rows(options))
            return await run_seed(runtime, options, on_progress=lambda n: progress.advance(task, n))

    result = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    sender = result.sandbox_sender
    if json_out:
        print_json(
            {
                "people_created": result.people_created,
                "organisations_created": result.organisations_created,
                "already_present": result.already_present,
                "sandbox_sender": sender.as_json(),
            }
        )
        return
    out = console()
    people_count, orgs_count = result.people_created, result.organisations_created
    out.print(
        f"[bold green]Seeded[/] {counted(people_count, 'person', 'people')} and "
        f"{counted(orgs_count, 'organisation', 'organisations')}"
        f" ({counted(result.already_present, 'was', 'were')} already there)"
    )
    out.print(f"Sandbox sender: {sender.name}, digipost id {sender.digipost_id}")
    out.print(f"  API key      {sender.api_key}")
    out.print(f"  private key  {sender.key_file}")
    out.print(f"  certificate  {sender.certificate_file}")

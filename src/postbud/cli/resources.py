"""``postbud resources add|list``: the resource registry (Altinn resource id → owner and rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from postbud.cli.options import DatabaseUrl, DataDir, Json, console, make_settings, print_json, with_runtime
from postbud.domain.wording import counted

if TYPE_CHECKING:
    from postbud.domain.resources import Resource
    from postbud.services.runtime import Runtime

app = typer.Typer(help="Altinn resources: who owns each, and how it may be read.", no_args_is_help=True)


def resource_json(resource: Resource) -> dict[str, Any]:
    return {
        "id": resource.id,
        "urn": resource.urn,
        "owner_sender_id": str(resource.owner_sender_id),
        "owner_organisation_number": resource.owner_organisation_number,
        "titles": dict(resource.titles),
        "confidential": resource.confidential,
        "min_auth_level": resource.min_auth_level,
        "created_at": resource.created_at.isoformat(),
    }


def _titles(title: str | None, titles: list[str]) -> dict[str, str]:
    """``--title TEXT`` (Norwegian Bokmål) and ``--title-in LANG=TEXT`` (repeatable)."""
    found = {"nb": title} if title is not None else {}
    for pair in titles:
        language, sep, text = pair.partition("=")
        if not sep:
            raise typer.BadParameter(
                f"{pair!r}: write LANG=TITLE, e.g. en=Tax return", param_hint="--title-in"
            )
        found[language] = text
    return found


@app.command("add")
def add(
    resource_id: Annotated[str, typer.Option("--id", help="The resource id, e.g. skd-melding.")],
    owner: Annotated[
        str, typer.Option("--owner", help="The owner's organisation number (a registered sender).")
    ],
    title: Annotated[str | None, typer.Option("--title", help="The title (Norwegian Bokmål).")] = None,
    title_in: Annotated[
        list[str] | None,
        typer.Option("--title-in", help="A title in another language: LANG=TITLE (repeatable)."),
    ] = None,
    confidential: Annotated[
        bool, typer.Option("--confidential", help="Its correspondence is confidential.")
    ] = False,
    min_auth_level: Annotated[
        int, typer.Option("--min-auth-level", min=0, max=4, help="Minimum authentication level to read it.")
    ] = 0,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Register a resource for its owner."""
    from postbud.services.parties.resources import RegisterResource, register_resource

    command = RegisterResource(
        id=resource_id,
        owner=owner,
        titles=_titles(title, title_in or []),
        confidential=confidential,
        min_auth_level=min_auth_level,
    )

    async def use(runtime: Runtime) -> Resource:
        return await register_resource(command, runtime)

    resource = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(resource_json(resource))
        return
    out = console()
    out.print(f"[bold green]Registered[/] {resource.urn}")
    out.print(f"  owner           {resource.owner_organisation_number} ({resource.owner_sender_id})")
    out.print(f"  title           {resource.title('nb') or ''}")
    out.print(f"  confidential    {'yes' if resource.confidential else 'no'}")
    out.print(f"  min auth level  {resource.min_auth_level}")


@app.command("list")
def list_(
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner's (orgnr, id).")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """List the registered resources."""
    from postbud.services.parties.resources import list_resources
    from postbud.services.parties.senders import find_sender

    async def use(runtime: Runtime) -> list[Resource]:
        owner_id = (await find_sender(owner, runtime)).id if owner else None
        return await list_resources(runtime, owner_sender_id=owner_id)

    found = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json([resource_json(r) for r in found])
        return
    from rich.table import Table

    table = Table(
        "Id",
        "Owner",
        "Title",
        "Confidential",
        "Min level",
        title=counted(len(found), "resource", "resources"),
    )
    for r in found:
        table.add_row(
            r.id,
            r.owner_organisation_number,
            r.title("nb") or "",
            "yes" if r.confidential else "",
            str(r.min_auth_level),
        )
    console().print(table)

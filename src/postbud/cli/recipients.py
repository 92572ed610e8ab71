"""``postbud recipients add|list|import``: the people and organisations letters go to."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from postbud.cli.files import read_text
from postbud.cli.options import (
    DatabaseUrl,
    DataDir,
    Json,
    console,
    make_settings,
    print_json,
    reported_errors,
    with_runtime,
)
from postbud.domain.wording import counted

if TYPE_CHECKING:
    from postbud.domain.parties import Recipient
    from postbud.services.parties.recipients import ImportResult, Registered
    from postbud.services.runtime import Runtime
from postbud.cli.recipient_changes import Given

app = typer.Typer(help="People and organisations that receive letters.", no_args_is_help=True)


@app.command("add")
def add(
    identifier: Annotated[
        str,
        typer.Option("--id", help="Fødselsnummer, organisasjonsnummer, Swedish number, GLN or Peppol id."),
    ],
    name: Annotated[str | None, typer.Option("--name", help="Required for a new recipient.")] = None,
    mailbox: Annotated[
        bool | None,
        typer.Option(
            "--mailbox/--no-mailbox",
            help="Has a digital mailbox (an organisation: a business inbox).",
            show_default=False,
        ),
    ] = None,
    reserved: Annotated[
        bool | None,
        typer.Option(
            "--reserved/--not-reserved", help="Reserved against digital post (KRR).", show_default=False
        ),
    ] = None,
    email: Annotated[str | None, typer.Option("--email", help="'' removes it.")] = None,
    mobile: Annotated[str | None, typer.Option("--mobile", help="'' removes it.")] = None,
    address: Annotated[
        str | None,
        typer.Option("--address", help="'line|zip|city' or 'line1|line2|zip|city'; '' removes it."),
    ] = None,
    business_inbox: Annotated[
        bool | None,
        typer.Option(
            "--business-inbox/--no-business-inbox",
            help="A person with a business inbox as well.",
            show_default=False,
        ),
    ] = None,
    kivra: Annotated[
        bool | None,
        typer.Option("--kivra/--no-kivra", help="A person with a Kivra-style mailbox.", show_default=False),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option("--country", help="The address's country (ISO 3166-1 alpha-2); else the deployment's."),
    ] = None,
    ebank: Annotated[
        bool | None,
        typer.Option(
            "--ebank/--no-ebank",
            help="Takes bank e-invoices (Ekopost ebank, eFaktura): paid in the inbox.",
            show_default=False,
        ),
    ] = None,
    replace_all: Annotated[
        bool,
        typer.Option(
            "--replace", help="Replace the whole record of an existing id: what is not given is removed."
        ),
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Register a recipient; for an id that exists, change only what is given.

    An existing recipient keeps every option left out (its mailbox, e-mail, mobile, address…);
    --no-mailbox, --not-reserved, --email '' and the like remove one thing. --replace replaces the
    whole record instead, as `recipients import` does for a row.
    """
    from postbud.platform_api.models import RecipientOut
    from postbud.services.parties.recipients import register_recipient

    given = Given(
        name=name,
        mailbox=mailbox,
        reserved=reserved,
        email=email,
        mobile=mobile,
        address=address,
        business_inbox=business_inbox,
        kivra=kivra,
        country=country,
        ebank=ebank,
    )

    async def use(runtime: Runtime) -> Registered:
        existing = None if replace_all else await _existing(identifier, runtime)
        return await register_recipient(given.applied_to(identifier, existing), runtime)

    registered = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(
            {
                "recipient": RecipientOut.of(registered.recipient).model_dump(mode="json"),
                "created": registered.created,
            }
        )
        return
    r = registered.recipient
    verb = "Registered" if registered.created else ("Replaced" if replace_all else "Updated")
    line = f"[bold green]{verb}[/] {r.name} ({r.party_id})"
    if r.capabilities.mailbox_address:
        line += f", mailbox {r.capabilities.mailbox_address}"
    console().print(line)


async def _existing(identifier: str, runtime: Runtime) -> Recipient | None:
    from postbud.domain.errors import NotFound, ValidationFailed
    from postbud.services.parties.recipients import get_recipient

    try:
        return await get_recipient(identifier, runtime)
    except (NotFound, ValidationFailed):  # a broken id is reported with every other broken field
        return None


@app.command("list")
def list_(
    search: Annotated[
        str | None, typer.Option("--search", "-q", help="Part of a name or mailbox address.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10000)] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """List recipients by name."""
    from postbud.platform_api.models import RecipientOut
    from postbud.services.parties.recipients import list_recipients

    async def use(runtime: Runtime) -> tuple[list[Recipient], int]:
        return await list_recipients(runtime, search=search, offset=offset, limit=limit)

    found, total = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        items = [RecipientOut.of(r).model_dump(mode="json") for r in found]
        print_json({"items": items, "total": total, "offset": offset, "limit": limit})
        return
    _table(found, total)


def _table(found: list[Recipient], total: int) -> None:
    from rich.table import Table

    table = Table(
        "Name",
        "Id",
        "Inbox",
        "Reserved",
        "E-mail",
        "Mobile",
        title=f"{len(found)} of {counted(total, 'recipient', 'recipients')}",
    )
    for r in found:
        caps = r.capabilities
        inbox = caps.mailbox_address or ("business inbox" if caps.business_inbox else "")
        table.add_row(
            r.name,
            r.party_id.value,
            inbox,
            "yes" if caps.reserved else "",
            caps.email or "",
            caps.mobile or "",
        )
    console().print(table)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV file ('-' for stdin).", allow_dash=True)],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid rows even if some are invalid.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Import recipients from CSV; rows are registered or updated by id.

    Header: id,name,mailbox,reserved,email,mobile,address_line,postal_code,city (id and name required).

    mailbox and reserved take true/false, yes/no, ja/nei or 1/0.

    address_line may hold several street lines separated by '|'.

    With an invalid row nothing is imported (exit code 1) unless --skip-invalid.
    """
    from postbud.platform_api.models import ImportOut
    from postbud.services.parties.recipients import import_rows, parse_csv

    text = read_text(file, field="file", json_mode=json_out, encoding="utf-8-sig", stdin_dash=True)
    with reported_errors(json_out):
        parsed = parse_csv(text)

    async def use(runtime: Runtime) -> ImportResult:
        if json_out or not parsed.rows:
            return await import_rows(parsed, runtime, skip_invalid=skip_invalid)
        from rich.progress import Progress

        with Progress(console=console(stderr=True), transient=True) as progress:
            task = progress.add_task("Importing", total=len(parsed.rows))
            return await import_rows(
                parsed, runtime, skip_invalid=skip_invalid, on_progress=lambda n: progress.advance(task, n)
            )

    result = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    failed = bool(result.rejected) and not skip_invalid
    if json_out:
        print_json(ImportOut.of(result).model_dump(mode="json"))
    else:
        _report(result, failed)
    if failed:
        raise typer.Exit(1)


def _report(result: ImportResult, failed: bool) -> None:
    out = console()
    for row in result.rejected:
        problems = "; ".join(f"{e.field}: {e.rule}" for e in row.errors)
        out.print(f"[red]line {row.line}[/]: {problems}")
    if failed:
        invalid = counted(len(result.rejected), "invalid row", "invalid rows")
        out.print(f"[bold red]Nothing imported:[/] {invalid} (see --skip-invalid)")
        return
    skipped = len(result.rejected)
    out.print(f"[bold green]Imported[/] {result.created} new, {result.updated} updated, {skipped} skipped")

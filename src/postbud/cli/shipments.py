"""``postbud shipments list|show``: what was sent, where it went, and what happened to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from postbud.cli.options import DatabaseUrl, DataDir, Json, console, make_settings, print_json, with_runtime

if TYPE_CHECKING:
    from postbud.services.letters.query import ShipmentDetails, ShipmentPage
    from postbud.services.runtime import Runtime

app = typer.Typer(help="Letters and their events.", no_args_is_help=True)


@app.command("list")
def list_(
    sender: Annotated[str | None, typer.Option("--sender", help="Sender id, orgnr or digipost id.")] = None,
    recipient: Annotated[str | None, typer.Option("--recipient", help="Party id or mailbox address.")] = None,
    status: Annotated[str | None, typer.Option("--status")] = None,
    channel: Annotated[str | None, typer.Option("--channel")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 50,
    cursor: Annotated[
        str | None, typer.Option("--cursor", help="next_cursor from the previous page.")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """List shipments, newest first, with whole ids (`shipments show` takes any unique start of one).

    --json prints every field, for scripts.
    """
    from postbud.platform_api.models import ShipmentOut
    from postbud.services.letters.query import ShipmentFilter, list_shipments
    from postbud.services.parties.senders import find_sender

    async def use(runtime: Runtime) -> ShipmentPage:
        sender_id = (await find_sender(sender, runtime)).id if sender else None
        query = ShipmentFilter(sender_id, recipient, status, channel, cursor, limit)
        return await list_shipments(query, runtime)

    page = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        items = [ShipmentOut.of(s).model_dump(mode="json") for s in page.shipments]
        print_json({"items": items, "next_cursor": page.next_cursor})
        return
    from rich.table import Table

    from postbud.domain.wording import counted

    table = Table(title=counted(len(page.shipments), "shipment", "shipments"))
    # The id is what `show` takes: never cut; the free texts give way on a narrow terminal.
    table.add_column("Id", no_wrap=True, min_width=36)
    table.add_column("Created", no_wrap=True)
    for heading in ("Status", "Channel"):
        table.add_column(heading)
    for heading in ("Recipient", "Subject"):
        table.add_column(heading, overflow="ellipsis", max_width=40)
    for s in page.shipments:
        table.add_row(
            str(s.id),
            s.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            s.status.value,
            s.channel.value if s.channel else "",
            s.recipient_name or s.recipient_party or "",
            s.subject or "",
        )
    out = console()
    out.print(table)
    if page.next_cursor:
        out.print(f"more: --cursor {page.next_cursor}")


@app.command("show")
def show(
    shipment_id: Annotated[
        str, typer.Argument(help="The shipment's id, or any unique start of it (at least 4 characters).")
    ],
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Show a shipment with its documents and events."""
    from postbud.platform_api.models import ShipmentDetail
    from postbud.services.letters.query import get_shipment
    from postbud.services.letters.shipment_ref import resolve_shipment_id

    async def use(runtime: Runtime) -> ShipmentDetails:
        return await get_shipment(await resolve_shipment_id(shipment_id, runtime), runtime)

    details = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(ShipmentDetail.with_events(details.shipment, details.events).model_dump(mode="json"))
        return
    _render(details)


def _render(details: ShipmentDetails) -> None:
    from rich.markup import escape
    from rich.table import Table

    from postbud.domain.wording import counted

    s, out = details.shipment, console()
    out.print(f"[bold]{escape(s.subject or '(no subject)')}[/]  {s.id}")
    out.print(f"  status     {s.status.value} via {s.channel.value if s.channel else '-'}")
    envelope = s.print_instructions.recipient.name if s.print_instructions else ""
    out.print(f"  recipient  {escape(s.recipient_name or envelope or '')} {s.recipient_party or ''}")
    out.print(f"  sender     {s.sender_id} ({s.dialect})")
    for d in s.documents:
        size = counted(d.size, "byte", "bytes")
        out.print(f"  document   {d.position}: {escape(d.title or '')} [{d.file_type}, {size}]")
    events = Table("At", "Event", "Channel", "Details", title="Events")
    for e in details.events:
        events.add_row(
            e.at.strftime("%Y-%m-%d %H:%M:%S"),
            e.type.value,
            e.channel.value if e.channel else "",
            escape(event_details(e.data)),
        )
    out.print(events)


def event_details(data: dict[str, object]) -> str:
    """An event's data as lines a person reads: ``reason: …``, one line per channel passed over."""
    lines: list[str] = []
    for key, value in data.items():
        if value is None or value in ("", [], {}):
            continue
        label = key.replace("_", " ")
        if isinstance(value, list):
            lines.append(f"{label}:")
            lines.extend(f"  - {item}" for item in value)
        elif isinstance(value, dict):
            lines.append(f"{label}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items()))
        elif isinstance(value, bool):
            lines.append(f"{label}: {'yes' if value else 'no'}")
        else:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)

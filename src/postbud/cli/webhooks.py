"""``postbud webhooks``: subscribe URLs to a sender's events; inspect and repeat deliveries."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated

import typer

from postbud.cli.options import DatabaseUrl, DataDir, Json, console, make_settings, print_json, with_runtime
from postbud.domain.webhook_formats import WebhookFormat

if TYPE_CHECKING:
    from postbud.services.runtime import Runtime
    from postbud.webhooks.manage import Delivery, Webhook

app = typer.Typer(help="Webhooks: event notifications to senders' URLs.", no_args_is_help=True)

SenderRef = Annotated[str, typer.Option("--sender", help="Sender id, orgnr or digipost id.")]


def _webhook_json(webhook: Webhook) -> dict[str, object]:
    """The platform API's shape of a webhook, with its format."""
    from postbud.platform_api.models import WebhookOut

    return {**WebhookOut.of(webhook).model_dump(mode="json"), "format": str(webhook.format)}


@app.command("add")
def add(
    sender: SenderRef,
    url: Annotated[str, typer.Option("--url", help="http(s) URL to POST events to.")],
    events: Annotated[
        list[str] | None,
        typer.Option(
            "--event",
            help="Event type (repeatable). Left out: every letter event; with --format ekopost, the "
            "campaign's end (batch.completed, batch.failed, batch.cancelled), as Ekopost's callbacks.",
        ),
    ] = None,
    fmt: Annotated[
        WebhookFormat,
        typer.Option(
            "--format",
            help="Body and signature: standard (Standard Webhooks), ekopost (X-Ekopost-Signature) "
            "or cloudevents (CloudEvents 1.0).",
        ),
    ] = WebhookFormat.STANDARD,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """Subscribe a URL to a sender's events; prints the signing secret once."""
    from postbud.services.parties.senders import find_sender
    from postbud.webhooks.manage import add_webhook

    async def use(runtime: Runtime) -> tuple[Webhook, str]:
        found = await find_sender(sender, runtime)
        return await add_webhook(runtime, found.id, url, events or None, format=fmt)

    webhook, secret = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json({"webhook": _webhook_json(webhook), "secret": secret})
        return
    out = console()
    out.print(
        f"[bold green]Subscribed[/] {webhook.url} to {', '.join(webhook.event_types)} ({webhook.format})"
    )
    out.print(f"  webhook id  {webhook.id}")
    out.print(f"  secret      [bold]{secret}[/]  (shown once)")


@app.command("list")
def list_(
    sender: Annotated[str | None, typer.Option("--sender", help="Sender id, orgnr or digipost id.")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """List webhooks."""
    from postbud.services.parties.senders import find_sender
    from postbud.webhooks.manage import list_webhooks

    async def use(runtime: Runtime) -> list[Webhook]:
        sender_id = (await find_sender(sender, runtime)).id if sender else None
        return await list_webhooks(runtime, sender_id)

    found = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json([_webhook_json(w) for w in found])
        return
    from rich.table import Table

    table = Table("URL", "Events", "Format", "Active", "Sender", "Id", title=f"{len(found)} webhooks")
    for w in found:
        active = "yes" if w.active else "paused"
        table.add_row(w.url, ", ".join(w.event_types), str(w.format), active, str(w.sender_id), str(w.id))
    console().print(table)


def _set_active(
    webhook_id: uuid.UUID, active: bool, data_dir: DataDir, database_url: DatabaseUrl, json_out: bool
) -> None:
    from postbud.webhooks.manage import set_active

    async def use(runtime: Runtime) -> Webhook:
        return await set_active(runtime, webhook_id, active)

    webhook = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(_webhook_json(webhook))
    else:
        console().print(f"{webhook.url}: {'active' if webhook.active else 'paused'}")


@app.command("pause")
def pause(
    webhook_id: uuid.UUID, data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False
) -> None:
    """Stop delivering to a webhook."""
    _set_active(webhook_id, False, data_dir, database_url, json_out)


@app.command("resume")
def resume(
    webhook_id: uuid.UUID, data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False
) -> None:
    """Deliver to a paused webhook again."""
    _set_active(webhook_id, True, data_dir, database_url, json_out)


@app.command("remove")
def remove(
    webhook_id: uuid.UUID, data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False
) -> None:
    """Unsubscribe: remove a webhook with its deliveries and their log."""
    from postbud.webhooks.manage import remove_webhook

    async def use(runtime: Runtime) -> Webhook:
        return await remove_webhook(runtime, webhook_id)

    webhook = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(_webhook_json(webhook))
    else:
        console().print(f"Removed {webhook.url}")


@app.command("test")
def send_test(
    webhook_id: uuid.UUID, data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False
) -> None:
    """Queue a test event (webhook.test) to a webhook; a running Postbud's workers send it."""
    from postbud.platform_api.models import DeliveryOut
    from postbud.webhooks.manage import send_test_event

    async def use(runtime: Runtime) -> Delivery:
        return await send_test_event(runtime, webhook_id)

    delivery = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(DeliveryOut.of(delivery).model_dump(mode="json"))
    else:
        console().print(f"Test event queued as delivery {delivery.id}")


@app.command("deliveries")
def deliveries(
    sender: Annotated[str | None, typer.Option("--sender", help="Sender id, orgnr or digipost id.")] = None,
    webhook_id: Annotated[uuid.UUID | None, typer.Option("--webhook")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 50,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_out: Json = False,
) -> None:
    """List deliveries, newest first."""
    from postbud.platform_api.models import DeliveryOut
    from postbud.services.parties.senders import find_sender
    from postbud.webhooks.manage import list_deliveries

    async def use(runtime: Runtime) -> list[Delivery]:
        sender_id = (await find_sender(sender, runtime)).id if sender else None
        return await list_deliveries(runtime, sender_id, webhook_id, limit)

    found = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json([DeliveryOut.of(d).model_dump(mode="json") for d in found])
        return
    from rich.table import Table

    table = Table("Created", "Status", "Attempts", "Last result", "Id", title=f"{len(found)} deliveries")
    for d in found:
        result = str(d.last_status_code or "") or (d.last_error or "")
        table.add_row(
            d.created_at.strftime("%Y-%m-%d %H:%M:%S"), d.status, str(d.attempts), result, str(d.id)
        )
    console().print(table)


@app.command("attempts")
def attempts(
    delivery_id: uuid.UUID, data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False
) -> None:
    """Every attempt of one delivery: the request as sent and the response as received."""
    from postbud.platform_api.webhooks import AttemptDetailOut
    from postbud.webhooks.manage import Attempt, delivery_attempts

    async def use(runtime: Runtime) -> list[Attempt]:
        return await delivery_attempts(runtime, delivery_id)

    found = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json([AttemptDetailOut.of(a).model_dump(mode="json") for a in found])
        return
    out = console()
    for number, attempt in enumerate(found, start=1):
        sent = attempt.exchange
        result = str(attempt.status_code or "") or "no response"
        out.print(
            f"[bold]Attempt {number}[/] {attempt.at:%Y-%m-%d %H:%M:%S} → {result} ({attempt.duration_ms} ms)"
        )
        if attempt.error:
            out.print(f"  error: {attempt.error}", markup=False)
        if sent.request_method:
            out.print(f"  > {sent.request_method} {sent.request_url}", markup=False)
            for name, value in (sent.request_headers or {}).items():
                out.print(f"  > {name}: {value}", markup=False)
            out.print(f"  > {sent.request_body}", markup=False)
        if sent.response_headers is not None:
            for name, value in sent.response_headers.items():
                out.print(f"  < {name}: {value}", markup=False)
            out.print(f"  < {sent.response_body}", markup=False)


@app.command("redeliver")
def redeliver(
    delivery_id: uuid.UUID, data_dir: DataDir = None, database_url: DatabaseUrl = None, json_out: Json = False
) -> None:
    """Send a delivery again, whatever its state."""
    from postbud.platform_api.models import DeliveryOut
    from postbud.webhooks.manage import redeliver as run_redeliver

    async def use(runtime: Runtime) -> Delivery:
        return await run_redeliver(runtime, delivery_id)

    delivery = with_runtime(make_settings(data_dir, database_url), use, json_mode=json_out)
    if json_out:
        print_json(DeliveryOut.of(delivery).model_dump(mode="json"))
    else:
        console().print(f"Delivery {delivery.id} queued again")

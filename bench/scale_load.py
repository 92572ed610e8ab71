"""Fill a store with letters through the real send path, resumably, for the scale benchmark.

``nice -n 19 .venv/bin/python -m bench.scale_load --data-dir DIR [--database-url URL] --target N``

Each letter goes through the core send use case (`send_letter`: plan, then the group-commit writer
the HTTP send uses) with its own small one-page PDF (about 1 KB, unique, so no de-duplication
helps), from ``--concurrency`` tasks at once. The mix is that of a busy Digipost broker (the
sandbox sender): most letters to people with a digital mailbox (delivered at once), one in fifty
to print (a person without a mailbox, with print instructions: routed, its print job waiting),
one in a hundred not delivered, and one in a hundred fetched and read by its recipient through the
recipient actions (``opened``: a Digipost document event); one in a hundred is an Altinn
correspondence about one resource (stored as Altinn's initialize stores it). The loader counts
what the store holds and goes on from there, so a stopped run is never wasted; it prints the rate
every ``--report`` letters.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.pool import letter_pdf

PDF_PADDING = 256
PRINT_EVERY = 50
UNDELIVERED_EVERY = 100
OPENED_EVERY = 100
ALTINN_EVERY = 100
RESOURCE = "scale-resource"
SEED_PEOPLE = 400


@dataclass(frozen=True, slots=True)
class Population:
    sender_id: uuid.UUID
    with_mailbox: tuple[str, ...]
    without_mailbox: tuple[str, ...]


def settings_for(data_dir: Path, database_url: str | None):  # type: ignore[no-untyped-def]
    from postbud.config import Settings

    return Settings(data_dir=data_dir, database_url=database_url, log_json=True)


def seed(data_dir: Path, database_url: str | None) -> None:
    command = [str(Path(sys.executable).with_name("postbud")), "seed", "--data-dir", str(data_dir), "--json"]
    command += ["--people", str(SEED_PEOPLE)]
    if database_url:
        command += ["--database-url", database_url]
    subprocess.run(command, check=True, capture_output=True)


async def population(runtime) -> Population:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from postbud.storage import schema

    async with runtime.database.reading() as conn:
        sender_id = (
            await conn.execute(select(schema.senders.c.id).where(schema.senders.c.digipost_id == 100000))
        ).scalar_one()
        r = schema.recipients.c
        query = select(r.party_id, r.digital_mailbox, r.reserved).where(r.kind == "person")
        rows = (await conn.execute(query)).all()
    with_mailbox, without = [], []
    for party, mailbox, reserved in rows:
        if mailbox and not reserved:
            with_mailbox.append(party)
        elif not mailbox:
            without.append(party)
    return Population(sender_id, tuple(sorted(with_mailbox)), tuple(sorted(without)))


async def stored_letters(runtime) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from postbud.storage import schema

    async with runtime.database.reading() as conn:
        return int((await conn.execute(select(func.count()).select_from(schema.shipments))).scalar_one())


def command_for(number: int, people: Population):  # type: ignore[no-untyped-def]
    from postbud.domain.channels import Channel
    from postbud.domain.identifiers import parse_party_id
    from postbud.domain.parties import PostalAddress
    from postbud.domain.shipments import PrintInstructions
    from postbud.services.letters.send_letter import DocumentInput, SendLetter

    document = DocumentInput(
        content=letter_pdf(number, PDF_PADDING),
        file_type="pdf",
        mime="application/pdf",
        title=f"Letter {number}",
        external_id=str(uuid.uuid4()),
    )
    channels: tuple[Channel, ...] = (Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX)
    print_instructions = None
    if number % PRINT_EVERY == 1 and people.without_mailbox:
        recipient = people.without_mailbox[number % len(people.without_mailbox)]
        channels = (Channel.DIGITAL_MAILBOX, Channel.PRINT)
        print_instructions = PrintInstructions(
            recipient=PostalAddress(
                name="Kari Nordmann", lines=("Storgata 1",), postal_code="0155", city="Oslo"
            ),
        )
    elif number % UNDELIVERED_EVERY == 2 and people.without_mailbox:
        recipient = people.without_mailbox[number % len(people.without_mailbox)]
    else:
        recipient = people.with_mailbox[number % len(people.with_mailbox)]
    dialect, properties = "digipost", {}
    if number % ALTINN_EVERY == 5:  # a correspondence about one resource, as Altinn's initialize stores it
        dialect, properties = "altinn", _correspondence(number)
    return SendLetter(
        sender_id=people.sender_id,
        dialect=dialect,
        properties=properties,
        documents=(document,),
        channels=channels,
        external_id=f"scale-{number}",
        recipient=parse_party_id(recipient),
        print_instructions=print_instructions,
    )


def _correspondence(number: int) -> dict[str, str]:
    record = {
        "resource_id": RESOURCE,
        "sender_urn": "urn:altinn:organization:identifier-no:918891633",
        "message_sender": None,
        "language": "nb",
        "title": f"Letter {number}",
        "summary": "",
        "requested_publish_time": None,
        "due_date_time": None,
    }
    return {"altinn": json.dumps(record, separators=(",", ":")), "resource": RESOURCE}


async def open_letter(runtime, accepted) -> None:  # type: ignore[no-untyped-def]
    """The recipient fetches and reads it, as in the inbox: an ``opened`` document event."""
    from postbud.domain.letter_actions import AsRecipient
    from postbud.services.recipient_actions.fetch import record_fetched
    from postbud.services.recipient_actions.read import mark_read

    shipment = accepted.shipment
    caller = AsRecipient(shipment.recipient_party)
    await record_fetched(runtime, caller, shipment.id)
    await mark_read(runtime, caller, shipment.id)


async def send_range(runtime, people: Population, numbers: Sequence[int], concurrency: int) -> int:  # type: ignore[no-untyped-def]
    """Send letters ``numbers`` from ``concurrency`` tasks; the count acknowledged."""
    from postbud.domain.errors import Conflict
    from postbud.services.letters.send_letter import send_letter

    queue = list(reversed(numbers))
    sent = 0

    async def lane() -> None:
        nonlocal sent
        while queue:
            number = queue.pop()
            try:
                accepted = await send_letter(command_for(number, people), runtime)
            except Conflict:  # sent by an earlier, interrupted run
                continue
            sent += 1
            if number % OPENED_EVERY == 3 and accepted.shipment.status.value == "delivered":
                await open_letter(runtime, accepted)

    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return sent


async def open_runtime(data_dir: Path, database_url: str | None):  # type: ignore[no-untyped-def]
    from postbud.bootstrap import build_runtime

    runtime = await build_runtime(settings_for(data_dir, database_url))
    await runtime.writer.start()
    return runtime


async def load(args: argparse.Namespace) -> None:
    data_dir = Path(args.data_dir)
    seed(data_dir, args.database_url)  # safe to repeat
    runtime = await open_runtime(data_dir, args.database_url)
    try:
        people = await population(runtime)
        have = await stored_letters(runtime)
        print(json.dumps({"start": have, "target": args.target}), flush=True)
        number = have
        while number < args.target:
            chunk = range(number, min(number + args.report, args.target))
            started = time.monotonic()
            sent = await send_range(runtime, people, chunk, args.concurrency)
            elapsed = time.monotonic() - started
            number = chunk.stop
            line = {"stored": number, "sent": sent, "seconds": round(elapsed, 1)}
            line["per_second"] = round(sent / elapsed, 1) if elapsed else 0
            print(json.dumps(line), flush=True)
    finally:
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--target", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--report", type=int, default=10_000)
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.run(load(args))
    except ImportError:
        asyncio.run(load(args))


if __name__ == "__main__":
    main()

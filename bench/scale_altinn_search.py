"""Altinn's search at size, store side: before (every letter of the resource read, then the newest
1,000 with their events) and after (the resource's letters walked newest publish time first, a page
of 200 at a time with their events, until 1,000 are shown), at two sizes of one resource.

``nice -n 19 .venv/bin/python -m bench.scale_altinn_search --sizes 10000,100000`` — for each size a
fresh SQLite store (or ``--database-url``) migrated to the newest schema, filled by bulk inserts (not
the send path: this measures the read) with letters of one resource from its owner to 50
organisations, each with its created, routed and delivered events and one in eleven opened. Each
read runs ``--samples`` times after one warm-up; p50 and p95 in milliseconds. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.services.letters.query import ShipmentFilter, events_of, list_shipments
from postbud.services.letters.resource_search import ResourceLetters, resource_letters_page
from postbud.services.runtime import Runtime
from postbud.storage import schema

RESOURCE = "skd-melding"
START = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 5_000
SHOWN = 1_000
PAGE = 200


async def fill(runtime: Runtime, letters: int) -> uuid.UUID:
    owner = uuid.uuid4()
    recipients = [uuid.uuid4() for _ in range(50)]
    async with runtime.database.transaction() as conn:
        await conn.execute(
            schema.senders.insert(),
            {"id": owner, "name": "Skatteetaten", "organisation_number": "974761076", "altinn_scopes": [],
             "created_at": START},
        )  # fmt: skip
        await conn.execute(
            schema.recipients.insert(),
            [{"id": r, "party_id": f"no-org:9{n:08d}", "kind": "organisation", "name": f"Org {n}",
              "created_at": START, "updated_at": START} for n, r in enumerate(recipients)],
        )  # fmt: skip
    for first in range(0, letters, BATCH):
        shipments: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for i in range(first, min(first + BATCH, letters)):
            sid, at = uuid.uuid4(), START + timedelta(seconds=i)
            shipments.append(
                {"id": sid, "sender_id": owner, "dialect": "altinn", "status": "delivered",
                 "channel": "business_inbox", "resource_id": RESOURCE, "recipient_id": recipients[i % 50],
                 "recipient_party": f"no-org:9{i % 50:08d}", "request": {}, "created_at": at,
                 "updated_at": at}
            )  # fmt: skip
            kinds = ["created", "routed", "delivered"] + (["opened"] if i % 11 == 0 else [])
            events += [
                {"id": uuid.uuid4(), "shipment_id": sid, "sender_id": owner, "type": kind, "channel": None,
                 "at": at + timedelta(milliseconds=n), "data": {}, "dedup_key": kind}
                for n, kind in enumerate(kinds)
            ]  # fmt: skip
        async with runtime.database.transaction() as conn:
            await conn.execute(schema.shipments.insert(), shipments)
            await conn.execute(schema.events.insert(), events)
    async with runtime.database.transaction() as conn:
        await conn.exec_driver_sql("ANALYZE")
    return owner


async def before(runtime: Runtime, owner: uuid.UUID) -> int:
    """The search's reads before this change: every letter of the resource, sorted, then the events
    of the newest 1,000."""
    query = ShipmentFilter(sender_id=owner, resource_id=RESOURCE, limit=500)
    letters = []
    while True:
        page = await list_shipments(query, runtime)
        letters += page.shipments
        if page.next_cursor is None:
            break
        query = ShipmentFilter(sender_id=owner, resource_id=RESOURCE, limit=500, cursor=page.next_cursor)
    newest = sorted(letters, key=lambda s: (s.publish_at or s.created_at, s.id), reverse=True)[:SHOWN]
    for at in range(0, len(newest), PAGE):
        await events_of([s.id for s in newest[at : at + PAGE]], runtime)
    return len(letters)


async def after(
    runtime: Runtime, owner: uuid.UUID, had: frozenset[str] | None = None, *, resource: str = RESOURCE
) -> int:
    """The search's reads now: pages of 200 down the index with their events, until 1,000."""
    which = ResourceLetters(resource_id=resource, sender_id=owner, had_event_types=had)
    shown, cursor = 0, None
    while shown < SHOWN:
        page = await resource_letters_page(which, runtime, before=cursor, limit=PAGE)
        if not page:
            break
        await events_of([s.id for _, s in page], runtime)
        shown += len(page)
        cursor = (page[-1][0], page[-1][1].id)
    return shown


async def timed(read: Callable[[], Awaitable[object]], samples: int) -> dict[str, float]:
    await read()
    took = []
    for _ in range(samples):
        started = time.perf_counter()
        await read()
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return {
        "p50_ms": round(statistics.median(took), 1),
        "p95_ms": round(took[max(0, math.ceil(0.95 * len(took)) - 1)], 1),
    }


async def measure(size: int, args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"postbud-altinn-search-{size}-"))
    settings = Settings(data_dir=work / "data", database_url=args.database_url, workers=0)
    runtime = await build_runtime(settings)
    try:
        filled = time.perf_counter()
        owner = await fill(runtime, size)
        result: dict[str, Any] = {"letters": size, "fill_s": round(time.perf_counter() - filled, 1)}
        result["before (every letter, then 1,000 with events)"] = await timed(
            lambda: before(runtime, owner), args.before_samples
        )
        result["after (pages of 200 until 1,000)"] = await timed(lambda: after(runtime, owner), args.samples)
        result["after, status Read (1 in 11)"] = await timed(
            lambda: after(runtime, owner, frozenset({"opened"})), args.samples
        )
        return result
    finally:
        await runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--before-samples", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(json.dumps(asyncio.run(measure(size, args))), flush=True)


if __name__ == "__main__":
    main()

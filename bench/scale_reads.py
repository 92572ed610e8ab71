"""Cost at size: reads, ingest against an empty store, startup and memory, on a store bench.scale_load filled.

``nice -n 19 .venv/bin/python -m bench.scale_reads --data-dir DIR [--database-url URL] [--json out.json]``

Run it on the store the loader filled (it migrates it to the newest schema first, which fills the
read models of migration 0014 from the stored events; the time that takes is reported). Then,
in one run:

* every read of issue 13 item 7 and each dialect's status and event read, ``--samples`` times
  in a row (sequential, one at a time), each on a different letter or window (list pages: every
  other one the first page, the others one page at a point spread over the whole store): p50 and
  p95 in ms.
  The reads are the calls each surface makes (the repository or use case behind the HTTP
  handler), without HTTP, signing or rendering, so the figures are what the store costs;
* ingest at size against an empty store: ``--ingest`` letters into a fresh empty store, then as
  many into the large one, twice in turn (A B A B), from 64 concurrent senders through the same
  send path as the loader; the ratio is of the summed rates;
* startup: ``postbud serve`` on the store, timed from start until ``/readyz`` answers, and its
  resident memory then (the whole process tree);
* sizes: the database (file with its WAL, or ``pg_database_size``) and the blob folder.

For a before/after figure, run it first with the code of before the change (its reads are the
same calls) and ``--ingest 0 --skip-startup``, then with the change.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.scale_load import RESOURCE, open_runtime, population, seed, send_range, stored_letters

Read = Callable[[int], Awaitable[object]]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed(read: Read, samples: int) -> dict[str, float]:
    await read(0)  # warm the statement caches
    took: list[float] = []
    for i in range(1, samples + 1):
        started = time.perf_counter()
        await read(i)
        took.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(took), 2),
        "p95_ms": round(percentile(took, 0.95), 2),
        "max_ms": round(max(took), 2),
    }


async def sample_ids(runtime, sender_id: uuid.UUID, count: int) -> list[tuple[uuid.UUID, str]]:  # type: ignore[no-untyped-def]
    """Letters spread over the whole store: (shipment id, primary document's external id)."""
    from sqlalchemy import select

    from postbud.storage import schema

    s, d = schema.shipments.c, schema.documents.c
    total = await stored_letters(runtime)
    picked = []
    async with runtime.database.reading() as conn:
        for n in range(count):
            number = (n * 7919 * 13 + 17) % max(1, total)  # spread over the loader's numbers
            query = (
                select(s.id, d.external_id)
                .join(schema.documents, (d.shipment_id == s.id) & (d.position == 0))
                .where(s.sender_id == sender_id, s.dialect == "digipost", s.external_id == f"scale-{number}")
            )
            row = (await conn.execute(query)).first()
            if row is not None:
                picked.append((row[0], row[1]))
    return picked


async def measure_reads(runtime, samples: int, only: str | None = None) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    from postbud.dialects.digipost.event_vocabulary import event_kinds
    from postbud.services.console.activity_chart import activity
    from postbud.services.console.print_queue import print_queue
    from postbud.services.letters.query import ShipmentFilter, get_shipment, list_shipments

    people = await population(runtime)
    sender = people.sender_id
    letters = await sample_ids(runtime, sender, min(samples + 1, 101))
    now = runtime.clock.now()
    kinds = event_kinds(8)

    first_at, last_at = await _time_span(runtime)

    async def page(query: ShipmentFilter, deep: bool, i: int) -> object:
        """One page: the first, or (``deep``) one starting at a point spread over the whole store."""
        if deep and i % 2:
            point = first_at + (last_at - first_at) * ((i * 37 % 100) / 100)
            cursor = base64.urlsafe_b64encode(f"{point.isoformat()}|{uuid.UUID(int=0)}".encode()).decode()
            query = replace(query, cursor=cursor.rstrip("="))
        return await list_shipments(query, runtime)

    async def events_poll(window: timedelta, i: int, limit: int = 100) -> object:
        async with runtime.reader() as uow:
            return await uow.events.for_sender_on_documents(
                sender,
                since=now - window - timedelta(minutes=i),
                until=now - timedelta(minutes=i),
                kinds=kinds,
                dialect="digipost",
                offset=0,
                limit=limit,
            )

    async def document_status(i: int) -> object:
        _, external = letters[i % len(letters)]
        async with runtime.reader() as uow:
            shipment = await uow.shipments.by_document_external_id(sender, external)
            assert shipment is not None
            return await uow.events.for_shipment(shipment.id)

    async def letter(i: int) -> object:
        return await get_shipment(letters[i % len(letters)][0], runtime, sender_id=sender)

    reads: dict[str, Read] = {
        "console list, no filter": lambda i: page(ShipmentFilter(limit=50), True, i),
        "console list, status delivered (common)": lambda i: page(
            ShipmentFilter(status="delivered", limit=50), True, i
        ),
        "console list, status opened (1 %)": lambda i: page(
            ShipmentFilter(status="opened", limit=50), True, i
        ),
        "console list, status not_delivered (1 %)": lambda i: page(
            ShipmentFilter(status="not_delivered", limit=50), True, i
        ),
        "console list, channel print (2 %)": lambda i: page(
            ShipmentFilter(channel="print", limit=50), True, i
        ),
        "platform API list, sender + status delivered": lambda i: page(
            ShipmentFilter(sender_id=sender, status="delivered", limit=50), True, i
        ),
        "platform API list, sender + channel print": lambda i: page(
            ShipmentFilter(sender_id=sender, channel="print", limit=50), True, i
        ),
        "console start page chart (24 h)": lambda i: activity(runtime),
        "console print queue, first page": lambda i: print_queue(runtime),
        "Digipost document events, 30-day window": lambda i: events_poll(timedelta(days=30), i),
        "Digipost document events, 10-minute window": lambda i: events_poll(timedelta(minutes=10), i),
        "Digipost document events, 10-minute window, maxResults 10,000": lambda i: events_poll(
            timedelta(minutes=10), i, 10_000
        ),
        "Digipost document status": document_status,
        "letter with its events (Ekopost envelope GET, Altinn correspondence GET)": letter,
    }
    results: dict[str, dict[str, float]] = {}
    for name, read in reads.items():
        if only and only not in name:
            continue
        results[name] = await timed(read, samples)
        print(json.dumps({"read": name, **results[name]}), flush=True)
    name = "Altinn search (one resource, as sender): pages of 200 with their events until 1,000"
    if only and only not in name:
        return results
    results[name] = await timed_once(lambda: altinn_search(runtime, sender), max(1, samples // 20))
    print(json.dumps({"read": name, **results[name]}), flush=True)
    return results


async def altinn_search(runtime, sender: uuid.UUID) -> int:  # type: ignore[no-untyped-def]
    """What the Altinn dialect's search reads for a resource owner (dialects/altinn/search_http.py):
    the resource's letters newest publish time first, a page of 200 with their events at a time,
    until 1,000 are shown (``bench/scale_altinn_search.py`` measures it against the read before)."""
    from bench.scale_altinn_search import after

    return await after(runtime, sender, resource=RESOURCE)


async def timed_once(read: Callable[[], Awaitable[object]], samples: int) -> dict[str, float]:
    """For a read too slow to warm up and repeat a hundred times: ``samples`` runs, no warm-up."""
    took: list[float] = []
    for _ in range(samples):
        started = time.perf_counter()
        found = await read()
        took.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(took), 2),
        "p95_ms": round(percentile(took, 0.95), 2),
        "max_ms": round(max(took), 2),
        "samples": samples,
        "letters": float(found) if isinstance(found, int) else 0.0,
    }


async def _time_span(runtime) -> tuple[datetime, datetime]:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from postbud.storage import schema
    from postbud.storage.types import UtcDateTime

    s = schema.shipments.c
    query = select(func.min(s.created_at, type_=UtcDateTime), func.max(s.created_at, type_=UtcDateTime))
    async with runtime.database.reading() as conn:
        first, last = (await conn.execute(query)).one()
    return first, last


async def ingest_rate(data_dir: Path, database_url: str | None, first: int, count: int) -> float:
    runtime = await open_runtime(data_dir, database_url)
    try:
        people = await population(runtime)
        started = time.monotonic()
        sent = await send_range(runtime, people, range(first, first + count), 64)
        return sent / (time.monotonic() - started)
    finally:
        await runtime.close()


async def measure_ingest(data_dir: Path, database_url: str | None, count: int) -> dict[str, Any]:
    empty_dir = Path(tempfile.mkdtemp(prefix="postbud-scale-empty-"))
    empty_url = None
    if database_url:
        empty_url = await _fresh_pg_database(database_url)
    seed(empty_dir, empty_url)
    try:
        big_start = 10_000_000 + int(time.time()) % 1_000_000 * 10  # numbers no earlier run used
        rounds = []
        for n in range(2):
            empty = await ingest_rate(empty_dir, empty_url, n * count, count)
            big = await ingest_rate(data_dir, database_url, big_start + n * count, count)
            rounds.append({"empty_per_second": round(empty, 1), "at_size_per_second": round(big, 1)})
            print(json.dumps({"ingest round": n + 1, **rounds[-1]}), flush=True)
        ratio = sum(r["at_size_per_second"] for r in rounds) / sum(r["empty_per_second"] for r in rounds)
        return {"letters_per_round": count, "rounds": rounds, "ratio": round(ratio, 3)}
    finally:
        shutil.rmtree(empty_dir, ignore_errors=True)
        if empty_url:
            await _drop_pg_database(empty_url)


async def _fresh_pg_database(url: str) -> str:
    import asyncpg
    from sqlalchemy.engine import make_url

    name = f"postbud_scale_empty_{uuid.uuid4().hex[:8]}"
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return parsed.set(database=name).render_as_string(hide_password=False)


async def _drop_pg_database(url: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await connection.close()


def _tree_rss_mb(pid: int) -> float:
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
            with open(f"/proc/{current}/task/{current}/children") as children:
                pids += [int(c) for c in children.read().split()]
        except (FileNotFoundError, StopIteration):
            continue
    return round(total / 1024, 1)


def measure_startup(data_dir: Path, database_url: str | None) -> dict[str, float]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(Path(sys.executable).with_name("postbud")), "serve", "--data-dir", str(data_dir)]
    command += ["--port", str(port), "--no-seed"]
    if database_url:
        command += ["--database-url", database_url]
    started = time.monotonic()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("postbud serve stopped") from None
                time.sleep(0.05)
        ready = time.monotonic() - started
        time.sleep(2)
        return {"startup_seconds": round(ready, 2), "rss_mb": _tree_rss_mb(server.pid)}
    finally:
        server.terminate()
        server.wait(30)


async def sizes(data_dir: Path, database_url: str | None, runtime) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    blobs = _du_mb(data_dir / "blobs")
    if database_url:
        async with runtime.database.reading() as conn:
            size = (await conn.execute(text("SELECT pg_database_size(current_database())"))).scalar_one()
        database = round(int(size) / 2**20, 1)
    else:
        database = _sqlite_mb(data_dir)
    return {"database_mb": database, "blobs_mb": blobs}


def _sqlite_mb(data_dir: Path) -> float:
    return round(sum(p.stat().st_size for p in data_dir.glob("postbud.db*")) / 2**20, 1)


def _du_mb(path: Path) -> float:
    out = subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True, check=False).stdout
    return float(out.split()[0]) if out else 0.0


async def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(args.data_dir)
    started = time.monotonic()
    runtime = await open_runtime(data_dir, args.database_url)  # migrates to the newest schema
    report: dict[str, Any] = {"migrate_seconds": round(time.monotonic() - started, 1)}
    try:
        report["letters"] = await stored_letters(runtime)
        print(json.dumps(report), flush=True)
        if args.database_url:
            async with runtime.database.transaction() as conn:
                await conn.exec_driver_sql("ANALYZE")
        report["reads"] = await measure_reads(runtime, args.samples, args.only)
        report["sizes"] = await sizes(data_dir, args.database_url, runtime)
    finally:
        await runtime.close()
    if not args.skip_startup:
        report["startup"] = measure_startup(data_dir, args.database_url)
        print(json.dumps(report["startup"]), flush=True)
    if args.ingest:
        report["ingest"] = await measure_ingest(data_dir, args.database_url, args.ingest)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--ingest", type=int, default=5_000, help="letters per ingest round (0: skip)")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--only", help="only the reads whose name holds this text")
    parser.add_argument("--json")
    args = parser.parse_args()
    report = asyncio.run(run(args))
    report["pid"] = os.getpid()
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text)


if __name__ == "__main__":
    main()

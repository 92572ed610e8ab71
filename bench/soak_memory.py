"""Long-running memory: send for minutes through each dialect and watch the server's RSS level off.

One command: ``nice -n 19 .venv/bin/python -m bench.soak_memory --minutes 10`` (see docs/benchmarks.md).

For each dialect (``--dialects digipost,ekopost,altinn``) a fresh data folder (SQLite + local files)
gets its sender (and, for Ekopost and Altinn, what the dialect needs), a webhook subscription to a
receiver in this process (so every event is also delivered by the job workers), and ``postbud serve``
(``--processes`` HTTP processes, ``--job-workers`` workers). Then ``--connections`` keep-alive
connections send for ``--minutes`` minutes, each as fast as the server answers:

- Digipost: signed v8 multipart sends (``bench/pool.py``), each with its own PDF;
- Ekopost: envelopes (create, content, close) into a campaign that is closed every minute, when a new
  one is opened, so the print line runs too;
- Altinn: single-recipient initializes, recipients in turn.

The server's RSS (its process tree) is read before the first send, every ``--sample-seconds`` and at
the end, with the letters acknowledged so far. RSS levels off when, the first minute (warming up)
aside, the second half of the run grew it by at most a quarter of what the first half did, or by at
most 5 MB. Afterwards, with the server stopped, the database must hold at least as many of the
dialect's letters as were acknowledged.

Loopback only; bounded by ``--minutes`` per dialect. Not a test: figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from bench.digipost_send import (
    HOST,
    postbud_cli,
    postbud_serve_command,
    process_tree,
    rss_bytes,
    seeded_data_dir,
    stop_server,
)
from bench.ekopost_ingest import ORGNR, start, window_letter_pdf
from bench.pool import PoolSpec, signed_send
from bench.soak_tracemalloc import compare

MB = 2**20
DIALECTS = ("digipost", "ekopost", "altinn")
ALTINN_API = "/correspondence/api/v1"


@dataclass
class Soak:
    dialect: str
    minutes: float
    samples: list[tuple[float, float, int]] = field(default_factory=list)
    """(seconds since the first send, RSS MB, letters acknowledged by then)."""
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    stored: int = 0
    webhooks_received: int = 0

    @property
    def acknowledged(self) -> int:
        return self.samples[-1][2] if self.samples else 0

    @property
    def levelled(self) -> bool:
        """The first minute (warming up) aside, the second half grew RSS by at most a quarter of
        what the first half did, or by at most 5 MB."""
        warm = min(self.samples, key=lambda s: abs(s[0] - 60))[1]
        middle = min(self.samples, key=lambda s: abs(s[0] - self.samples[-1][0] / 2))[1]
        return self.samples[-1][1] - middle <= max(5.0, 0.25 * (middle - warm))


# --- a keep-alive HTTP/1.1 connection ----------------------------------------------------------


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        assert self.reader is not None
        try:
            self.writer.write(raw)
            await self.writer.drain()
            return await self._response(self.reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            await self.close()
            raise

    @staticmethod
    async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
        status = int((await reader.readline()).split()[1])
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding") == "chunked":
            body = bytearray()
            while size := int((await reader.readline()).strip(), 16):
                body += await reader.readexactly(size)
                await reader.readline()
            await reader.readline()
            return status, bytes(body)
        return status, await reader.readexactly(int(headers.get("content-length", "0")))

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def post(path: str, body: bytes, auth: str, content_type: str = "application/json") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: {auth}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


# --- what one connection sends, per dialect -----------------------------------------------------

Send = Callable[[Connection, int], Awaitable[int]]
"""Sends one letter on a connection; returns how many letters were acknowledged (0 or 1)."""


class Rejected(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def digipost_sender(data_dir: Path, port: int, pdf_bytes: int) -> tuple[Send, str]:
    sender, people = seeded_data_dir(data_dir)
    spec = PoolSpec(
        directory=data_dir,
        broker_id=sender["digipost_id"],
        key_pem=Path(sender["key_file"]).read_bytes(),
        recipients=people,
        host=f"{HOST}:{port}",
    )
    key = serialization.load_pem_private_key(spec.key_pem, password=None)
    assert isinstance(key, RSAPrivateKey)

    async def send(connection: Connection, number: int) -> int:
        status, _ = await connection.request(signed_send(spec, key, number, pdf_bytes=pdf_bytes))
        if status != 201:
            raise Rejected(status)
        return 1

    return send, str(sender["digipost_id"])


class Campaigns:
    """The open Ekopost campaign; every minute a new one is opened and the last one closed (once its
    envelopes in flight are done), so its letters are released to the print line."""

    def __init__(self, port: int, auth: str) -> None:
        self.port, self.auth = port, auth
        self.current = ""
        self.in_flight: Counter[str] = Counter()
        self.closed = 0

    async def call(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        connection = Connection(self.port)
        try:
            status, answer = await connection.request(
                post(f"/ekopost/{path}", json.dumps(body).encode(), self.auth)
            )
        finally:
            await connection.close()
        if status != 200:
            raise RuntimeError(f"POST {path}: {status} {answer[:300]!r}")
        result: dict[str, Any] = json.loads(answer)
        return result

    async def open(self) -> None:
        today = datetime.now(UTC).date().isoformat()
        name = f"Soak {datetime.now(UTC):%H:%M:%S}"
        self.current = (await self.call("campaigns", {"name": name, "output_date": today}))["id"]

    async def rotate(self, stop: asyncio.Event, every: float) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)
            old = self.current
            if not stop.is_set():
                await self.open()
            while self.in_flight[old]:  # noqa: ASYNC110 (a few envelopes finishing; no event needed)
                await asyncio.sleep(0.05)
            await self.call(f"campaigns/{old}/close", {})
            self.closed += 1


def ekopost_sender(data_dir: Path, port: int, pdf_bytes: int) -> tuple[Send, str, Campaigns]:
    added = json.loads(
        postbud_cli(
            "senders", "add", "--name", "Soak AB", "--orgnr", ORGNR, "--data-dir", str(data_dir), "--json"
        )
    )
    auth = f"api-key {added['api_key']}"
    campaigns = Campaigns(port, auth)

    async def send(connection: Connection, number: int) -> int:
        campaign = campaigns.current
        campaigns.in_flight[campaign] += 1
        try:
            base = f"/ekopost/campaigns/{campaign}/envelopes"
            start_envelope = {"name": f"soak-{number}", "postage": "priority", "address": None}
            created = await _ekopost(connection, post(base, json.dumps(start_envelope).encode(), auth))
            envelope = f"{base}/{created['id']}"
            pdf = window_letter_pdf(number, pdf_bytes)
            content = {
                "type": "document",
                "mime": "application/pdf",
                "length": len(pdf),
                "data": base64.b64encode(pdf).decode(),
            }
            await _ekopost(connection, post(f"{envelope}/content", json.dumps(content).encode(), auth))
            await _ekopost(connection, post(f"{envelope}/close", b"{}", auth))
        finally:
            campaigns.in_flight[campaign] -= 1
        return 1

    return send, ORGNR, campaigns


async def _ekopost(connection: Connection, raw: bytes) -> dict[str, Any]:
    status, body = await connection.request(raw)
    if status != 200:
        raise Rejected(status)
    answer: dict[str, Any] = json.loads(body)
    return answer


def altinn_sender(data_dir: Path, port: int, public_url: str) -> tuple[Send, str]:
    from bench.altinn_initialize import OWNER, RESOURCE, organisation_numbers, prepare

    numbers = organisation_numbers(200)
    auth = f"Bearer {prepare(data_dir, public_url, numbers)}"

    async def send(connection: Connection, number: int) -> int:
        body = {
            "correspondence": {
                "resourceId": RESOURCE,
                "sendersReference": f"soak-{number}",
                "content": {
                    "language": "nb",
                    "messageTitle": "Vedtak",
                    "messageSummary": "Kort sammendrag",
                    "messageBody": "Hei, se **vedtaket**.",
                },
            },
            "recipients": [f"0192:{numbers[number % len(numbers)]}"],
            "existingAttachments": [],
        }
        status, _ = await connection.request(
            post(f"{ALTINN_API}/correspondence", json.dumps(body).encode(), auth)
        )
        if status != 200:
            raise Rejected(status)
        return 1

    return send, OWNER


# --- the webhook receiver -----------------------------------------------------------------------


class Receiver:
    """Answers every webhook with 204 and counts them."""

    def __init__(self) -> None:
        self.received = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    break
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                self.received += 1
                writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


# --- one dialect's soak -------------------------------------------------------------------------


async def drive(
    args: argparse.Namespace, soak: Soak, send: Send, server_pid: int, campaigns: Campaigns | None
) -> None:
    receiver = Receiver()
    listener = await asyncio.start_server(receiver.handle, HOST, args.receiver_port)
    stop = asyncio.Event()
    numbers = itertools.count()
    acknowledged = 0
    started = time.monotonic()

    def sample() -> None:
        rss = rss_bytes(process_tree(server_pid)) / MB
        if args.tracemalloc or args.memory_probe:
            os.kill(server_pid, signal.SIGUSR2)  # a snapshot after the RSS reading, not in it
        soak.samples.append((time.monotonic() - started, rss, acknowledged))
        print(
            f"  {soak.samples[-1][0] / 60:5.1f} min  RSS {rss:7.1f} MB  letters {acknowledged:8d}"
            f"  webhooks {receiver.received:8d}",
            flush=True,
        )

    async def connection_loop() -> None:
        nonlocal acknowledged
        connection = Connection(args.port)
        try:
            while not stop.is_set():
                try:
                    done = await send(connection, next(numbers))
                    acknowledged += done  # not `+= await`: that reads the count before the await
                    soak.statuses[200] += 1
                except Rejected as rejected:
                    soak.statuses[rejected.status] += 1
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    soak.errors += 1
                    await asyncio.sleep(0.5)
        finally:
            await connection.close()

    async def sampler() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), args.sample_seconds)
            if not stop.is_set():
                sample()

    if campaigns is not None:
        await campaigns.open()
    sample()
    tasks = [asyncio.create_task(connection_loop()) for _ in range(args.connections)]
    tasks.append(asyncio.create_task(sampler()))
    if campaigns is not None:
        tasks.append(asyncio.create_task(campaigns.rotate(stop, 60.0)))
    await asyncio.sleep(soak.minutes * 60)
    stop.set()
    await asyncio.gather(*tasks)
    sample()
    await asyncio.sleep(args.drain_seconds)  # let the workers deliver what is left, then stop listening
    soak.webhooks_received = receiver.received
    listener.close()
    await listener.wait_closed()


def stored(data_dir: Path, dialect: str) -> int:
    with sqlite3.connect(f"file:{data_dir / 'postbud.db'}?mode=ro", uri=True) as db:
        query = "SELECT count(*) FROM shipments WHERE dialect = ? AND status NOT IN ('draft', 'cancelled')"
        count: int = db.execute(query, (dialect,)).fetchone()[0]
        return count


def _shown(name: str, value: int) -> str:
    return f"{name} {value:,}" if name.startswith("python") else f"{name} {value / MB:.1f} MB"


def soak_one(args: argparse.Namespace, dialect: str, minutes: float) -> Soak:
    work = Path(tempfile.mkdtemp(prefix=f"postbud-soak-{dialect}-", dir=args.work_dir))
    data_dir = work / "data"
    public_url = f"http://{HOST}:{args.port}"
    campaigns = None
    if dialect == "digipost":
        send, sender = digipost_sender(data_dir, args.port, args.pdf_bytes)
    elif dialect == "ekopost":
        send, sender, campaigns = ekopost_sender(data_dir, args.port, args.pdf_bytes)
    else:
        send, sender = altinn_sender(data_dir, args.port, public_url)
    postbud_cli(
        "webhooks", "add", "--sender", sender, "--url", f"http://{HOST}:{args.receiver_port}/hook",
        "--data-dir", str(data_dir),
    )  # fmt: skip
    print(f"{dialect}: {minutes:g} min, {args.connections} connections ({work})", flush=True)
    command = postbud_serve_command(data_dir, args)
    probed = args.tracemalloc or args.memory_probe
    traces = Path(probed) / dialect if probed else None
    if traces is not None:
        command = [sys.executable, "-m", "bench.soak_tracemalloc", str(traces), *command[1:]]
        os.environ["POSTBUD_TRACEMALLOC"] = "1" if args.tracemalloc else "0"
    server = start(command, work / "postbud.log", args.port)
    soak = Soak(dialect, minutes)
    try:
        asyncio.run(drive(args, soak, send, server.pid, campaigns))
    finally:
        stop_server(server)
    soak.stored = stored(data_dir, dialect)
    if traces is not None:
        for line in next(traces.glob("*.jsonl")).read_text().splitlines():
            print(
                "  " + "  ".join(_shown(name, value) for name, value in json.loads(line).items()), flush=True
            )
        snapshots = sorted(traces.glob("*.snap"))
        if len(snapshots) >= 3:  # the one after the first minute against the last
            print(compare(snapshots[1], snapshots[-1]), flush=True)
    start_mb, end_mb = soak.samples[0][1], soak.samples[-1][1]
    print(
        f"  {dialect}: {soak.acknowledged} letters acknowledged, {soak.stored} stored,"
        f" statuses {dict(soak.statuses)}, connection errors {soak.errors},"
        f" webhooks received {soak.webhooks_received}; RSS {start_mb:.0f} → {end_mb:.0f} MB,"
        f" {'levels off' if soak.levelled else 'STILL GROWING'}",
        flush=True,
    )
    if soak.stored < soak.acknowledged:
        raise SystemExit(f"{dialect}: Postbud acknowledged letters it did not store!")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return soak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long each dialect sends")
    parser.add_argument(
        "--dialect-minutes",
        default="",
        help="per-dialect minutes over --minutes, e.g. digipost=10,ekopost=5,altinn=5",
    )
    parser.add_argument("--dialects", default=",".join(DIALECTS))
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--pdf-bytes", type=int, default=4096, help="random padding in each PDF")
    parser.add_argument("--sample-seconds", type=float, default=60.0)
    parser.add_argument("--drain-seconds", type=float, default=5.0)
    parser.add_argument("--processes", type=int, default=1, help="postbud serve --http-workers")
    parser.add_argument("--job-workers", type=int, default=2, help="postbud serve --workers")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--receiver-port", type=int, default=8098)
    parser.add_argument("--work-dir", default=None, help="where the data folders go (default: /tmp)")
    parser.add_argument("--json", default=None, help="also write the samples to this file")
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    parser.add_argument(
        "--tracemalloc",
        default=None,
        metavar="DIR",
        help="run the server with tracemalloc (--processes 1), a snapshot per sample into DIR/<dialect>,"
        " and print what grew (bench/soak_tracemalloc.py); slows the server several times over",
    )
    parser.add_argument(
        "--memory-probe",
        default=None,
        metavar="DIR",
        help="at each sample, where the server's memory is (SQLite, C heap, Python; --processes 1),"
        " into DIR/<dialect> and printed at the end; costs nothing between samples",
    )
    args = parser.parse_args()
    minutes = {name: args.minutes for name in DIALECTS}
    for part in filter(None, args.dialect_minutes.split(",")):
        name, _, value = part.partition("=")
        minutes[name] = float(value)
    soaks = [soak_one(args, name, minutes[name]) for name in args.dialects.split(",")]
    print("\n| dialect | minutes | letters | letters/s | RSS start | RSS at half | RSS end | levels off |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for soak in soaks:
        seconds = soak.samples[-1][0]
        half = min(soak.samples, key=lambda s: abs(s[0] - seconds / 2))[1]
        rate = soak.acknowledged / seconds
        print(
            f"| {soak.dialect} | {seconds / 60:.1f} | {soak.acknowledged:,} | {rate:.0f}"
            f" | {soak.samples[0][1]:.0f} MB | {half:.0f} MB | {soak.samples[-1][1]:.0f} MB"
            f" | {'yes' if soak.levelled else 'NO'} |"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps([{**soak.__dict__, "statuses": dict(soak.statuses)} for soak in soaks], indent=1)
        )
    return 0 if all(soak.levelled for soak in soaks) else 1


if __name__ == "__main__":
    sys.exit(main())

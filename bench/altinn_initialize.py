"""Altinn initialize: one initialize to 500 recipients with a 1 MB shared attachment, and a stream of
single-recipient initializes against the floor, in one run.

One command: ``.venv/bin/python -m bench.altinn_initialize`` (see docs/benchmarks.md).

A fresh data folder (SQLite + local files) gets a service owner, its resource and 500 recipient
organisations with a business inbox, registered in-process before the server starts; the bearer
token comes from the data folder's sandbox issuer (as ``postbud token`` mints it).

(1) Postbud (``postbud serve``): a shared attachment of 1 MB is initialized and uploaded, then one
initialize names all 500 recipients and the attachment; its wall time gives correspondences created
per second (``--big-runs`` times, each a new request).
(2) wrk (bench/altinn.lua) sends single-recipient initializes (recipients in turn) at
``--connections`` for ``--duration`` seconds, first to the floor (bench/altinn_floor.py: verify the
same JWT, parse the same JSON), then to Postbud. Figure: 200s per second, and the ratio.

Afterwards, with Postbud stopped: the database holds a correspondence for every 200 (Altinn letters
≥ the 200s counted plus 500 per big initialize) and the shared attachment's bytes are in the blob
store. The machine's other load during each phase is recorded (it is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.digipost_send import HOST, cpu_seconds, ensure_wrk, postbud_serve_command, stop_server
from bench.ekopost_ingest import Load, start

REPO = Path(__file__).resolve().parent.parent
LUA = REPO / "bench" / "altinn.lua"
API = "/correspondence/api/v1"
MAX_DURATION = 60
OWNER = "974761076"
RESOURCE = "bench-melding"
RECIPIENTS = 500
ATTACHMENT_BYTES = 1024 * 1024


@dataclass
class Stream:
    server: str
    per_s: float = 0.0
    ok: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    other: dict[str, int] = field(default_factory=dict)
    socket_errors: int = 0
    peak_rss_mb: float = 0.0
    server_cpu: float = 0.0
    wrk_cpu: float = 0.0
    other_cpu: float = 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu * 1000 / self.per_s if self.per_s else 0.0


@dataclass
class Big:
    seconds: float
    created: int
    server_cpu: float
    other_cpu: float
    peak_rss_mb: float

    @property
    def per_s(self) -> float:
        return self.created / self.seconds


# --- setting up --------------------------------------------------------------------------


def organisation_numbers(count: int) -> list[str]:
    from postbud.domain.identifiers import generate_organisasjonsnummer

    rng = random.Random(10)
    numbers: list[str] = []
    while len(numbers) < count:
        number = generate_organisasjonsnummer(rng)
        if number not in numbers and number != OWNER:
            numbers.append(number)
    return numbers


def prepare(data_dir: Path, public_url: str, numbers: list[str]) -> str:
    """The owner, its resource and the recipients in a fresh data folder; returns the owner's token."""
    from postbud.bootstrap import build_runtime
    from postbud.config import Settings
    from postbud.dialects.altinn.tokens import mint_organisation_token
    from postbud.domain.identifiers import parse_party_id
    from postbud.domain.parties import Capabilities, Recipient
    from postbud.services.parties.resources import RegisterResource, register_resource
    from postbud.services.parties.senders import RegisterSender, register_sender
    from postbud.services.sandbox.token_issuer import token_issuer

    settings = Settings(data_dir=data_dir, public_url=public_url, workers=0)

    async def run() -> None:
        runtime = await build_runtime(settings)
        try:
            await register_sender(RegisterSender(name="Skatteetaten", organisation_number=OWNER), runtime)
            await register_resource(
                RegisterResource(id=RESOURCE, owner=OWNER, titles={"nb": "Melding"}), runtime
            )
            now = runtime.clock.now()
            async with runtime.unit_of_work() as uow:
                for number in numbers:
                    recipient = Recipient(
                        uuid.uuid4(),
                        parse_party_id(number),
                        f"Org {number}",
                        Capabilities(business_inbox=True),
                    )
                    await uow.recipients.add(recipient, now=now)
        finally:
            await runtime.close()

    asyncio.run(run())
    issuer = token_issuer(data_dir)
    return mint_organisation_token(
        issuer, public_url, OWNER, ["altinn:correspondence.write"], ttl_seconds=3600
    )


def call(port: int, token: str, path: str, body: bytes, content_type: str = "application/json") -> Any:
    request = urllib.request.Request(
        f"http://{HOST}:{port}{API}{path}",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"POST {path}: {error.code} {error.read().decode()}") from None


def shared_attachment(port: int, token: str) -> str:
    attachment_id: str = call(
        port,
        token,
        "/attachment",
        json.dumps({"resourceId": RESOURCE, "fileName": "felles.pdf", "sendersReference": "shared"}).encode(),
    )
    content = b"%PDF-1.4\n" + os.urandom(ATTACHMENT_BYTES - 9)
    call(port, token, f"/attachment/{attachment_id}/upload", content, "application/octet-stream")
    return attachment_id


def big_initialize(
    port: int, token: str, numbers: list[str], attachment_id: str, run: int, server: Any
) -> Big:
    body = {
        "correspondence": {
            "resourceId": RESOURCE,
            "sendersReference": f"bench-big-{run}",
            "content": {"language": "nb", "messageTitle": "Vedtak", "messageBody": "Se **vedlegget**."},
        },
        "recipients": [f"0192:{n}" for n in numbers],
        "existingAttachments": [attachment_id],
    }
    load = Load(server)
    answer = call(port, token, "/correspondence", json.dumps(body).encode())
    seconds, server_cpu, other_cpu, peak = load.finish()
    return Big(seconds, len(answer["correspondences"]), server_cpu, other_cpu, peak)


# --- the stream ----------------------------------------------------------------------------


def stream(
    args: argparse.Namespace, token: str, numbers: list[str], server: subprocess.Popen[bytes], name: str
) -> Stream:
    command = [
        ensure_wrk(),
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(LUA),
        f"http://{HOST}:{args.port}/",
    ]
    env = {
        **os.environ,
        "BENCH_TOKEN": token,
        "BENCH_RECIPIENTS": ",".join(numbers),
        "BENCH_RESOURCE": RESOURCE,
    }
    load = Load(server)
    wrk = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wrk_cpu = 0.0
    while wrk.poll() is None:
        wrk_cpu = cpu_seconds([wrk.pid]) or wrk_cpu
        time.sleep(0.1)
    seconds, server_cpu, other_cpu, peak = load.finish(wrk_cpu)
    output = wrk.stdout.read().decode() if wrk.stdout else ""
    line = next((x for x in output.splitlines() if x.startswith("BENCH ")), None)
    if wrk.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({wrk.returncode}):\n{output}")
    report = json.loads(line.removeprefix("BENCH "))
    statuses = {str(k): v for k, v in report["statuses"].items()}
    ok = statuses.pop("200", 0)
    wrk_seconds = report["duration_us"] / 1e6
    errors = report["errors"]
    result = Stream(
        server=name,
        per_s=ok / wrk_seconds,
        ok=ok,
        seconds=wrk_seconds,
        p50_ms=report["latency_us"]["p50"] / 1000,
        p99_ms=report["latency_us"]["p99"] / 1000,
        other=statuses,
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        peak_rss_mb=peak,
        server_cpu=server_cpu,
        wrk_cpu=wrk_cpu / seconds,
        other_cpu=other_cpu,
    )
    print(
        f"  {name}: {ok} initializes answered 200 in {wrk_seconds:.1f} s = {result.per_s:.0f}/s,"
        f" p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms,"
        f" {result.cpu_ms_per_request:.1f} CPU ms each,"
        f" peak RSS {peak:.0f} MB, server {server_cpu:.2f} cores, wrk {result.wrk_cpu:.2f},"
        f" other load {other_cpu:.2f} cores, other statuses {statuses or 'none'},"
        f" socket errors {result.socket_errors}",
        flush=True,
    )
    return result


# --- checking ------------------------------------------------------------------------------


def stored(data_dir: Path) -> tuple[int, bool]:
    """Altinn letters in the database, and whether every stand-alone attachment's bytes are stored."""
    from postbud.storage.blobs import open_blob_store

    with sqlite3.connect(data_dir / "postbud.db") as db:
        letters = db.execute("SELECT count(*) FROM shipments WHERE dialect = 'altinn'").fetchone()[0]
        hashes = [r[0] for r in db.execute("SELECT sha256 FROM attachments WHERE sha256 IS NOT NULL")]

    async def present() -> bool:
        store = open_blob_store(str(data_dir / "blobs"))
        try:
            return all(await asyncio.gather(*(store.exists(h) for h in hashes))) and bool(hashes)
        finally:
            await store.close()

    return int(letters), asyncio.run(present())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk per server (at most 60)")
    parser.add_argument("--big-runs", type=int, default=3, help="500-recipient initializes to time")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--processes", type=int, default=2, help="HTTP processes, the same for both servers")
    parser.add_argument("--job-workers", type=int, default=2, help="postbud serve --workers")
    parser.add_argument("--port", type=int, default=8093)
    parser.add_argument("--work-dir", default=None)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and logs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration must be 1..{MAX_DURATION} seconds")
    ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="postbud-altinn-bench-", dir=args.work_dir))
    data_dir = work / "data"
    public_url = f"http://{HOST}:{args.port}"
    numbers = organisation_numbers(RECIPIENTS)
    token = prepare(data_dir, public_url, numbers)
    try:
        floor = None
        if not args.skip_floor:
            command = [
                sys.executable,
                "-m",
                "bench.altinn_floor",
                "--data-dir",
                str(data_dir),
                "--public-url",
                public_url,
                "--port",
                str(args.port),
                "--processes",
                str(args.processes),
            ]
            server = start(command, work / "floor.log", args.port)
            try:
                floor = stream(args, token, numbers, server, "floor")
            finally:
                stop_server(server)
        command = postbud_serve_command(data_dir, args)
        server = start(command, work / "postbud.log", args.port)
        bigs: list[Big] = []
        try:
            attachment_id = shared_attachment(args.port, token)
            for run in range(1, args.big_runs + 1):
                big = big_initialize(args.port, token, numbers, attachment_id, run, server)
                bigs.append(big)
                print(
                    f"  500 recipients + 1 MB shared attachment: {big.created} correspondences in"
                    f" {big.seconds:.2f} s = {big.per_s:.0f}/s, server {big.server_cpu:.2f} cores,"
                    f" other load {big.other_cpu:.2f} cores, peak RSS {big.peak_rss_mb:.0f} MB",
                    flush=True,
                )
            postbud = stream(args, token, numbers, server, "postbud")
        finally:
            stop_server(server)
        letters, attachment_ok = stored(data_dir)
        expected = postbud.ok + sum(b.created for b in bigs)
        print(
            f"  verified: {letters} Altinn correspondences stored (200s answered: {expected}),"
            f" shared attachment {'stored' if attachment_ok else 'MISSING'}"
        )
        if floor is not None and floor.per_s:
            print(f"ratio: {postbud.per_s / floor.per_s:.2f} x the floor (single-recipient initializes/s)")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "floor": floor and floor.__dict__,
                        "postbud": postbud.__dict__,
                        "big": [b.__dict__ | {"per_s": b.per_s} for b in bigs],
                        "stored": letters,
                        "answered": expected,
                    },
                    indent=2,
                )
            )
        if letters < expected or not attachment_ok:
            print("Postbud answered 200 for correspondences it did not store!", file=sys.stderr)
            return 1
        return 0
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

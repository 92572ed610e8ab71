"""Ekopost ingest and print: Postbud against the ingest floor, then a closed campaign to print-ready.

One command: ``.venv/bin/python -m bench.ekopost_ingest --envelopes 2000`` (see docs/benchmarks.md).

(a) Ingest. A pool of ``--envelopes`` content bodies (each a distinct ~50 KB one-page PDF with the
recipient's address in the envelope window, base64 in the JSON) is built in /dev/shm; wrk
(bench/ekopost.lua) walks create → content → close for each envelope at ``--connections``, first
against the floor (bench/ekopost_floor.py), then against Postbud (SQLite + local files, a fresh data
folder, a Swedish customer) in one campaign made first. wrk is stopped when every envelope is done,
or after ``--duration`` seconds. Figure: envelopes closed per second.

(b) Print. The campaign (output date today, so released at once) is closed, and the database is
polled until every closed envelope is print-ready (its SENT_TO_PRINT event names a print PDF) or
``--print-timeout`` passes; peak RSS of the server is sampled meanwhile. ``--ingest-rounds R`` runs wrk
R times (each at most ``--duration`` s) into the campaign first, each going on where the last stopped,
for a larger N in (b) with short runs.

Afterwards, with Postbud stopped: every envelope wrk saw closed is stored, not a draft, with its
document in the blob store, and every print PDF is in the blob store. The machine's other load
during each phase is recorded (it is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.digipost_send import (
    HOST,
    Sampler,
    cpu_seconds,
    ensure_wrk,
    machine_busy_seconds,
    postbud_cli,
    postbud_serve_command,
    process_tree,
    stop_server,
)
from bench.server import start
from postbud.testing.pdf import pdf_file

REPO = Path(__file__).resolve().parent.parent
LUA = REPO / "bench" / "ekopost.lua"
MAX_DURATION = 60
PDF_PADDING = 50 * 1024
ORGNR = "556838-4118"
WINDOW = ("Tolvan Tolvansson", "Storgatan 1", "123 45 Stockholm")


# --- the pool ------------------------------------------------------------------------------


def window_letter_pdf(number: int, padding_bytes: int) -> bytes:
    """A one-page A4 PDF with the address in Ekopost's window (x 112–207 mm, y 35–71 mm from the
    top-left) and an unreferenced stream of random bytes that makes it unique."""
    rows = " ".join(f"({line}) Tj 0 -17 Td" for line in WINDOW)
    text = f"BT /F1 10 Tf 326 722 Td {rows} ET BT /F1 12 Tf 72 500 Td (Letter {number}) Tj ET".encode()
    filler = os.urandom(padding_bytes)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(filler), filler),
    ]
    return pdf_file(objects, header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")


def _build_slice(directory: Path, slice_number: int, count: int) -> int:
    """Content bodies of one wrk thread; each PDF's length is unique in the slice (the script
    finds an envelope by the length a content answer echoes)."""
    lengths: set[int] = set()
    offset = 0
    with (
        (directory / f"slice-{slice_number}.bin").open("wb") as out,
        (directory / f"slice-{slice_number}.idx").open("w") as index,
    ):
        for number in range(1, count + 1):
            pdf = window_letter_pdf(number, PDF_PADDING + 4 * number)
            if len(pdf) in lengths:
                raise RuntimeError("two PDFs of one slice have the same length")
            lengths.add(len(pdf))
            body = json.dumps(
                {
                    "type": "document",
                    "mime": "application/pdf",
                    "length": len(pdf),
                    "data": base64.b64encode(pdf).decode(),
                }
            ).encode()
            out.write(body)
            index.write(f"{offset} {len(body)} {len(pdf)}\n")
            offset += len(body)
    return offset


def build_pool(directory: Path, envelopes: int, slices: int) -> int:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    per_slice = -(-envelopes // slices)
    with ProcessPoolExecutor(slices) as pool:
        futures = [pool.submit(_build_slice, directory, index, per_slice) for index in range(slices)]
        return sum(future.result() for future in futures)


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Ingest:
    server: str
    envelopes_per_s: float = 0.0
    closed: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)
    socket_errors: int = 0
    finished: bool = False
    peak_rss_mb: float = 0.0
    server_cpu: float = 0.0
    wrk_cpu: float = 0.0
    other_cpu: float = 0.0
    next_envelopes: list[int] = field(default_factory=list)
    """Where each wrk thread's walk of the pool would go on."""

    @property
    def cpu_ms_per_envelope(self) -> float:
        return self.server_cpu * 1000 / self.envelopes_per_s if self.envelopes_per_s else 0.0


@dataclass
class Printing:
    envelopes: int = 0
    print_ready: int = 0
    print_failed: int = 0
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    server_cpu: float = 0.0
    other_cpu: float = 0.0
    pdfs_ok: bool | None = None


class Load:
    """The server's and the rest of the machine's CPU over an interval, and the server's peak RSS."""

    def __init__(self, server: subprocess.Popen[bytes]) -> None:
        self.pid = server.pid
        self.started = time.monotonic()
        self.server_cpu = cpu_seconds(process_tree(self.pid))
        self.busy = machine_busy_seconds()
        self.sampler = Sampler(self.pid)
        self.sampler.start()

    def finish(self, also_ours: float = 0.0) -> tuple[float, float, float, float]:
        """(seconds, server cores, other cores, peak RSS MB); ``also_ours`` = CPU s of wrk."""
        seconds = time.monotonic() - self.started
        server = cpu_seconds(process_tree(self.pid)) - self.server_cpu
        busy = machine_busy_seconds() - self.busy
        peak = self.sampler.stop()
        other = max(0.0, busy - server - also_ours)
        return seconds, server / seconds, other / seconds, peak / 2**20


def run_wrk(
    args: argparse.Namespace,
    pool: Path,
    campaign: str,
    api_key: str,
    server: subprocess.Popen[bytes],
    *,
    duration: int,
    loop: bool = False,
    starts: list[int] | None = None,
) -> Ingest:
    for marker in pool.glob("done-*"):
        marker.unlink()
    command = [
        ensure_wrk(),
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(LUA),
        f"http://{HOST}:{args.port}/",
    ]
    env = {
        **os.environ,
        "BENCH_POOL": str(pool),
        "BENCH_CAMPAIGN": campaign,
        "BENCH_AUTH": f"api-key {api_key}",
        "BENCH_HOST": f"{HOST}:{args.port}",
        "BENCH_LOOP": "1" if loop else "0",
        "BENCH_START": ",".join(str(n) for n in starts or []),
    }
    load = Load(server)
    wrk = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    wrk_cpu = 0.0
    interrupted = False
    while wrk.poll() is None:
        wrk_cpu = cpu_seconds([wrk.pid]) or wrk_cpu
        if not interrupted and len(list(pool.glob("done-*"))) == args.threads:
            wrk.send_signal(signal.SIGINT)  # every envelope done: wrk prints its summary and exits
            interrupted = True
        time.sleep(0.05)
    seconds, server_cpu, other_cpu, peak = load.finish(wrk_cpu)
    output = wrk.stdout.read().decode() if wrk.stdout else ""
    line = next((x for x in output.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed ({wrk.returncode}):\n{output}")
    report = json.loads(line.removeprefix("BENCH "))
    wrk_seconds = report["duration_us"] / 1e6
    errors = report["errors"]
    return Ingest(
        server="",
        envelopes_per_s=report["closed"] / wrk_seconds,
        closed=report["closed"],
        seconds=wrk_seconds,
        p50_ms=report["latency_us"]["p50"] / 1000,
        p99_ms=report["latency_us"]["p99"] / 1000,
        failures={str(k): v for k, v in sorted(report["failures"].items())},
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        finished=report["finished_threads"] == args.threads,
        peak_rss_mb=peak,
        server_cpu=server_cpu,
        wrk_cpu=wrk_cpu / seconds,
        other_cpu=other_cpu,
        next_envelopes=list(report["next"]),
    )


def call(port: int, api_key: str, path: str, body: dict[str, Any] | None, method: str = "POST") -> Any:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/ekopost/{path}",
        data=None if method == "GET" else json.dumps(body or {}).encode(),
        headers={"Authorization": f"api-key {api_key}", "Content-Type": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise Refused(method, path, error.code, error.read().decode()) from None


class Refused(RuntimeError):
    """An Ekopost request answered with an error: its status and its ``error_code``, if any."""

    def __init__(self, method: str, path: str, status: int, body: str) -> None:
        super().__init__(f"{method} {path}: {status} {body}")
        self.status = status
        try:
            self.error_code = str(json.loads(body).get("error_code"))
        except (ValueError, AttributeError):
            self.error_code = None


def cancel_opened(port: int, api_key: str, campaign: str) -> int:
    """Cancel the envelopes of the campaign wrk left opened; how many were still opened. One whose
    close was still in flight may be closed by the time its cancel arrives, which is then refused:
    the next look shows how it ended."""
    opened = 0
    for envelope in call(port, api_key, f"campaigns/{campaign}/envelopes", None, method="GET"):
        if envelope["state"] == "opened":
            opened += 1
            with contextlib.suppress(Refused):
                call(port, api_key, f"campaigns/{campaign}/envelopes/{envelope['id']}/cancel", {})
    return opened


def close_campaign(port: int, api_key: str, campaign: str, *, rounds: int = 10) -> None:
    """Close the campaign once no envelope of it is opened. A request wrk sent before it stopped may
    still be in the server: an envelope closed or created after the list was read. The close then
    answers 102 (envelopes still opened), and the cleanup looks again."""
    for _ in range(rounds):
        try:
            call(port, api_key, f"campaigns/{campaign}/close", {})
            return
        except Refused as refused:
            if refused.error_code != "102":
                raise
        time.sleep(1)
        cancel_opened(port, api_key, campaign)
    raise RuntimeError(f"campaign {campaign}: envelopes still opened after {rounds} cleanups")


# --- the database --------------------------------------------------------------------------

IN_CAMPAIGN = "SELECT s.id FROM shipments s JOIN batches b ON s.batch_id = b.id WHERE b.external_id = ?"
CLOSED = (
    f"SELECT count(*) FROM shipments WHERE id IN ({IN_CAMPAIGN}) AND status NOT IN ('draft', 'cancelled')"
)


def print_progress(database: Path, campaign: str) -> tuple[int, int]:
    """(envelopes print-ready, envelopes whose print failed) of the campaign."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        ready, failed = db.execute(
            "SELECT count(DISTINCT CASE WHEN type = 'sent_to_print' THEN shipment_id END),"
            " count(DISTINCT CASE WHEN type = 'print_failed' THEN shipment_id END)"
            f" FROM events WHERE shipment_id IN ({IN_CAMPAIGN})",
            (campaign,),
        ).fetchone()
    return int(ready), int(failed)


def blobs_present(data_dir: Path, hashes: list[str]) -> bool:
    from postbud.storage.blobs import open_blob_store

    async def check() -> bool:
        store = open_blob_store(str(data_dir / "blobs"))
        try:
            for first in range(0, len(hashes), 256):
                chunk = hashes[first : first + 256]
                if not all(await asyncio.gather(*(store.exists(h) for h in chunk))):
                    return False
            return True
        finally:
            await store.close()

    return asyncio.run(check())


def closed_count(data_dir: Path, campaign: str) -> int:
    """Envelopes of the campaign that are closed (stored, neither draft nor cancelled)."""
    with sqlite3.connect(f"file:{data_dir / 'postbud.db'}?mode=ro", uri=True) as db:
        found = db.execute(CLOSED, (campaign,)).fetchone()[0]
    return int(found)


def verify(data_dir: Path, campaign: str) -> tuple[int, int, bool, bool]:
    """(envelopes stored and closed, closed ones without a document, whether every document and every
    print PDF is in the blob store)."""
    closed = closed_count(data_dir, campaign)
    with sqlite3.connect(data_dir / "postbud.db") as db:
        bare = db.execute(
            f"SELECT count(*) FROM shipments s WHERE s.id IN ({IN_CAMPAIGN})"
            " AND s.status NOT IN ('draft', 'cancelled')"
            " AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.shipment_id = s.id)",
            (campaign,),
        ).fetchone()[0]
        documents = [
            r[0]
            for r in db.execute(
                f"SELECT sha256 FROM documents WHERE shipment_id IN ({IN_CAMPAIGN})", (campaign,)
            )
        ]
        pdfs = [
            r[0]
            for r in db.execute(
                "SELECT json_extract(data, '$.print_pdf') FROM events WHERE type = 'sent_to_print'"
                f" AND shipment_id IN ({IN_CAMPAIGN})",
                (campaign,),
            )
        ]
    return closed, bare, blobs_present(data_dir, documents), blobs_present(data_dir, pdfs)


# --- one run -------------------------------------------------------------------------------


def floor_run(args: argparse.Namespace, pool: Path, work: Path) -> Ingest:
    command = [
        sys.executable,
        "-m",
        "bench.ekopost_floor",
        "--port",
        str(args.port),
        "--processes",
        str(args.processes),
    ]
    server = start(command, work / "floor.log", args.port)
    try:
        result = run_wrk(
            args, pool, "floor-campaign", "floor-key", server, duration=args.floor_duration, loop=True
        )
    finally:
        stop_server(server)
    result.server = "floor"
    return result


def postbud_run(args: argparse.Namespace, pool: Path, work: Path) -> tuple[Ingest, Printing]:
    data_dir = work / "data"
    added = json.loads(
        postbud_cli(
            "senders", "add", "--name", "Bench AB", "--orgnr", ORGNR, "--data-dir", str(data_dir), "--json"
        )
    )
    api_key = added["api_key"]
    command = postbud_serve_command(data_dir, args)
    server = start(command, work / "postbud.log", args.port)
    printing = Printing()
    try:
        today = datetime.now(UTC).date().isoformat()
        campaign = call(args.port, api_key, "campaigns", {"name": "Bench", "output_date": today})["id"]
        ingest = run_wrk(args, pool, campaign, api_key, server, duration=args.duration)
        print(_ingest_line(ingest), flush=True)
        closed_by_wrk = ingest.closed
        more, starts = ingest, ingest.next_envelopes
        for _ in range(args.ingest_rounds - 1):  # more of the pool into the campaign, for (b)
            if more.finished:
                break
            more = run_wrk(args, pool, campaign, api_key, server, duration=args.duration, starts=starts)
            print(_ingest_line(more), flush=True)
            closed_by_wrk += more.closed
            starts = more.next_envelopes
        # Envelopes wrk left half-made when its time ran out are cancelled, so the campaign can close
        # (after the requests still in the server when wrk stopped have finished).
        time.sleep(3)
        cancel_opened(args.port, api_key, campaign)
        load = Load(server)
        close_campaign(args.port, api_key, campaign)
        printing.envelopes = closed_count(data_dir, campaign)
        deadline = time.monotonic() + args.print_timeout
        while time.monotonic() < deadline:
            printing.print_ready, printing.print_failed = print_progress(data_dir / "postbud.db", campaign)
            if printing.print_ready + printing.print_failed >= printing.envelopes:
                break
            time.sleep(0.25)
        printing.seconds, printing.server_cpu, printing.other_cpu, printing.peak_rss_mb = load.finish()
    finally:
        stop_server(server)
    ingest.server = "postbud"
    stored, bare, documents_ok, pdfs_ok = verify(data_dir, campaign)
    printing.pdfs_ok = pdfs_ok
    print(
        f"  verified: {stored} envelopes stored closed (wrk saw {closed_by_wrk} closed), {bare} without a"
        f" document, documents {'all present' if documents_ok else 'MISSING'},"
        f" print PDFs {'all present' if pdfs_ok else 'MISSING'}",
        flush=True,
    )
    if stored < closed_by_wrk or bare or not documents_ok or not pdfs_ok:
        raise SystemExit("Postbud acknowledged envelopes it did not store!")
    return ingest, printing


def _ingest_line(result: Ingest) -> str:
    how = "all envelopes done" if result.finished else "stopped at --duration"
    return (
        f"  {result.server or 'postbud'}: {result.closed} envelopes closed in {result.seconds:.1f} s ({how}):"
        f" {result.envelopes_per_s:.0f}/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms,"
        f" {result.cpu_ms_per_envelope:.1f} CPU ms/envelope, peak RSS {result.peak_rss_mb:.0f} MB,"
        f" server {result.server_cpu:.2f} cores, wrk {result.wrk_cpu:.2f}, other load {result.other_cpu:.2f}"
        f" cores, failures {result.failures or 'none'}, socket errors {result.socket_errors}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--envelopes", type=int, default=2000, help="envelopes in the pool (and the campaign)"
    )
    parser.add_argument(
        "--duration", type=int, default=20, help="at most this many seconds of wrk per server"
    )
    parser.add_argument(
        "--ingest-rounds",
        type=int,
        default=1,
        help="runs of wrk (each --duration s) filling the campaign for (b); the ingest figure is the first's",
    )
    parser.add_argument("--floor-duration", type=int, default=10, help="seconds of wrk against the floor")
    parser.add_argument("--print-timeout", type=int, default=300, help="seconds to wait for print-ready")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--processes", type=int, default=2, help="HTTP processes, the same for both servers")
    parser.add_argument("--job-workers", type=int, default=2, help="postbud serve --workers")
    parser.add_argument("--port", type=int, default=8092)
    parser.add_argument("--pool-dir", default="/dev/shm")
    parser.add_argument("--work-dir", default=None)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and logs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not 1 <= args.duration <= MAX_DURATION or not 1 <= args.floor_duration <= MAX_DURATION:
        parser.error(f"--duration must be 1..{MAX_DURATION} seconds")
    ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="postbud-ekopost-bench-", dir=args.work_dir))
    pool = Path(args.pool_dir) / f"ekopost-pool-{os.getpid()}"
    started = time.monotonic()
    size = build_pool(pool, args.envelopes, args.threads)
    print(
        f"pool: {args.envelopes} envelopes, {size / 2**20:.0f} MiB of content bodies,"
        f" built in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    try:
        floor = None
        if not args.skip_floor:
            floor = floor_run(args, pool, work)
            print(_ingest_line(floor), flush=True)
        postbud, printing = postbud_run(args, pool, work)
    finally:
        shutil.rmtree(pool, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if floor is not None and floor.envelopes_per_s:
        print(f"ratio: {postbud.envelopes_per_s / floor.envelopes_per_s:.2f} x the floor (envelopes/s)")
    rate = printing.print_ready / printing.seconds if printing.seconds else 0.0
    print(
        f"print: {printing.print_ready} of {printing.envelopes} envelopes print-ready"
        f" ({printing.print_failed} failed) in {printing.seconds:.1f} s = {rate:.0f}/s,"
        f" peak RSS {printing.peak_rss_mb:.0f} MB, server {printing.server_cpu:.2f} cores,"
        f" other load {printing.other_cpu:.2f} cores"
    )
    if args.keep:
        print(f"kept {work}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"floor": floor and floor.__dict__, "postbud": postbud.__dict__, "print": printing.__dict__},
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

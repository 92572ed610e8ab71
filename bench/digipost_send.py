"""Digipost send throughput: Postbud against the protocol floor, under the same load.

One command: ``.venv/bin/python -m bench.digipost_send`` (see docs/benchmarks.md). For each run it
builds a fresh pool of signed sends (each with its own ~100 KB PDF), then for each server — the
floor (bench/floor_app.py) and Postbud on the embedded default (SQLite + local files, in a fresh,
seeded data folder) — starts it with the same number of HTTP processes, drives it with wrk from
outside Python (bench/send.lua serves each pre-built request once), samples the server's RSS and
CPU and wrk's CPU, and stops it. Afterwards it checks that Postbud stored every message it
acknowledged with 201. Loopback only; every run is bounded by ``--duration`` (at most 60 s).

wrk comes from Debian's packages: when it is missing, this script runs
``apt-get install -y wrk`` (after ``apt-get update``) once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.pool import PoolSpec, build_pool

REPO = Path(__file__).resolve().parent.parent
LUA = REPO / "bench" / "send.lua"
HOST = "127.0.0.1"
MAX_DURATION = 60
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    server: str
    processes: int
    msgs_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    created: int = 0
    other: dict[str, int] = field(default_factory=dict)
    socket_errors: int = 0
    peak_rss_mb: float = 0.0
    server_cpu: float = 0.0
    """Cores the server used on average during the run."""
    wrk_cpu: float = 0.0
    other_cpu: float = 0.0
    """Cores used by everything else on the machine: other work competing for the same CPUs."""
    seconds: float = 0.0
    exhausted: bool = False
    stored: int | None = None
    blobs_ok: bool | None = None

    @property
    def cpu_ms_per_msg(self) -> float:
        """Server CPU time per acknowledged message: unlike msg/s, hardly moved by other load."""
        return self.server_cpu * 1000 / self.msgs_per_s if self.msgs_per_s else 0.0


# --- processes -----------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def process_tree(pid: int) -> list[int]:
    tree = _children()
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(tree.get(current, []))
    return found


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def machine_busy_seconds() -> float:
    """CPU time spent by the whole machine, all cores, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / TICKS


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


class Sampler(threading.Thread):
    """Peak RSS of a process tree, sampled every 0.25 s until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.25):
            self.peak = max(self.peak, rss_bytes(process_tree(self.pid)))

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer /healthz in time")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        for pid in reversed(process_tree(process.pid)):
            os.kill(pid, signal.SIGKILL)
        process.wait()


# --- wrk -----------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it from Debian's packages (apt-get install -y wrk)", flush=True)
    subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is still missing after apt-get install")
    return found


def run_wrk(args: argparse.Namespace, pool: Path, server: subprocess.Popen[bytes], log: Path) -> dict:
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
        f"http://{HOST}:{args.port}/digipost/messages",
    ]
    server_cpu = cpu_seconds(process_tree(server.pid))
    busy = machine_busy_seconds()
    sampler = Sampler(server.pid)
    sampler.start()
    started = time.monotonic()
    wrk = subprocess.Popen(
        command, env={**os.environ, "BENCH_POOL": str(pool)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    wrk_cpu = 0.0
    while wrk.poll() is None:  # wrk's own CPU, read before it exits
        wrk_cpu = cpu_seconds([wrk.pid]) or wrk_cpu
        time.sleep(0.1)
    elapsed = time.monotonic() - started
    output = wrk.stdout.read().decode() if wrk.stdout else ""
    server_cpu = cpu_seconds(process_tree(server.pid)) - server_cpu
    busy = machine_busy_seconds() - busy
    peak = sampler.stop()
    log.write_text(output)
    line = next((x for x in output.splitlines() if x.startswith("BENCH ")), None)
    if wrk.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({wrk.returncode}):\n{output}")
    report = json.loads(line.removeprefix("BENCH "))
    report["peak_rss"] = peak
    report["server_cpu"] = server_cpu / elapsed
    report["wrk_cpu"] = wrk_cpu / elapsed
    report["other_cpu"] = max(0.0, busy - server_cpu - wrk_cpu) / elapsed
    return report


def result_of(server: str, processes: int, report: dict) -> Result:
    seconds = report["duration_us"] / 1e6
    statuses = {int(k): v for k, v in report["statuses"].items()}
    created = statuses.pop(201, 0)
    errors = report["errors"]
    return Result(
        server=server,
        processes=processes,
        msgs_per_s=created / seconds,
        p50_ms=report["latency_us"]["p50"] / 1000,
        p99_ms=report["latency_us"]["p99"] / 1000,
        created=created,
        other={str(k): v for k, v in sorted(statuses.items())},
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        peak_rss_mb=report["peak_rss"] / 2**20,
        server_cpu=report["server_cpu"],
        wrk_cpu=report["wrk_cpu"],
        other_cpu=report["other_cpu"],
        seconds=seconds,
        exhausted=report["exhausted"] > 0,
    )


# --- Postbud's data folder -----------------------------------------------------------------


def postbud_cli(*args: str) -> str:
    command = [str(Path(sys.executable).parent / "postbud"), *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def postbud_serve_command(data_dir: Path, args: argparse.Namespace) -> list[str]:
    """`postbud serve` on a prepared data folder, as every benchmark runs it against its floor."""
    return [
        str(Path(sys.executable).parent / "postbud"),
        "serve",
        "--data-dir",
        str(data_dir),
        "--port",
        str(args.port),
        "--http-workers",
        str(args.processes),
        "--workers",
        str(args.job_workers),
        "--no-seed",
    ]


def seeded_data_dir(directory: Path) -> tuple[dict, tuple[str, ...]]:
    sender = json.loads(postbud_cli("seed", "--data-dir", str(directory), "--json"))["sandbox_sender"]
    listing = json.loads(
        postbud_cli("recipients", "list", "--data-dir", str(directory), "--json", "--limit", "10000")
    )
    people = tuple(
        r["identifier"]
        for r in listing["items"]
        if r["kind"] == "person" and r["digital_mailbox"] and not r["reserved"]
    )
    return sender, people


def stored_letters(data_dir: Path) -> tuple[int, bool]:
    """Shipments in the database, and whether every document's blob is in the blob store."""
    from postbud.storage.blobs import open_blob_store

    with sqlite3.connect(data_dir / "postbud.db") as db:
        shipments = db.execute("SELECT count(*) FROM shipments WHERE dialect = 'digipost'").fetchone()[0]
        documents = [row[0] for row in db.execute("SELECT sha256 FROM documents")]

    async def all_present() -> bool:
        store = open_blob_store(str(data_dir / "blobs"))
        try:
            for start in range(0, len(documents), 256):
                chunk = documents[start : start + 256]
                if not all(await asyncio.gather(*(store.exists(d) for d in chunk))):
                    return False
            return True
        finally:
            await store.close()

    return shipments, asyncio.run(all_present())


# --- one run -------------------------------------------------------------------------------


def build(args: argparse.Namespace, spec: PoolSpec, rate: float) -> None:
    total = int(rate * args.duration)
    started = time.monotonic()
    size = build_pool(spec, total, args.threads, processes=os.cpu_count() or 2)
    took = time.monotonic() - started
    print(f"  pool: {total} requests, {size / 2**30:.1f} GiB, built in {took:.0f} s", flush=True)


def run_server(
    args: argparse.Namespace, name: str, command: list[str], spec: PoolSpec, rate: float, work: Path
) -> Result:
    print(f"{name}:", flush=True)
    build(args, spec, rate)
    log = work / f"{name}.log"
    with log.open("wb") as server_log:
        server = subprocess.Popen(command, cwd=REPO, stdout=server_log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(args.port, server)
        report = run_wrk(args, spec.directory, server, work / f"{name}-wrk.txt")
    finally:
        stop_server(server)
        shutil.rmtree(spec.directory, ignore_errors=True)
    result = result_of(name, args.processes, report)
    print(
        f"  {result.msgs_per_s:.0f} msg/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms,"
        f" {result.cpu_ms_per_msg:.2f} CPU ms/msg, other load {result.other_cpu:.2f} cores",
        flush=True,
    )
    return result


def one_run(args: argparse.Namespace, number: int) -> tuple[Result | None, Result]:
    work = Path(tempfile.mkdtemp(prefix=f"postbud-bench-{number}-", dir=args.work_dir))
    data_dir = work / "data"
    sender, people = seeded_data_dir(data_dir)
    spec = PoolSpec(
        directory=Path(args.pool_dir) / f"pool-{os.getpid()}-{number}",
        broker_id=sender["digipost_id"],
        key_pem=Path(sender["key_file"]).read_bytes(),
        recipients=people,
        host=f"{HOST}:{args.port}",
    )
    floor = None
    if not args.skip_floor:
        floor_command = [
            sys.executable,
            "-m",
            "bench.floor_app",
            "--certificate",
            sender["certificate_file"],
            "--broker-id",
            str(sender["digipost_id"]),
            "--port",
            str(args.port),
            "--processes",
            str(args.processes),
        ]
        floor = run_server(args, "floor", floor_command, spec, args.pool_rate, work)
    postbud_command = postbud_serve_command(data_dir, args)
    # Postbud does strictly more than the floor: a pool a little larger than the floor's rate lasts.
    rate = args.pool_rate if floor is None else min(args.pool_rate, floor.msgs_per_s * 1.15 + 100)
    postbud = run_server(args, "postbud", postbud_command, spec, rate, work)
    postbud.stored, postbud.blobs_ok = stored_letters(data_dir)
    if args.keep:
        print(f"  kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return floor, postbud


# --- report --------------------------------------------------------------------------------


def table(rows: list[tuple[int, Result | None, Result]]) -> str:
    header = (
        "run  server   procs   msg/s  p50 ms  p99 ms  peak RSS MB  server CPU  CPU ms/msg  wrk CPU"
        "  other CPU      201  other  ratio  stored"
    )
    lines = [header, "-" * len(header)]
    for number, floor, postbud in rows:
        for result in (floor, postbud):
            if result is None:
                continue
            ratio = ""
            if result is postbud and floor is not None and floor.msgs_per_s:
                ratio = f"{postbud.msgs_per_s / floor.msgs_per_s:.2f}"
            stored = ""
            if result.stored is not None:
                stored = f"{result.stored}" + ("" if result.blobs_ok else " BLOBS MISSING")
            other = sum(result.other.values()) + result.socket_errors
            flag = " POOL EXHAUSTED" if result.exhausted else ""
            lines.append(
                f"{number:>3}  {result.server:<8} {result.processes:>5} {result.msgs_per_s:>7.0f}"
                f" {result.p50_ms:>7.1f} {result.p99_ms:>7.1f} {result.peak_rss_mb:>12.0f}"
                f" {result.server_cpu:>11.2f} {result.cpu_ms_per_msg:>11.2f} {result.wrk_cpu:>8.2f}"
                f" {result.other_cpu:>10.2f} {result.created:>8} {other:>6}"
                f" {ratio:>6}  {stored}{flag}"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per server (at most 60)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--processes", type=int, default=2, help="HTTP processes, the same for both servers")
    parser.add_argument("--job-workers", type=int, default=2, help="postbud serve --workers")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument(
        "--pool-rate", type=float, default=3500, help="requests per second of duration to pre-build"
    )
    parser.add_argument("--pool-dir", default="/dev/shm", help="where the request pool is built (RAM)")
    parser.add_argument("--work-dir", default=None, help="where data folders and logs go (default: /tmp)")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep data folders and logs")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not 1 <= args.duration <= MAX_DURATION:
        parser.error(f"--duration must be 1..{MAX_DURATION} seconds")
    ensure_wrk()
    rows = []
    for number in range(1, args.runs + 1):
        floor, postbud = one_run(args, number)
        rows.append((number, floor, postbud))
    print()
    print(table(rows))
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"run": n, "floor": f and f.__dict__, "postbud": p.__dict__} for n, f, p in rows], indent=2
            )
        )
    failed = [p for _, _, p in rows if p.stored is None or p.stored < p.created or not p.blobs_ok]
    if failed:
        print("\nPostbud acknowledged letters it did not store!", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

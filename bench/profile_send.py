"""Where a send's CPU goes: Postbud's ASGI app driven in-process, without HTTP or wrk.

``.venv/bin/python -m bench.profile_send [--count N] [--concurrency C] [--profile out.prof]``

Builds ``count`` signed v8 sends (bench/pool.py), seeds a fresh data folder, starts the app's
lifespan (group-commit writer, job workers) and feeds the requests straight into the ASGI app
from ``concurrency`` tasks, the body in 64 KiB chunks as uvicorn hands it over. Prints the
process's CPU time per acknowledged message (all threads) and the wall-clock rate. It measures
the app alone — no socket, no HTTP parsing — so it is for comparing changes to the send path,
not a substitute for bench/digipost_send.py. With ``--profile`` it writes a cProfile of the
event-loop thread.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from bench.digipost_send import seeded_data_dir
from bench.pool import PoolSpec, signed_send

CHUNK = 64 * 1024
Requests = list[tuple[dict[str, Any], bytes]]


def _asgi_request(raw: bytes) -> tuple[dict[str, Any], bytes]:
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    method, path, _ = lines[0].split(b" ")
    headers = [
        (name.strip().lower(), value.strip()) for name, value in (line.split(b":", 1) for line in lines[1:])
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method.decode(),
        "scheme": "http",
        "path": path.decode(),
        "raw_path": path,
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }
    return scope, body


async def _call(app: Any, scope: dict[str, Any], body: bytes) -> int:
    chunks = [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)]
    status = 0

    async def receive() -> dict[str, Any]:
        if chunks:
            chunk = chunks.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _drive(app: Any, requests: Requests, concurrency: int) -> dict[int, int]:
    statuses: dict[int, int] = {}
    queue = list(reversed(requests))

    async def client() -> None:
        while queue:
            scope, body = queue.pop()
            status = await _call(app, scope, body)
            statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return statuses


def _prepare(args: argparse.Namespace) -> tuple[Path, Requests]:
    data_dir = Path(tempfile.mkdtemp(prefix="postbud-profile-"))
    sender, pins = seeded_data_dir(data_dir)
    key_pem = Path(sender["key_file"]).read_bytes()
    spec = PoolSpec(data_dir / "pool", sender["digipost_id"], key_pem, pins, "127.0.0.1")
    key = serialization.load_pem_private_key(key_pem, password=None)
    assert isinstance(key, RSAPrivateKey)
    total = args.count + args.warmup
    return data_dir, [_asgi_request(signed_send(spec, key, n)) for n in range(total)]


def _thread_cpu() -> dict[str, float]:
    """CPU seconds so far of each of this process's threads, summed by name (digits dropped)."""
    ticks = os.sysconf("SC_CLK_TCK")
    names = {t.native_id: t.name for t in threading.enumerate()}
    out: dict[str, float] = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            name = names.get(int(task.name), "other").split(" (")[0].rstrip("0123456789_-")
            fields = (task / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        out[name] = out.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return out


async def _main(args: argparse.Namespace, data_dir: Path, requests: Requests) -> None:
    from postbud.app import create_app
    from postbud.config import Settings

    app = create_app(Settings(data_dir=data_dir, log_json=True))
    async with app.router.lifespan_context(app):
        await _drive(app, requests[: args.warmup], args.concurrency)
        profiler = cProfile.Profile() if args.profile else None
        threads_before = _thread_cpu()
        cpu, loop_cpu, wall = time.process_time(), time.thread_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        statuses = await _drive(app, requests[args.warmup :], args.concurrency)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        loop_cpu = time.thread_time() - loop_cpu
        threads = {k: v - threads_before.get(k, 0.0) for k, v in _thread_cpu().items()}
    created = statuses.get(201, 0)
    print(
        f"statuses {statuses}  {created / wall:.0f} msg/s wall  "
        f"{cpu * 1000 / max(created, 1):.2f} CPU ms/msg (all threads), "
        f"{loop_cpu * 1000 / max(created, 1):.2f} on the event loop's thread"
    )
    per_thread = sorted(threads.items(), key=lambda item: -item[1])
    print(
        "  by thread (ms/msg): "
        + ", ".join(f"{k} {v * 1000 / max(created, 1):.2f}" for k, v in per_thread if v)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--profile", help="write a cProfile of the measured part to this file")
    args = parser.parse_args()
    data_dir, requests = _prepare(args)
    try:
        import uvloop

        uvloop.run(_main(args, data_dir, requests))
    except ImportError:
        asyncio.run(_main(args, data_dir, requests))


if __name__ == "__main__":
    main()

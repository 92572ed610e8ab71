"""Postbud's ASGI app driven in-process — no socket, no HTTP parsing — and the CPU it spends.

Shared by the in-process benchmarks (bench/profile_send.py, bench/ekopost_profile.py,
bench/altinn_profile.py, bench/altinn_durable_floor.py): a request is a scope and a body handed to
the app in 64 KiB chunks as uvicorn hands it over; ``concurrency`` tasks take the next request from
one queue; ``measuring`` counts the process's CPU (all threads), the event loop's thread's CPU,
each thread's CPU by name and the wall-clock time of the block, optionally with a cProfile of the
event loop's thread.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

CHUNK = 64 * 1024
T = TypeVar("T")


def http_scope(
    method: str, path: str, headers: Sequence[tuple[bytes, bytes]], *, host: bytes = b"127.0.0.1"
) -> dict[str, Any]:
    """The scope uvicorn gives a request from 127.0.0.1 to port 8080."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", host), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }


async def call(app: Any, scope: dict[str, Any], body: bytes) -> tuple[int, bytes]:
    """The status and body of the app's answer to one request."""
    chunks = [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)] or [b""]
    status, answer = 0, bytearray()

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
        elif message["type"] == "http.response.body":
            answer.extend(message.get("body", b""))

    await app(dict(scope), receive, send)
    return status, bytes(answer)


async def drive(items: Sequence[T], concurrency: int, handle: Callable[[T], Awaitable[Any]]) -> int:
    """``handle`` each of ``items`` in order from ``concurrency`` tasks; how many were handled."""
    queue = list(reversed(items))
    done = 0

    async def worker() -> None:
        nonlocal done
        while queue:
            await handle(queue.pop())
            done += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done


def thread_cpu() -> dict[str, float]:
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


@dataclass
class Measured:
    """What a block cost: seconds of wall-clock time, of CPU (all threads, the loop's), by thread."""

    wall: float = 0.0
    cpu: float = 0.0
    loop_cpu: float = 0.0
    threads: dict[str, float] = field(default_factory=dict)

    def summary(self, count: int, unit: str) -> str:
        n = max(count, 1)
        return (
            f"{count} {unit}s  {count / self.wall:.1f}/s wall  {self.cpu * 1000 / n:.2f} CPU ms/{unit}"
            f" (all threads), {self.loop_cpu * 1000 / n:.2f} on the event loop's thread"
        )

    def by_thread(self, count: int, unit: str) -> str:
        n = max(count, 1)
        ordered = sorted(self.threads.items(), key=lambda item: -item[1])
        return f"  by thread (ms/{unit}): " + ", ".join(f"{k} {v * 1000 / n:.2f}" for k, v in ordered if v)


@contextmanager
def measuring(profile: str | None = None) -> Iterator[Measured]:
    """Measure the block (run on the event loop's thread); with ``profile``, write a cProfile of it."""
    measured = Measured()
    profiler = cProfile.Profile() if profile else None
    threads = thread_cpu()
    cpu, loop_cpu, wall = time.process_time(), time.thread_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    try:
        yield measured
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        measured.wall = time.perf_counter() - wall
        measured.cpu = time.process_time() - cpu
        measured.loop_cpu = time.thread_time() - loop_cpu
        measured.threads = {k: v - threads.get(k, 0.0) for k, v in thread_cpu().items()}


def run(main: Coroutine[Any, Any, None]) -> None:
    """Run ``main`` on uvloop, as `postbud serve` does, or on asyncio's loop without it."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
    else:
        uvloop.run(main)

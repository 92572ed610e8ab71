"""Where a single-recipient Altinn initialize's CPU goes: initializes driven in-process, without HTTP.

``.venv/bin/python -m bench.altinn_profile [--count N] [--concurrency C] [--profile out.prof]``

Prepares a fresh data folder as bench/altinn_initialize.py does (a service owner, its resource, 500
recipient organisations with a business inbox, the owner's RS256 bearer token from the folder's
sandbox issuer), starts the app's lifespan (group-commit writer, job workers) and feeds the same
single-recipient initialize as bench/altinn.lua (recipients in turn) straight into the ASGI app from
``concurrency`` tasks. Prints CPU ms per initialize (all threads and the event loop's thread) and the
wall-clock rate. It measures the app alone, so it compares changes to the initialize path; it does
not replace bench/altinn_initialize.py. With ``--profile`` it writes a cProfile of the event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.altinn_initialize import API, RECIPIENTS, RESOURCE, organisation_numbers, prepare
from bench.ekopost_profile import _call

PUBLIC_URL = "http://127.0.0.1:8080"


def _scope(token: str) -> dict[str, Any]:
    path = f"{API}/correspondence"
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8080"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8080),
    }


def _body(turn: int, recipient: str) -> bytes:
    """The body bench/altinn.lua sends."""
    return json.dumps(
        {
            "correspondence": {
                "resourceId": RESOURCE,
                "sendersReference": f"bench-{turn}",
                "content": {
                    "language": "nb",
                    "messageTitle": "Vedtak",
                    "messageSummary": "Kort sammendrag",
                    "messageBody": "Hei, se **vedtaket**.",
                },
            },
            "recipients": [f"0192:{recipient}"],
            "existingAttachments": [],
        }
    ).encode()


async def _drive(app: Any, token: str, bodies: list[bytes], concurrency: int) -> int:
    queue = list(reversed(bodies))
    scope = _scope(token)
    done = 0

    async def client() -> None:
        nonlocal done
        while queue:
            status, answer = await _call(app, dict(scope), queue.pop())
            if status != 200:
                raise RuntimeError(f"initialize: {status} {answer[:300]!r}")
            done += 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return done


async def _main(args: argparse.Namespace, data_dir: Path, token: str, bodies: list[bytes]) -> None:
    from postbud.app import create_app
    from postbud.config import Settings

    app = create_app(Settings(data_dir=data_dir, public_url=PUBLIC_URL, log_json=True))
    async with app.router.lifespan_context(app):
        await _drive(app, token, bodies[: args.warmup], args.concurrency)
        profiler = cProfile.Profile() if args.profile else None
        cpu, loop_cpu, wall = time.process_time(), time.thread_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        done = await _drive(app, token, bodies[args.warmup :], args.concurrency)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        loop_cpu = time.thread_time() - loop_cpu
    print(
        f"{done} initializes  {done / wall:.1f}/s wall  {cpu * 1000 / done:.2f} CPU ms/initialize"
        f" (all threads), {loop_cpu * 1000 / done:.2f} on the event loop's thread"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--profile", help="write a cProfile of the measured part to this file")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="postbud-altinn-profile-")) / "data"
    numbers = organisation_numbers(RECIPIENTS)
    token = prepare(data_dir, PUBLIC_URL, numbers)
    bodies = [_body(turn, numbers[turn % len(numbers)]) for turn in range(args.count + args.warmup)]
    try:
        import uvloop

        uvloop.run(_main(args, data_dir, token, bodies))
    except ImportError:
        asyncio.run(_main(args, data_dir, token, bodies))


if __name__ == "__main__":
    main()

"""Where a send's CPU goes: Postbud's ASGI app driven in-process, without HTTP or wrk.

``.venv/bin/python -m bench.profile_send [--count N] [--concurrency C] [--profile out.prof]``

Builds ``count`` signed v8 sends (bench/pool.py), seeds a fresh data folder, starts the app's
lifespan (group-commit writer, job workers) and feeds the requests straight into the ASGI app
from ``concurrency`` tasks, the body in 64 KiB chunks as uvicorn hands it over (bench/in_process.py).
Prints the process's CPU time per acknowledged message (all threads, the event loop's thread, and by
thread) and the wall-clock rate. It measures
the app alone — no socket, no HTTP parsing — so it is for comparing changes to the send path,
not a substitute for bench/digipost_send.py. With ``--profile`` it writes a cProfile of the
event-loop thread.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from bench.digipost_send import seeded_data_dir
from bench.in_process import call, drive, http_scope, measuring, run
from bench.pool import PoolSpec, signed_send

Requests = list[tuple[dict[str, Any], bytes]]


def _asgi_request(raw: bytes) -> tuple[dict[str, Any], bytes]:
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    method, path, _ = lines[0].split(b" ")
    headers = [
        (name.strip().lower(), value.strip()) for name, value in (line.split(b":", 1) for line in lines[1:])
    ]
    scope = http_scope(method.decode(), path.decode(), [])
    scope["headers"] = headers  # the request's own, its Host included
    return scope, body


async def _drive(app: Any, requests: Requests, concurrency: int) -> dict[int, int]:
    statuses: dict[int, int] = {}

    async def send(request: tuple[dict[str, Any], bytes]) -> None:
        status, _ = await call(app, *request)
        statuses[status] = statuses.get(status, 0) + 1

    await drive(requests, concurrency, send)
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


async def _main(args: argparse.Namespace, data_dir: Path, requests: Requests) -> None:
    from postbud.app import create_app
    from postbud.config import Settings

    app = create_app(Settings(data_dir=data_dir, log_json=True))
    async with app.router.lifespan_context(app):
        await _drive(app, requests[: args.warmup], args.concurrency)
        with measuring(args.profile) as measured:
            statuses = await _drive(app, requests[args.warmup :], args.concurrency)
    created = statuses.get(201, 0)
    print(f"statuses {statuses}  {measured.summary(created, 'msg')}")
    print(measured.by_thread(created, "msg"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--profile", help="write a cProfile of the measured part to this file")
    args = parser.parse_args()
    data_dir, requests = _prepare(args)
    run(_main(args, data_dir, requests))


if __name__ == "__main__":
    main()

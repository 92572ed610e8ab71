"""Where a single-recipient Altinn initialize's CPU goes: initializes driven in-process, without HTTP.

``.venv/bin/python -m bench.altinn_profile [--count N] [--concurrency C] [--profile out.prof]``

Prepares a fresh data folder as bench/altinn_initialize.py does (a service owner, its resource, 500
recipient organisations with a business inbox, the owner's RS256 bearer token from the folder's
sandbox issuer), starts the app's lifespan (group-commit writer, job workers) and feeds the same
single-recipient initialize as bench/altinn.lua (recipients in turn) straight into the ASGI app from
``concurrency`` tasks (bench/in_process.py). Prints CPU ms per initialize (all threads, the event
loop's thread, and by thread) and the wall-clock rate. It measures the app alone, so it compares
changes to the initialize path; it does not replace bench/altinn_initialize.py. With ``--profile``
it writes a cProfile of the event loop.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bench.altinn_initialize import API, RECIPIENTS, RESOURCE, organisation_numbers, prepare
from bench.in_process import call, drive, http_scope, measuring, run

PUBLIC_URL = "http://127.0.0.1:8080"


def _scope(token: str) -> dict[str, Any]:
    headers = [(b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json")]
    return http_scope("POST", f"{API}/correspondence", headers, host=b"127.0.0.1:8080")


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
    """Each body as an initialize from ``concurrency`` clients; a status other than 200 stops the run."""
    scope = _scope(token)

    async def initialize(body: bytes) -> None:
        status, answer = await call(app, scope, body)
        if status != 200:
            raise RuntimeError(f"initialize: {status} {answer[:300]!r}")

    return await drive(bodies, concurrency, initialize)


async def _main(args: argparse.Namespace, data_dir: Path, token: str, bodies: list[bytes]) -> None:
    from postbud.app import create_app
    from postbud.config import Settings

    app = create_app(Settings(data_dir=data_dir, public_url=PUBLIC_URL, log_json=True))
    async with app.router.lifespan_context(app):
        await _drive(app, token, bodies[: args.warmup], args.concurrency)
        with measuring(args.profile) as measured:
            done = await _drive(app, token, bodies[args.warmup :], args.concurrency)
    print(measured.summary(done, "initialize"))
    print(measured.by_thread(done, "initialize"))


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
    run(_main(args, data_dir, token, bodies))


if __name__ == "__main__":
    main()

"""What a durable write adds to the Altinn floor: the floor's work, then the same plus one row made
durable through Postbud's group-commit writer, then Postbud's whole initialize, all in-process.

``.venv/bin/python -m bench.altinn_durable_floor [--count N] [--concurrency C]``

The issue's floor (bench/altinn_floor.py: verify the RS256 bearer token, parse the JSON, answer) does
no storage, so ``0.5 × floor`` asks Postbud to store and answer a correspondence for as little CPU as
the floor spends on verifying and parsing. This measures, on one data folder prepared as
bench/altinn_initialize.py does and driven as bench/altinn_profile.py drives Postbud:

1. ``floor``: bench/altinn_floor.py's app.
2. ``floor + durable row``: the same app, answering only after one small row (a ``send_requests``
   row) was written through Postbud's group-commit writer (SQLite WAL, ``synchronous=FULL``: the
   commit is fsync'd; many requests share a commit). The least any durable server in Python on this
   stack can do per request.
3. ``Postbud``: the whole app's single-recipient initialize.

Prints CPU ms per request (all threads, and the event loop's thread) for each, in that order.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from bench.altinn_initialize import OWNER, RECIPIENTS, organisation_numbers, prepare
from bench.altinn_profile import PUBLIC_URL, _body, _drive
from bench.in_process import measuring, run


class _DurableFloor:
    """The floor app, answering once one row of the request is durable."""

    def __init__(self, floor: Any, runtime: Any, sender_id: Any) -> None:
        self._floor, self._runtime, self._sender_id = floor, runtime, sender_id

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        from postbud.domain.ids import new_id
        from postbud.storage.repos.shipments import send_request_row
        from postbud.storage.writeset import WriteSet

        answer: list[dict[str, Any]] = []

        async def hold(message: dict[str, Any]) -> None:
            answer.append(message)

        await self._floor(scope, receive, hold)
        ws = WriteSet()
        send_request_row(
            ws,
            request_id=new_id(),
            sender_id=self._sender_id,
            dialect="bench",
            idempotency_key=None,
            shipment_ids=[new_id()],
            now=self._runtime.clock.now(),
        )
        await self._runtime.writer.submit(ws)
        for message in answer:
            await send(message)


async def _measure(name: str, app: Any, token: str, bodies: list[bytes], args: argparse.Namespace) -> None:
    await _drive(app, token, bodies[: args.warmup], args.concurrency)
    with measuring() as measured:
        done = await _drive(app, token, bodies[args.warmup :], args.concurrency)
    print(f"{name:22} {measured.summary(done, 'request')}", flush=True)


async def _main(args: argparse.Namespace, data_dir: Path, token: str, bodies: list[bytes]) -> None:
    from bench.altinn_floor import AltinnFloor
    from postbud.app import create_app
    from postbud.bootstrap import build_runtime
    from postbud.config import Settings
    from postbud.dialects.altinn.tokens import sandbox_issuers
    from postbud.dialects.altinn.tokens_verify import TokenVerifier
    from postbud.services.sandbox.token_issuer import token_issuer

    settings = Settings(data_dir=data_dir, public_url=PUBLIC_URL, log_json=True, workers=0)
    floor = AltinnFloor(TokenVerifier(token_issuer(data_dir), sandbox_issuers(PUBLIC_URL)))
    await _measure("floor", floor, token, bodies, args)
    runtime = await build_runtime(settings)
    try:
        async with runtime.reader() as uow:
            owner = await uow.senders.by_organisation_number(OWNER)
        assert owner is not None
        await _measure("floor + durable row", _DurableFloor(floor, runtime, owner.id), token, bodies, args)
    finally:
        await runtime.close()
    app = create_app(Settings(data_dir=data_dir, public_url=PUBLIC_URL, log_json=True))
    async with app.router.lifespan_context(app):
        await _measure("Postbud", app, token, bodies, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="postbud-altinn-durable-floor-")) / "data"
    numbers = organisation_numbers(RECIPIENTS)
    token = prepare(data_dir, PUBLIC_URL, numbers)
    bodies = [_body(turn, numbers[turn % len(numbers)]) for turn in range(args.count + args.warmup)]
    run(_main(args, data_dir, token, bodies))


if __name__ == "__main__":
    main()

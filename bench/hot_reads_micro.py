"""What the hot-path reads cost on a SQLite file, per call: each prepared read and the cache lookup.

``nice -n 19 .venv/bin/python -m bench.hot_reads_micro [--calls N] [--repeats R]``

Builds a runtime on a fresh SQLite file (one sender with a webhook, one recipient), then times each
read of ``storage/hot_reads*.py`` as the request path calls it, and the lookup of a database's
compiled statements alone. Prints the fastest of ``repeats`` runs of ``calls`` calls, in
microseconds of this process's CPU per call (CPU, not wall time: other work on a shared machine
delays a run without adding to it), so two such figures compare a change to these reads.
To compare with an earlier commit, run this file against that commit's ``src`` on ``PYTHONPATH``
(``git archive REV src | tar -x -C DIR``).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from postbud.services.runtime import Runtime
from postbud.storage import hot_reads_ekopost, hot_reads_letters, hot_reads_send_many
from postbud.webhooks.manage import add_webhook

PERSON = "15108695088"


async def _seed(runtime: Runtime) -> uuid.UUID:
    sender_id = uuid.uuid4()
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(Sender(id=sender_id, name="Bench", organisation_number="974761076"), now=now)
        await uow.recipients.add(
            Recipient(
                uuid.uuid4(), parse_party_id(PERSON), "Ola Nordmann", Capabilities(digital_mailbox=True)
            ),
            now=now,
        )
    await add_webhook(runtime, sender_id, "https://example.no/hooks", ["delivered"])
    return sender_id


async def _fastest(call: Callable[[], Awaitable[object]], calls: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(calls):
            await call()
        best = min(best, time.process_time() - started)
    return best / calls * 1e6


def _lookup_fastest(lookup: Callable[[], object], calls: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(calls):
            lookup()
        best = min(best, time.process_time() - started)
    return best / calls * 1e6


async def main(calls: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        runtime = await build_runtime(
            Settings(data_dir=data, database_url=f"sqlite+aiosqlite:///{folder}/bench.db", workers=0)
        )
        try:
            database = runtime.database
            assert database.has_plain_reads, "the prepared reads run on a SQLite file only"
            sender_id = await _seed(runtime)
            party_id = parse_party_id(PERSON)
            missing = uuid.uuid4()
            reads: dict[str, Callable[[], Awaitable[object]]] = {
                "for_send": lambda: runtime.hot_reads.for_send(
                    sender_id, party_id=party_id, mailbox_address=None
                ),
                "may_have_due_jobs": lambda: runtime.hot_reads.may_have_due_jobs(runtime.clock.now()),
                "sender_by_key": lambda: hot_reads_ekopost.sender_by_key(database, "ekopost", "none", "none"),
                "batch_by_id": lambda: hot_reads_letters.batch_by_id(database, missing),
                "stored_letter": lambda: hot_reads_letters.stored_letter(database, missing, with_events=True),
                "resource_by_id": lambda: hot_reads_send_many.resource_by_id(database, "none"),
                "recipients_and_subscriptions": lambda: hot_reads_send_many.recipients_and_subscriptions(
                    database, sender_id, [(party_id, None)]
                ),
            }
            for name, call in reads.items():
                print(f"{name:32} {await _fastest(call, calls, repeats):8.2f} µs")
            for module in (hot_reads_ekopost, hot_reads_letters, hot_reads_send_many):
                lookup = getattr(module, "_statements")  # noqa: B009 - each module's own accessor
                per_call = _lookup_fastest(functools.partial(lookup, database), calls * 10, repeats)
                print(f"{module.__name__.rsplit('.', 1)[1] + ' lookup':32} {per_call:8.3f} µs")
        finally:
            await runtime.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.calls, arguments.repeats))

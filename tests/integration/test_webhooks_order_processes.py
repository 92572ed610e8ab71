"""Webhook order across real worker processes: three ``postbud worker`` processes deliver while the
receiver is down and after it comes back; every letter's events arrive in the order of its log.

The test process sends the letters, records their later events and moves the shared sandbox clock
(every process adopts it within a second), so retries become due without waiting out the backoff.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.event_drafts import EventDraft
from postbud.services.letters.record_event import record_events_for
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from postbud.webhooks.manage import add_webhook, list_deliveries
from tests.integration.test_webhooks_order import LATER_EVENTS, _send, _sender, receiver_that_is_down

pytestmark = pytest.mark.anyio

POSTBUD = Path(sys.executable).with_name("postbud")
PROCESSES = 3
LETTERS = 6
WAIT_S = 120


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        yield runtime
    finally:
        await runtime.close()


@pytest.fixture
def workers(tmp_path: Path, database_url: str, runtime: Runtime) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Started after the runtime fixture has migrated the database."""
    started = []
    for n in range(PROCESSES):
        log = (tmp_path / f"worker-{n}.log").open("wb")
        command = [str(POSTBUD), "worker", "-c", "2", "--data-dir", str(tmp_path)]
        command += ["--database-url", database_url]
        started.append(subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ)))
    try:
        yield started
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


async def _until(check: object, what: str) -> None:
    assert callable(check)
    deadline = time.monotonic() + WAIT_S
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def test_three_worker_processes_keep_each_letters_order_after_an_outage(
    runtime: Runtime, workers: list[subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    sender_id = await _sender(runtime)
    with receiver_that_is_down() as receiver:
        webhook, receiver.secret = await add_webhook(runtime, sender_id, receiver.url)

        async def statuses() -> set[str]:
            return {d.status for d in await list_deliveries(runtime, webhook_id=webhook.id, limit=1000)}

        letters = [await _send(runtime, sender_id, n) for n in range(LETTERS)]
        for step, types in enumerate(LATER_EVENTS):
            for shipment_id in letters:
                drafts = [EventDraft(t, dedup_key=f"{t.value}-{step}") for t in types]
                await record_events_for(runtime, shipment_id, drafts)

        async def tried_and_waiting() -> bool:
            return await statuses() == {"retrying", "waiting"}

        await _until(tried_and_waiting, "the first delivery of each letter to fail and the rest to wait")
        assert all(p.poll() is None for p in workers), "a worker process stopped"

        receiver.come_back()

        async def all_delivered() -> bool:
            if await statuses() == {"delivered"}:
                return True
            await advance_clock(runtime, timedelta(hours=2))
            await asyncio.sleep(1.2)  # every process adopts the clock within a second
            return False

        await _until(all_delivered, "every delivery to be delivered")

    assert receiver.invalid == 0
    arrived: dict[str, list[str]] = {}
    for body in receiver.received:
        data = body["data"]
        assert isinstance(data, dict)
        arrived.setdefault(str(data["shipment_id"]), []).append(str(body["id"]))
    async with runtime.reader() as uow:
        for shipment_id in letters:
            expected = [str(e.id) for e in await uow.events.for_shipment(shipment_id)]
            assert list(dict.fromkeys(arrived[str(shipment_id)])) == expected, (
                f"letter {shipment_id}: out of order or missing"
            )
    deliveries = await list_deliveries(runtime, webhook_id=webhook.id, limit=1000)
    duplicates = len(receiver.ids) - len(set(receiver.ids))
    assert sorted(set(receiver.ids)) == sorted(str(d.id) for d in deliveries), "none lost"
    # At least once allows duplicates (a worker's lease taken over); none are expected here.
    assert duplicates == 0, (tmp_path / "worker-0.log").read_text()

"""Webhook deliveries of one letter (or batch) arrive in the order of its events, also after an outage.

A real HTTP receiver is down (its port refuses connections) while letters are sent and their
events recorded, then comes back on the same port. Three workers, each on a runtime of its own
(as three processes would be: their own connections and clocks), deliver concurrently. Every
letter's events must arrive in the order of its event log, each at least once, none lost.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.batches import complete_batch, open_batch
from postbud.services.letters.record_event import record_events_for
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.webhooks import deliver as webhook_delivery
from postbud.webhooks.manage import add_webhook, list_deliveries, set_active
from postbud.webhooks.signing import verify
from tests.integration.core_helpers import add_sender_with_a_reader
from tests.integration.test_core_actions_batches import World, world
from tests.integration.webhook_receiver import hook_receiver
from tests.real_pdf import real_pdf

__all__ = ["world"]

pytestmark = pytest.mark.anyio

PERSON = "15108695088"
LETTERS = 8
WORKERS = 3
# Recorded after the send's own created, routed, delivered; in this order, a few at a time.
LATER_EVENTS = (
    [EventType.FETCHED],
    [EventType.OPENED, EventType.CONFIRMED],
    [EventType.DATA_ADDED],
    [EventType.PAYMENT_REGISTERED, EventType.DOCUMENTS_SHARED],
)


@dataclass
class Receiver:
    """Records each request in arrival order; refuses connections until ``come_back``."""

    secret: str = ""
    received: list[dict[str, object]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    invalid: int = 0
    sock: socket.socket = field(default_factory=socket.socket)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"

    async def endpoint(self, request: Request) -> Response:
        body = await request.body()
        try:
            verify(self.secret, request.headers, body)
        except Exception:
            self.invalid += 1
            return Response(status_code=401)
        self.ids.append(request.headers["webhook-id"])
        self.received.append(json.loads(body))
        return Response(status_code=204)

    def come_back(self) -> None:
        app = Starlette(routes=[Route("/hook", self.endpoint, methods=["POST"])])
        config = uvicorn.Config(app, lifespan="off", log_level="warning", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive(), "receiver stopped"
            assert time.monotonic() < deadline, "receiver did not start"
            time.sleep(0.01)


@contextmanager
def receiver_that_is_down() -> Iterator[Receiver]:
    """A port that is bound but not listening: connections to it are refused until it comes back."""
    receiver = Receiver()
    receiver.sock.bind(("127.0.0.1", 0))
    try:
        yield receiver
    finally:
        if receiver.server is not None and receiver.thread is not None:
            receiver.server.should_exit = True
            receiver.thread.join(10)
        receiver.sock.close()


@pytest.fixture
async def runtimes(tmp_path: Path, database_url: str) -> AsyncIterator[list[Runtime]]:
    """One runtime per worker, as separate processes would have, on one database."""
    built: list[Runtime] = []
    try:
        for _ in range(WORKERS):
            built.append(await build_runtime(Settings(data_dir=tmp_path, database_url=database_url)))
        yield built
    finally:
        for runtime in built:
            await webhook_delivery.close_http_client()
            await runtime.close()


async def _sender(runtime: Runtime) -> uuid.UUID:
    return await add_sender_with_a_reader(runtime)


async def _send(runtime: Runtime, sender_id: uuid.UUID, n: int) -> uuid.UUID:
    document = DocumentInput(content=real_pdf("hei"), file_type="pdf", mime="application/pdf", title="Hei")
    cmd = SendLetter(
        sender_id=sender_id,
        dialect="platform",
        recipient=parse_party_id(PERSON),
        external_id=f"letter-{n}",
        documents=(document,),
    )
    return (await send_letter(cmd, runtime)).shipment.id


async def _drain(workers: list[Worker]) -> None:
    """Every worker claims and runs due jobs at once, until none of them finds any."""
    while sum(await asyncio.gather(*(w.run_once() for w in workers))):
        pass


def _later(runtimes: list[Runtime]) -> None:
    for runtime in runtimes:
        runtime.clock.advance(timedelta(hours=2))


async def test_each_letters_events_arrive_in_order_after_the_receiver_comes_back(
    runtimes: list[Runtime],
) -> None:
    first = runtimes[0]
    sender_id = await _sender(first)
    workers = [Worker(runtime, core_handlers(), batch=4) for runtime in runtimes]
    with receiver_that_is_down() as receiver:
        webhook, receiver.secret = await add_webhook(first, sender_id, receiver.url)

        # Down: letters are sent and their events recorded while the workers keep trying.
        letters = [await _send(runtimes[n % WORKERS], sender_id, n) for n in range(LETTERS)]
        await _drain(workers)
        for step, types in enumerate(LATER_EVENTS):
            for n, shipment_id in enumerate(letters):
                drafts = [EventDraft(t, dedup_key=f"{t.value}-{step}") for t in types]
                await record_events_for(runtimes[(n + step) % WORKERS], shipment_id, drafts)
            _later(runtimes)
            await _drain(workers)
        assert receiver.received == []
        statuses = {d.status for d in await list_deliveries(first, webhook_id=webhook.id, limit=1000)}
        assert statuses == {"retrying", "waiting"}, "later events wait behind the first one retrying"

        receiver.come_back()
        for _ in range(3):
            _later(runtimes)
            await _drain(workers)

    assert receiver.invalid == 0
    expected: dict[str, list[str]] = {}
    async with first.reader() as uow:
        for shipment_id in letters:
            events = await uow.events.for_shipment(shipment_id)
            expected[str(shipment_id)] = [str(e.id) for e in events]
    arrived: dict[str, list[str]] = {key: [] for key in expected}
    for body in receiver.received:
        data = body["data"]
        assert isinstance(data, dict)
        arrived[data["shipment_id"]].append(str(body["id"]))
    for shipment_id, event_ids in expected.items():
        assert len(event_ids) == 3 + sum(len(types) for types in LATER_EVENTS)
        first_arrivals = list(dict.fromkeys(arrived[shipment_id]))
        assert first_arrivals == event_ids, f"letter {shipment_id}: events out of order or missing"
    deliveries = await list_deliveries(first, webhook_id=webhook.id, limit=1000)
    assert {d.status for d in deliveries} == {"delivered"}
    assert len(deliveries) == LETTERS * len(next(iter(expected.values())))
    # At least once, and here (no crash) exactly once: one arrival per delivery id.
    assert sorted(receiver.ids) == sorted(str(d.id) for d in deliveries)
    async with first.reader() as uow:
        j = schema.jobs.c
        left = await uow.conn.execute(select(j.status).where(j.status.not_in(["done"])))
        assert list(left) == []


async def test_a_batchs_events_arrive_in_order_after_the_receiver_comes_back(world: World) -> None:
    runtime = world.runtime
    with hook_receiver() as receiver:
        webhook, _ = await add_webhook(runtime, world.sender, receiver.url("batch"), ["batch.*"])
        receiver.fail_first["batch"] = 10_000  # down
        batch = await open_batch(runtime, sender_id=world.sender, dialect="ekopost", external_id="order-1")
        await world.to_mailbox(batch.id)
        await world.to_mailbox(batch.id)
        await complete_batch(runtime, batch.id)
        for _ in range(3):
            await world.work()
            runtime.clock.advance(timedelta(hours=2))
        statuses = {d.status for d in await list_deliveries(runtime, webhook_id=webhook.id)}
        assert statuses == {"retrying", "waiting"}

        receiver.fail_first["batch"] = 0  # back
        for _ in range(3):
            runtime.clock.advance(timedelta(hours=2))
            await world.work()

    logged = [f"batch.{state.value}" for state in await world.log(batch.id)]
    assert len(logged) >= 3, logged
    arrived = [json.loads(a.body)["type"] for a in receiver.at("batch") if not a.failed]
    delivered = list(dict.fromkeys(arrived))
    assert delivered == logged, "each batch event once, in the order of the batch's log"
    assert {d.status for d in await list_deliveries(runtime, webhook_id=webhook.id)} == {"delivered"}


async def test_order_holds_with_a_flaky_receiver_and_concurrent_workers(runtimes: list[Runtime]) -> None:
    """Every third request or so fails at random (seeded): releases and waits race between three
    workers all the time, and still each letter's events arrive in order, none lost."""
    first = runtimes[0]
    sender_id = await _sender(first)
    workers = [Worker(runtime, core_handlers(), batch=2) for runtime in runtimes]
    chance = random.Random(13)
    with hook_receiver() as receiver:
        webhook, _ = await add_webhook(first, sender_id, receiver.url("flaky"))
        receiver.fail_first["flaky"] = 0
        letters = [await _send(runtimes[n % WORKERS], sender_id, n) for n in range(LETTERS)]
        for step, types in enumerate(LATER_EVENTS):
            for n, shipment_id in enumerate(letters):
                drafts = [EventDraft(t, dedup_key=f"{t.value}-{step}") for t in types]
                await record_events_for(runtimes[(n + step) % WORKERS], shipment_id, drafts)
        for _ in range(40):
            receiver.fail_first["flaky"] = 1 if chance.random() < 0.35 else 0
            _later(runtimes)
            await _drain(workers)
            if {d.status for d in await list_deliveries(first, webhook_id=webhook.id, limit=1000)} == {
                "delivered"
            }:
                break
        succeeded = [a for a in receiver.at("flaky") if not a.failed]
        assert any(a.failed for a in receiver.at("flaky")), "the receiver failed some requests"

    arrived: dict[str, list[str]] = {}
    for arrival in succeeded:
        body = json.loads(arrival.body)
        arrived.setdefault(body["data"]["shipment_id"], []).append(body["id"])
    async with first.reader() as uow:
        for shipment_id in letters:
            expected = [str(e.id) for e in await uow.events.for_shipment(shipment_id)]
            assert list(dict.fromkeys(arrived[str(shipment_id)])) == expected
    deliveries = await list_deliveries(first, webhook_id=webhook.id, limit=1000)
    assert {d.status for d in deliveries} == {"delivered"}


async def test_pausing_cancels_a_letters_waiting_deliveries_one_after_another(
    runtimes: list[Runtime],
) -> None:
    first = runtimes[0]
    sender_id = await _sender(first)
    workers = [Worker(runtime, core_handlers()) for runtime in runtimes]
    with receiver_that_is_down() as receiver:
        webhook, receiver.secret = await add_webhook(first, sender_id, receiver.url)
        await _send(first, sender_id, 1)
        await _drain(workers)
        statuses = sorted(d.status for d in await list_deliveries(first, webhook_id=webhook.id))
        assert statuses == ["retrying", "waiting", "waiting"]

        await set_active(first, webhook.id, False)
        _later(runtimes)
        await _drain(workers)
    deliveries = await list_deliveries(first, webhook_id=webhook.id)
    assert [d.status for d in deliveries] == ["cancelled"] * 3
    async with first.reader() as uow:
        j = schema.jobs.c
        left = await uow.conn.execute(select(j.status).where(j.status.not_in(["done", "dead"])))
        assert list(left) == []

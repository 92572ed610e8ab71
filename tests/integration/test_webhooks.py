"""Webhooks end to end: a letter's events reach a real HTTP receiver, signed, at least once.

The receiver is a Starlette app on uvicorn in a thread; it checks every signature with
``verify``, as a sender's own receiver would. Retries are made due by moving the runtime's
clock forward, not by waiting.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select, update
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.errors import Conflict, NotFound, ValidationFailed
from postbud.domain.identifiers import parse_party_id
from postbud.jobs.handlers import core_handlers
from postbud.jobs.registry import JobHandler
from postbud.jobs.worker import Worker
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.job_kinds import WEBHOOK_DELIVER
from postbud.storage.repos.jobs import Job
from postbud.storage.repos.webhooks import Delivery, Webhook
from postbud.webhooks import deliver as webhook_delivery
from postbud.webhooks.manage import (
    add_webhook,
    delivery_attempts,
    list_deliveries,
    list_webhooks,
    redeliver,
    set_active,
)
from postbud.webhooks.signing import InvalidWebhookSignature, verify
from tests.integration.core_helpers import add_sender_with_a_reader
from tests.real_pdf import real_pdf

pytestmark = pytest.mark.anyio

PERSON = "15108695088"


# --- A real receiver --------------------------------------------------------------------


@dataclass
class Received:
    hook: str
    headers: dict[str, str]
    body: bytes
    valid: bool

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every request; can answer 500 to the next N requests, or stall while told to."""

    base_url: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    fail_next: int = 0
    stalling: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, hook: str) -> str:
        return f"{self.base_url}/hooks/{hook}"

    def by_hook(self, hook: str) -> list[Received]:
        return [r for r in self.received if r.hook == hook]

    def _take(self, counter: str) -> bool:
        with self._lock:
            left = getattr(self, counter)
            if left > 0:
                setattr(self, counter, left - 1)
            return bool(left > 0)

    async def endpoint(self, request: Request) -> Response:
        hook = request.path_params["hook"]
        body = await request.body()
        try:
            verify(self.secrets[hook], request.headers, body)
            valid = True
        except InvalidWebhookSignature:
            valid = False
        self.received.append(Received(hook, dict(request.headers), body, valid))
        # Polled rather than one long sleep, so the test can release a stalled request at once.
        for _ in range(500):
            if not self.stalling:
                break
            await asyncio.sleep(0.01)
        if self._take("fail_next"):
            return PlainTextResponse("receiver is down", status_code=500)
        if not valid:
            return PlainTextResponse("bad signature", status_code=401)
        return Response(status_code=204)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/hooks/{hook}", receiver.endpoint, methods=["POST"])])
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_level="warning", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "receiver stopped"
        assert time.monotonic() < deadline, "receiver did not start"
        time.sleep(0.01)
    receiver.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    yield receiver
    server.should_exit = True
    thread.join(10)
    sock.close()


# --- Postbud with one sender and one recipient -------------------------------------------


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        yield runtime
    finally:
        await webhook_delivery.close_http_client()
        await runtime.close()


@pytest.fixture
async def sender_id(runtime: Runtime) -> uuid.UUID:
    return await add_sender_with_a_reader(runtime)


async def hook(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver, name: str, types: tuple[str, ...] = ("*",)
) -> Webhook:
    webhook, secret = await add_webhook(runtime, sender_id, receiver.url(name), types)
    receiver.secrets[name] = secret
    return webhook


async def send(runtime: Runtime, sender_id: uuid.UUID, external_id: str = "letter-1") -> uuid.UUID:
    document = DocumentInput(content=real_pdf("hei"), file_type="pdf", mime="application/pdf", title="Hei")
    cmd = SendLetter(
        sender_id=sender_id,
        dialect="platform",
        recipient=parse_party_id(PERSON),
        external_id=external_id,
        documents=(document,),
    )
    return (await send_letter(cmd, runtime)).shipment.id


async def drain(runtime: Runtime, handlers: dict[str, JobHandler] | None = None) -> None:
    """Run every job that is due now, including retries that become due meanwhile."""
    worker = Worker(runtime, handlers or core_handlers())
    while await worker.run_once():
        pass


async def later(runtime: Runtime, handlers: dict[str, JobHandler] | None = None) -> None:
    """An hour on: long enough for the first retries' backoff."""
    runtime.clock.advance(timedelta(hours=1))
    await drain(runtime, handlers)


async def only_delivery(runtime: Runtime, webhook: Webhook) -> Delivery:
    [delivery] = await list_deliveries(runtime, webhook_id=webhook.id)
    return delivery


async def job_statuses(runtime: Runtime) -> list[str]:
    j = schema.jobs.c
    async with runtime.reader() as uow:
        rows = await uow.conn.execute(select(j.status).where(j.kind == WEBHOOK_DELIVER))
        return sorted(row[0] for row in rows)


# --- Delivery --------------------------------------------------------------------------


async def test_each_event_is_delivered_once_with_a_valid_signature(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    webhook = await hook(runtime, sender_id, receiver, "all")
    shipment_id = await send(runtime, sender_id)
    await drain(runtime)

    received = receiver.by_hook("all")
    assert [r.valid for r in received] == [True, True, True]
    assert sorted(r.json["type"] for r in received) == [
        "shipment.created",
        "shipment.delivered",
        "shipment.routed",
    ]
    async with runtime.reader() as uow:
        events = {str(e.id): e for e in await uow.events.for_shipment(shipment_id)}
    deliveries = {str(d.id): d for d in await list_deliveries(runtime, sender_id=sender_id)}
    for request in received:
        body = request.json
        event = events[body["id"]]
        assert body["type"] == f"shipment.{event.type.value}"
        assert body["created_at"] == event.at.isoformat()
        assert body["data"] == {
            "shipment_id": str(shipment_id),
            "sender_id": str(sender_id),
            "external_id": "letter-1",
            "dialect": "platform",
            "channel": "digital_mailbox",
            "status": "delivered",
            "recipient": f"no-person:{PERSON}",
            "event": event.data,
        }
        assert request.body == json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        assert request.headers["content-type"] == "application/json"
        assert request.headers["user-agent"] == "Postbud-Webhooks/0.1"
        delivery = deliveries[request.headers["webhook-id"]]
        assert delivery.event_id == event.id
        assert delivery.webhook_id == webhook.id
    assert {r.headers["webhook-id"] for r in received} == set(deliveries)

    for delivery in deliveries.values():
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
        assert delivery.delivered_at is not None
        assert delivery.next_attempt_at is None
        [attempt] = await delivery_attempts(runtime, delivery.id)
        assert (attempt.status_code, attempt.error) == (204, None)
        assert attempt.duration_ms >= 0
    assert await job_statuses(runtime) == ["done"] * 3

    await later(runtime)
    assert len(receiver.received) == 3


async def test_a_failing_receiver_is_retried_until_it_recovers(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    webhook = await hook(runtime, sender_id, receiver, "flaky", ("delivered",))
    receiver.fail_next = 2
    await send(runtime, sender_id)

    await drain(runtime)
    delivery = await only_delivery(runtime, webhook)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("retrying", 1, 500)
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at > runtime.clock.now()

    await drain(runtime)  # backoff: nothing is due yet
    assert len(receiver.received) == 1

    await later(runtime)
    await later(runtime)
    assert [r.valid for r in receiver.received] == [True, True, True]
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1, "one delivery id across retries"

    delivery = await only_delivery(runtime, webhook)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 204)
    assert delivery.last_error is None
    attempts = await delivery_attempts(runtime, delivery.id)
    assert [a.status_code for a in attempts] == [500, 500, 204]
    assert [a.error for a in attempts] == ["HTTP 500: receiver is down", "HTTP 500: receiver is down", None]
    assert attempts[0].at < attempts[1].at < attempts[2].at
    assert await job_statuses(runtime) == ["done"]


async def test_a_timeout_is_logged_as_an_error_and_retried(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    async def impatient(job: Job, runtime: Runtime) -> None:
        await webhook_delivery.deliver(
            webhook_delivery.delivery_id_of(job),
            runtime,
            attempt=job.attempts,
            max_attempts=job.max_attempts,
            request_timeout=1.0,
        )

    handlers = {**core_handlers(), WEBHOOK_DELIVER: JobHandler(impatient, webhook_delivery.give_up)}
    webhook = await hook(runtime, sender_id, receiver, "slow", ("delivered",))
    await send(runtime, sender_id)

    receiver.stalling = True
    await drain(runtime, handlers)
    receiver.stalling = False
    delivery = await only_delivery(runtime, webhook)
    assert (delivery.status, delivery.last_status_code) == ("retrying", None)
    [attempt] = await delivery_attempts(runtime, delivery.id)
    assert attempt.status_code is None
    assert attempt.error == "timeout: no answer within 1 s"
    assert 900 <= attempt.duration_ms < 4000

    await later(runtime, handlers)
    delivery = await only_delivery(runtime, webhook)
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


async def test_an_unreachable_receiver_is_logged_as_an_error(runtime: Runtime, sender_id: uuid.UUID) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    webhook, _ = await add_webhook(runtime, sender_id, f"http://127.0.0.1:{port}/gone", ["delivered"])
    await send(runtime, sender_id)
    await drain(runtime)

    delivery = await only_delivery(runtime, webhook)
    [attempt] = await delivery_attempts(runtime, delivery.id)
    assert delivery.status == "retrying"
    assert attempt.status_code is None
    assert attempt.error is not None
    assert attempt.error.startswith("ConnectError")


async def test_the_last_failed_attempt_marks_the_delivery_failed(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    webhook = await hook(runtime, sender_id, receiver, "down", ("delivered",))
    receiver.fail_next = 1000
    await send(runtime, sender_id)
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(update(schema.jobs).values(max_attempts=2))

    await drain(runtime)
    await later(runtime)
    await later(runtime)

    assert len(receiver.received) == 2
    delivery = await only_delivery(runtime, webhook)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert delivery.last_error == "HTTP 500: receiver is down"
    assert await job_statuses(runtime) == ["dead"]


# --- Idempotency and redelivery -------------------------------------------------------


async def test_a_delivered_delivery_is_not_sent_again_by_a_stray_job(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    webhook = await hook(runtime, sender_id, receiver, "once", ("delivered",))
    await send(runtime, sender_id)
    await drain(runtime)
    delivery = await only_delivery(runtime, webhook)

    async with runtime.unit_of_work() as uow:
        now = runtime.clock.now()
        await uow.jobs.enqueue(WEBHOOK_DELIVER, {"delivery_id": str(delivery.id)}, now=now)
    await drain(runtime)

    assert len(receiver.received) == 1
    assert (await only_delivery(runtime, webhook)).attempts == 1


async def test_redelivery_sends_the_same_delivery_again(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    webhook = await hook(runtime, sender_id, receiver, "again", ("delivered",))
    await send(runtime, sender_id)
    await drain(runtime)
    delivery = await only_delivery(runtime, webhook)

    for sends in (2, 3):
        reset = await redeliver(runtime, delivery.id, sender_id=sender_id)
        assert reset.status == "pending"
        assert (await only_delivery(runtime, webhook)).status == "pending"
        await drain(runtime)
        assert len(receiver.received) == sends

    assert all(r.valid for r in receiver.received)
    assert {r.headers["webhook-id"] for r in receiver.received} == {str(delivery.id)}
    assert len({r.json["id"] for r in receiver.received}) == 1
    delivery = await only_delivery(runtime, webhook)
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    assert [a.status_code for a in await delivery_attempts(runtime, delivery.id)] == [204, 204, 204]


async def test_an_inactive_webhook_cancels_its_queued_deliveries(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    webhook = await hook(runtime, sender_id, receiver, "paused")
    await send(runtime, sender_id)
    paused = await set_active(runtime, webhook.id, False, sender_id=sender_id)
    assert not paused.active
    await drain(runtime)

    assert receiver.received == []
    deliveries = await list_deliveries(runtime, webhook_id=webhook.id)
    assert [(d.status, d.attempts, d.last_error) for d in deliveries] == [
        ("cancelled", 0, "the webhook is inactive")
    ] * 3
    assert await job_statuses(runtime) == ["done"] * 3
    with pytest.raises(Conflict):
        await redeliver(runtime, deliveries[0].id)

    await send(runtime, sender_id, "letter-2")  # no deliveries for a paused webhook
    assert len(await list_deliveries(runtime, webhook_id=webhook.id)) == 3

    await set_active(runtime, webhook.id, True)
    await redeliver(runtime, deliveries[0].id)
    await drain(runtime)
    assert [r.headers["webhook-id"] for r in receiver.received] == [str(deliveries[0].id)]


async def test_webhooks_receive_only_the_event_types_they_subscribe_to(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    everything = await hook(runtime, sender_id, receiver, "everything")
    delivered = await hook(runtime, sender_id, receiver, "delivered", ("delivered", "shipment.routed"))
    opened = await hook(runtime, sender_id, receiver, "opened", ("shipment.opened",))
    assert delivered.event_types == ("delivered", "routed")
    await send(runtime, sender_id)
    await drain(runtime)

    def types(name: str) -> list[str]:
        return sorted(r.json["type"] for r in receiver.by_hook(name))

    assert types("everything") == ["shipment.created", "shipment.delivered", "shipment.routed"]
    assert types("delivered") == ["shipment.delivered", "shipment.routed"]
    assert types("opened") == []
    assert all(r.valid for r in receiver.received)
    counts = [len(await list_deliveries(runtime, webhook_id=w.id)) for w in (everything, delivered, opened)]
    assert counts == [3, 2, 0]


# --- Managing webhooks -----------------------------------------------------------------


INVALID_WEBHOOKS = [
    ("ftp://example.com/hook", ("*",), "url"),
    ("/relative/hook", ("*",), "url"),
    ("https://", ("*",), "url"),
    ("https://example.com:port/", ("*",), "url"),
    ("https://example.com/" + "x" * 2000, ("*",), "url"),
    ("https://example.com/hook", ("deliverd",), "event_types"),
    ("https://example.com/hook", (), "event_types"),
]


async def test_add_webhook_validates_its_input(runtime: Runtime, sender_id: uuid.UUID) -> None:
    for url, types, field_name in INVALID_WEBHOOKS:
        with pytest.raises(ValidationFailed) as caught:
            await add_webhook(runtime, sender_id, url, types)
        assert [e.field for e in caught.value.errors] == [field_name], url
    assert await list_webhooks(runtime, sender_id) == []


async def test_webhooks_and_deliveries_are_scoped_to_their_sender(
    runtime: Runtime, sender_id: uuid.UUID, receiver: Receiver
) -> None:
    with pytest.raises(NotFound):
        await add_webhook(runtime, uuid.uuid4(), "https://example.com/hook")
    webhook = await hook(runtime, sender_id, receiver, "mine", ("*", "delivered"))
    assert webhook.event_types == ("*",)
    assert webhook.secret == receiver.secrets["mine"]
    assert await list_webhooks(runtime, sender_id) == [webhook]
    assert await list_webhooks(runtime, uuid.uuid4()) == []

    await send(runtime, sender_id)
    [delivery, *_] = await list_deliveries(runtime, sender_id=sender_id, limit=1)
    stranger = uuid.uuid4()
    assert await list_deliveries(runtime, sender_id=stranger) == []
    with pytest.raises(NotFound):
        await delivery_attempts(runtime, delivery.id, sender_id=stranger)
    with pytest.raises(NotFound):
        await redeliver(runtime, delivery.id, sender_id=stranger)
    with pytest.raises(NotFound):
        await set_active(runtime, webhook.id, False, sender_id=stranger)
    assert await delivery_attempts(runtime, delivery.id, sender_id=sender_id) == []

"""What a webhook delivery carries across retries and what its log keeps of each attempt.

Every format names the delivery with an id that a retry repeats (Standard Webhooks' ``webhook-id``;
the ``id`` of an Ekopost or CloudEvents body), so a receiver can de-duplicate. The log keeps each
attempt's request as sent (signature headers included, never the secret) and the response as
received, bodies cut at 64 KiB with the cut noted. A test event goes out in every format.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.domain.webhook_formats import WebhookFormat
from postbud.jobs.worker import Worker
from postbud.plugins.registry import default_dialects
from postbud.services.letters.send_letter import send_letter
from postbud.services.runtime import Runtime
from postbud.webhooks import deliver as webhook_delivery
from postbud.webhooks import hmac_sha1
from postbud.webhooks.exchange import BODY_LIMIT
from postbud.webhooks.manage import add_webhook, delivery_attempts, list_deliveries, send_test_event
from postbud.webhooks.signing import verify
from tests.integration.core_helpers import add_recipients, add_sender, letter, runtime_for
from tests.integration.webhook_receiver import FAILURE_TEXT, HookReceiver, hook_receiver

pytestmark = pytest.mark.anyio


@pytest.fixture
def receiver() -> Iterator[HookReceiver]:
    with hook_receiver() as receiver:
        yield receiver


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        yield runtime
    finally:
        await webhook_delivery.close_http_client()
        await runtime.close()


async def _work(runtime: Runtime) -> None:
    worker = Worker(runtime, default_dialects().job_handlers())
    while await worker.run_once():
        pass


async def _later(runtime: Runtime) -> None:
    runtime.clock.advance(timedelta(hours=1))
    await _work(runtime)


async def _send(runtime: Runtime, sender_id: uuid.UUID) -> uuid.UUID:
    return (await send_letter(letter(sender_id), runtime)).shipment.id


def _delivery_id_in(format: WebhookFormat, headers: dict[str, str], body: bytes) -> str:
    """Where a receiver of each format finds the id to de-duplicate on."""
    if format is WebhookFormat.EKOPOST:
        return str(json.loads(body)["id"])
    if format is WebhookFormat.CLOUDEVENTS:
        return f"{headers['webhook-id']}/{json.loads(body)['id']}"
    return headers["webhook-id"]


@pytest.mark.parametrize("format", list(WebhookFormat))
async def test_a_retry_carries_the_same_id_as_the_first_attempt(
    runtime: Runtime, receiver: HookReceiver, format: WebhookFormat
) -> None:
    await add_recipients(runtime)
    sender_id = await add_sender(runtime)
    webhook, secret = await add_webhook(runtime, sender_id, receiver.url("h"), ["delivered"], format=format)
    receiver.fail_first["h"] = 2
    await _send(runtime, sender_id)
    await _work(runtime)
    await _later(runtime)
    await _later(runtime)

    arrivals = receiver.at("h")
    assert len(arrivals) == 3
    assert len({_delivery_id_in(format, a.headers, a.body) for a in arrivals}) == 1
    [delivery] = await list_deliveries(runtime, webhook_id=webhook.id)
    assert (delivery.status, delivery.attempts) == ("delivered", 3)
    if format is WebhookFormat.EKOPOST:
        for arrival in arrivals:
            signature = arrival.headers[hmac_sha1.SIGNATURE_HEADER.lower()]
            assert hmac_sha1.is_valid(secret, arrival.body, signature)
    else:
        assert {a.headers["webhook-id"] for a in arrivals} == {str(delivery.id)}
        for arrival in arrivals:
            verify(secret, arrival.headers, arrival.body)


async def test_each_attempt_logs_its_request_and_response_but_never_the_secret(
    runtime: Runtime, receiver: HookReceiver
) -> None:
    await add_recipients(runtime)
    sender_id = await add_sender(runtime)
    webhook, secret = await add_webhook(runtime, sender_id, receiver.url("log"), ["delivered"])
    receiver.fail_first["log"] = 1
    await _send(runtime, sender_id)
    await _work(runtime)
    await _later(runtime)

    [delivery] = await list_deliveries(runtime, webhook_id=webhook.id)
    attempts = await delivery_attempts(runtime, delivery.id)
    arrivals = receiver.at("log")
    assert [a.status_code for a in attempts] == [500, 204]
    for attempt, arrival in zip(attempts, arrivals, strict=True):
        sent = attempt.exchange
        assert (sent.request_method, sent.request_url) == ("POST", receiver.url("log"))
        assert sent.request_headers is not None
        assert {k.lower(): v for k, v in sent.request_headers.items()} == arrival.headers
        assert sent.request_headers["webhook-signature"].startswith("v1,")
        assert sent.request_body == arrival.body.decode()
        assert not sent.request_body_truncated
        assert secret not in json.dumps(sent.request_headers) + (sent.request_body or "")
    failed, delivered = attempts[0].exchange, attempts[1].exchange
    assert failed.response_body == FAILURE_TEXT
    assert failed.response_headers is not None
    assert failed.response_headers["x-receiver"] == "failing"
    assert delivered.response_body == ""
    assert delivered.response_headers is not None
    assert delivered.response_headers["x-receiver"] == "ok"
    assert not failed.response_body_truncated


async def test_a_large_response_body_is_cut_at_64_KiB_and_the_cut_noted(
    runtime: Runtime, receiver: HookReceiver
) -> None:
    await add_recipients(runtime)
    sender_id = await add_sender(runtime)
    webhook, _ = await add_webhook(runtime, sender_id, receiver.url("big"), ["delivered"])
    receiver.answer_bytes = BODY_LIMIT + 10_000
    await _send(runtime, sender_id)
    await _work(runtime)

    [delivery] = await list_deliveries(runtime, webhook_id=webhook.id)
    [attempt] = await delivery_attempts(runtime, delivery.id)
    assert delivery.status == "delivered"
    assert attempt.exchange.response_body == "x" * BODY_LIMIT
    assert attempt.exchange.response_body_truncated
    assert not attempt.exchange.request_body_truncated


@pytest.mark.parametrize("format", list(WebhookFormat))
async def test_a_test_event_goes_out_signed_in_each_format(
    runtime: Runtime, receiver: HookReceiver, format: WebhookFormat
) -> None:
    sender_id = await add_sender(runtime)
    webhook, secret = await add_webhook(runtime, sender_id, receiver.url("t"), format=format)
    delivery = await send_test_event(runtime, webhook.id)
    assert delivery.is_test
    await _work(runtime)

    [arrival] = receiver.at("t")
    body = json.loads(arrival.body)
    if format is WebhookFormat.EKOPOST:
        assert hmac_sha1.is_valid(secret, arrival.body, arrival.headers["x-ekopost-signature"])
        assert (body["event"], body["id"]) == ("test", str(delivery.id))
    else:
        verify(secret, arrival.headers, arrival.body)
        assert arrival.headers["webhook-id"] == str(delivery.id)
    if format is WebhookFormat.CLOUDEVENTS:
        assert (body["specversion"], body["type"]) == ("1.0", "no.postbud.webhook.test")
    else:
        assert body["type"] == "webhook.test"
    [logged] = await list_deliveries(runtime, webhook_id=webhook.id)
    assert (logged.status, logged.is_test) == ("delivered", True)

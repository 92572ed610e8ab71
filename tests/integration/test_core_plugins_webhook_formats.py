"""Each webhook format, delivered to a real local receiver and verified here with an independent
HMAC: Standard Webhooks (HMAC-SHA256 over id.timestamp.body), Ekopost (X-Ekopost-Signature, the hex
HMAC-SHA1 of the body keyed by the secret's text), CloudEvents 1.0 structured JSON signed as Standard
Webhooks. Letter events and batch events alike; a dialect's renderer replaces the core's body."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from postbud.app import create_app
from postbud.bootstrap import build_runtime
from postbud.cli import app as cli
from postbud.config import Settings
from postbud.dialects.digipost.plugin import DigipostPlugin
from postbud.domain.batches import Batch, BatchEvent, BatchState, BatchStatus
from postbud.domain.errors import ValidationFailed
from postbud.domain.identifiers import parse_party_id
from postbud.domain.webhook_formats import WebhookFormat
from postbud.jobs.registry import JobHandler
from postbud.jobs.worker import Worker
from postbud.plugins.protocol import Credentials, DialectRoutes, RuntimeOf
from postbud.plugins.registry import DialectRegistry
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.webhooks import deliver as webhook_delivery
from postbud.webhooks.formats import RenderContext, Renderer
from postbud.webhooks.manage import add_webhook, delivery_attempts, list_deliveries
from postbud.webhooks.notices import BatchNotice, Notice
from tests.integration.core_helpers import add_sender_with_a_reader
from tests.integration.core_plugins_receiver import ReceivedRequest, RecordingReceiver, recording_receiver
from tests.real_pdf import real_pdf

pytestmark = pytest.mark.anyio

PERSON = "15108695088"
DIGIPOST_ONLY = DialectRegistry([DigipostPlugin()])
"""The core's renderings: no dialect here renders a webhook format (the Ekopost and Altinn ones may)."""


@pytest.fixture
def receiver() -> Iterator[RecordingReceiver]:
    with recording_receiver() as receiver:
        yield receiver


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(
        Settings(data_dir=tmp_path, database_url=database_url, public_url="https://postbud.example")
    )
    try:
        yield runtime
    finally:
        await webhook_delivery.close_http_client()
        await runtime.close()


@pytest.fixture
async def sender_id(runtime: Runtime) -> uuid.UUID:
    return await add_sender_with_a_reader(runtime)


async def send(runtime: Runtime, sender_id: uuid.UUID) -> uuid.UUID:
    document = DocumentInput(content=real_pdf("hei"), file_type="pdf", mime="application/pdf", title="Hei")
    cmd = SendLetter(
        sender_id=sender_id,
        dialect="platform",
        recipient=parse_party_id(PERSON),
        external_id="letter-1",
        documents=(document,),
    )
    return (await send_letter(cmd, runtime)).shipment.id


async def drain(runtime: Runtime, handlers: dict[str, JobHandler]) -> None:
    worker = Worker(runtime, handlers)
    while await worker.run_once():
        pass


# --- Independent verification: the specs, not Postbud's code ------------------------------------


def standard_webhooks_valid(secret: str, request: ReceivedRequest) -> bool:
    """Standard Webhooks v1: base64 HMAC-SHA256, key = base64 after 'whsec_', over id.timestamp.body."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = (
        f"{request.headers['webhook-id']}.{request.headers['webhook-timestamp']}.".encode() + request.body
    )
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [s.split(",", 1) for s in request.headers["webhook-signature"].split()]
    return any(version == "v1" and hmac.compare_digest(value, expected) for version, value in offered)


def ekopost_valid(secret: str, request: ReceivedRequest) -> bool:
    expected = hmac.new(secret.encode("utf-8"), request.body, hashlib.sha1).hexdigest()
    return hmac.compare_digest(request.headers["x-ekopost-signature"], expected)


# --- Letter events in each format -----------------------------------------------------------------


async def test_standard_format_is_signed_as_standard_webhooks(
    runtime: Runtime, sender_id: uuid.UUID, receiver: RecordingReceiver
) -> None:
    webhook, secret = await add_webhook(runtime, sender_id, receiver.url("std"), ["created"])
    assert webhook.format is WebhookFormat.STANDARD
    assert secret.startswith("whsec_")
    shipment_id = await send(runtime, sender_id)
    await drain(runtime, DIGIPOST_ONLY.job_handlers())

    [request] = receiver.at("std")
    assert request.headers["content-type"] == "application/json"
    assert standard_webhooks_valid(secret, request)
    assert not standard_webhooks_valid(
        secret, ReceivedRequest(request.path, request.headers, request.body + b" ")
    )
    body = json.loads(request.body)
    assert body["type"] == "shipment.created"
    assert body["data"]["shipment_id"] == str(shipment_id)


async def test_ekopost_format_carries_the_hex_hmac_sha1_of_the_body(
    runtime: Runtime, sender_id: uuid.UUID, receiver: RecordingReceiver
) -> None:
    webhook, secret = await add_webhook(
        runtime, sender_id, receiver.url("eko"), ["created"], format="ekopost"
    )
    assert webhook.format is WebhookFormat.EKOPOST
    shipment_id = await send(runtime, sender_id)
    await drain(runtime, DIGIPOST_ONLY.job_handlers())

    [request] = receiver.at("eko")
    signature = request.headers["x-ekopost-signature"]
    assert len(signature) == 40
    assert signature == signature.lower()
    assert ekopost_valid(secret, request)
    assert not ekopost_valid(secret + "x", request)
    assert "webhook-signature" not in request.headers
    assert json.loads(request.body)["data"]["shipment_id"] == str(shipment_id)


async def test_cloudevents_format_is_a_structured_cloudevent_signed_as_standard_webhooks(
    runtime: Runtime, sender_id: uuid.UUID, receiver: RecordingReceiver
) -> None:
    _, secret = await add_webhook(runtime, sender_id, receiver.url("ce"), ["created"], format="cloudevents")
    shipment_id = await send(runtime, sender_id)
    await drain(runtime, DIGIPOST_ONLY.job_handlers())

    [request] = receiver.at("ce")
    assert request.headers["content-type"] == "application/cloudevents+json"
    assert standard_webhooks_valid(secret, request)
    event = json.loads(request.body)
    # CloudEvents 1.0: the required context attributes, lower-case names, JSON data.
    assert event["specversion"] == "1.0"
    assert event["id"]
    assert event["type"] == "no.postbud.shipment.created"
    assert event["source"] == f"https://postbud.example/api/v1/shipments/{shipment_id}"
    assert datetime.fromisoformat(event["time"]).tzinfo is not None
    assert event["datacontenttype"] == "application/json"
    assert event["data"]["shipment_id"] == str(shipment_id)
    assert all(name.isalnum() and name.islower() for name in event)


async def test_a_failed_attempt_is_retried_with_the_same_signed_event(
    runtime: Runtime, sender_id: uuid.UUID, receiver: RecordingReceiver
) -> None:
    webhook, secret = await add_webhook(
        runtime, sender_id, receiver.url("ce"), ["created"], format="cloudevents"
    )
    receiver.fail_next = 1
    await send(runtime, sender_id)
    handlers = DIGIPOST_ONLY.job_handlers()
    await drain(runtime, handlers)
    [delivery] = await list_deliveries(runtime, sender_id, webhook.id)
    assert delivery.status == "retrying"
    runtime.clock.advance(timedelta(hours=1))
    await drain(runtime, handlers)

    first, second = receiver.at("ce")
    assert standard_webhooks_valid(secret, first)
    assert standard_webhooks_valid(secret, second)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == str(delivery.id)
    assert json.loads(first.body) == json.loads(second.body)  # one event, so one CloudEvents id
    [done] = await list_deliveries(runtime, sender_id, webhook.id)
    assert (done.status, done.attempts) == ("delivered", 2)
    assert [a.status_code for a in await delivery_attempts(runtime, done.id)] == [500, 204]


async def test_an_unknown_format_is_refused(runtime: Runtime, sender_id: uuid.UUID) -> None:
    with pytest.raises(ValidationFailed) as raised:
        await add_webhook(runtime, sender_id, "https://example.com/hook", ["*"], format="xml")
    assert raised.value.first.field == "format"


# --- Batch events, and a dialect's own rendering ---------------------------------------------------


async def _completed_batch(runtime: Runtime, sender_id: uuid.UUID) -> Batch:
    now = runtime.clock.now()
    batch = Batch(
        id=uuid.uuid4(),
        sender_id=sender_id,
        dialect="platform",
        external_id="campaign-1",
        status=BatchStatus.COMPLETED,
        created_at=now,
        updated_at=now,
        name="Årsoppgave",
        state=BatchState.COMPLETED,
    )
    async with runtime.unit_of_work() as uow:
        await uow.batches.add(batch)
        event = BatchEvent(uuid.uuid4(), batch.id, sender_id, BatchState.COMPLETED, now)
        assert await uow.batches.record_event(event, await uow.events.subscriptions(sender_id))
    return batch


class CampaignDialect:
    """A toy dialect that renders a completed batch as a "campaign completed" document."""

    name = "campaigns"
    credentials = Credentials()

    def routes(self, runtime_of: RuntimeOf) -> DialectRoutes:
        return DialectRoutes()

    def job_handlers(self) -> Mapping[str, JobHandler]:
        return {}

    def webhook_renderers(self) -> Mapping[WebhookFormat, Renderer]:
        def campaign_completed(notice: Notice, context: RenderContext) -> Mapping[str, Any] | None:
            if not isinstance(notice, BatchNotice):
                return None  # letters' events: the core's body
            return {
                "campaign_id": notice.batch.external_id,
                "state": notice.batch.state.value,
                "envelopes": [
                    {"id": str(letter.id), "status": letter.status.value} for letter in notice.letters
                ],
            }

        return {WebhookFormat.EKOPOST: campaign_completed}


async def test_a_batch_event_reaches_a_subscription_in_the_dialects_rendering(
    runtime: Runtime, sender_id: uuid.UUID, receiver: RecordingReceiver
) -> None:
    _, secret = await add_webhook(
        runtime, sender_id, receiver.url("campaign"), ["batch.completed"], format="ekopost"
    )
    _, std_secret = await add_webhook(runtime, sender_id, receiver.url("std"), ["batch.*"])
    batch = await _completed_batch(runtime, sender_id)
    registry = DialectRegistry([DigipostPlugin(), CampaignDialect()])
    await drain(runtime, registry.job_handlers())

    [campaign] = receiver.at("campaign")
    assert ekopost_valid(secret, campaign)
    assert json.loads(campaign.body) == {"campaign_id": "campaign-1", "state": "completed", "envelopes": []}
    [standard] = receiver.at("std")  # no dialect renders the standard format: the core's body
    assert standard_webhooks_valid(std_secret, standard)
    body = json.loads(standard.body)
    assert body["type"] == "batch.completed"
    assert body["data"]["batch_id"] == str(batch.id)
    assert body["data"]["state"] == "completed"


async def test_without_the_dialect_the_core_renders_the_batch_event(
    runtime: Runtime, sender_id: uuid.UUID, receiver: RecordingReceiver
) -> None:
    _, secret = await add_webhook(
        runtime, sender_id, receiver.url("campaign"), ["batch.completed"], format="ekopost"
    )
    await _completed_batch(runtime, sender_id)
    await drain(runtime, DIGIPOST_ONLY.job_handlers())

    [request] = receiver.at("campaign")
    assert ekopost_valid(secret, request)
    assert json.loads(request.body)["type"] == "batch.completed"


def test_two_dialects_may_not_render_the_same_format() -> None:
    with pytest.raises(ValueError, match="two renderers"):
        DialectRegistry([CampaignDialect(), _Renamed()]).webhook_formats()


class _Renamed(CampaignDialect):
    name = "campaigns-too"


# --- Choosing the format on the command line and in the platform API --------------------------------


def test_the_format_is_chosen_with_the_cli_and_the_api(tmp_path: Path, database_url: str) -> None:
    place = ["--data-dir", str(tmp_path), "--database-url", database_url]
    added = CliRunner().invoke(
        cli, ["senders", "add", "--name", "Skatteverket", "--orgnr", "5560360793", *place]
    )
    assert added.exit_code == 0, added.stderr
    hook = ["webhooks", "add", "--sender", "5560360793", "--url", "https://example.com/hook", "--event"]
    made = CliRunner().invoke(cli, [*hook, "batch.completed", "--format", "ekopost", "--json", *place])
    assert made.exit_code == 0, made.stderr
    created = json.loads(made.stdout)
    assert created["webhook"]["format"] == "ekopost"
    assert created["webhook"]["event_types"] == ["batch.completed"]
    assert len(created["secret"]) == 64
    int(created["secret"], 16)  # hex: the HMAC key is the secret's text
    wrong = CliRunner().invoke(cli, [*hook, "*", "--format", "xml", *place])
    assert wrong.exit_code != 0

    admin = {"Authorization": "Bearer test-admin-token"}
    settings = Settings(data_dir=tmp_path, database_url=database_url, admin_token="test-admin-token")
    with TestClient(create_app(settings)) as client:
        sender_id = created["webhook"]["sender_id"]
        body = {"sender_id": sender_id, "url": "https://example.com/ce", "format": "cloudevents"}
        response = client.post("/api/v1/webhooks", json=body, headers=admin)
        assert response.status_code == 201, response.text
        assert response.json()["webhook"]["format"] == "cloudevents"
        assert response.json()["secret"].startswith("whsec_")
        listed = client.get("/api/v1/webhooks", params={"sender_id": sender_id}, headers=admin).json()
        assert sorted(w["format"] for w in listed) == ["cloudevents", "ekopost"]
        refused = client.post("/api/v1/webhooks", json={**body, "format": "xml"}, headers=admin)
        assert refused.status_code == 400
        assert "format" in {e["field"] for e in refused.json()["errors"]}

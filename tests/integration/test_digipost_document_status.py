"""GET /documents/{senderId}/{uuid}/status, as Java (hard-coded path) and .NET (link + uuid) call it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from lxml import etree

from postbud.dialects.digipost.document_status import delivery_of
from postbud.dialects.digipost.schema import validate
from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus, derive_status
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.record_event import record_events
from tests.integration.digipost_client import V8, SignedClient, sha256_b64
from tests.integration.digipost_fixtures import (
    BROKER,
    MAILBOX_PERSON,
    PAPER_PERSON,
    a_pdf,
    client,
    error_code,
)
from tests.integration.digipost_requests import request, valid_v8

__all__ = ["client"]

V7 = "http://api.digipost.no/schema/v7"
PIN = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
PRINT_DETAILS = (
    "<print-details><recipient><name>Kari Nordmann</name><norwegian-address>"
    "<addressline1>Storgata 1</addressline1><zip-code>0155</zip-code><city>Oslo</city>"
    "</norwegian-address></recipient><return-address><name>Testkommune</name><norwegian-address>"
    "<zip-code>0150</zip-code><city>Oslo</city></norwegian-address></return-address></print-details>"
)


def _document(tag: str, doc: str, extra: str = "") -> str:
    return f"<{tag}><uuid>{doc}</uuid><subject>Vedtak</subject><file-type>pdf</file-type>{extra}</{tag}>"


def send(
    client: SignedClient,
    recipient: str,
    *,
    primary_extra: str = "",
    attachments: int = 0,
    before_primary: str = "",
) -> tuple[str, list[str], dict[str, bytes]]:
    primary = str(uuid.uuid4())
    others = [str(uuid.uuid4()) for _ in range(attachments)]
    xml = (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id><recipient>{recipient}</recipient>'
        f"{before_primary}{_document('primary-document', primary, primary_extra)}"
        + "".join(_document("attachment", a) for a in others)
        + "</message>"
    )
    contents = {name: a_pdf(name) for name in [primary, *others]}
    response = client.send(xml, contents)
    assert response.status_code == 201, response.text
    return primary, others, contents


def status(client: SignedClient, document: str, *, suffix: str = "/status", accept: str | None = None) -> Any:
    path = f"/digipost/documents/{BROKER}/{document}{suffix}"
    if accept is None:
        response = request(client, "GET", path)
    else:
        response = client.http.get(path, headers={**client.headers("GET", path, None), "Accept": accept})
    client.verify(response, path)
    return response


def record(client: SignedClient, document: str, *drafts: EventDraft) -> None:
    async def go() -> None:
        runtime = client.runtime_of()
        async with runtime.unit_of_work() as uow:
            sender = await uow.senders.by_digipost_id(BROKER)
            found = await uow.shipments.by_document_external_id(sender.id, document)
            shipment = await uow.shipments.get(found.id, for_update=True)
            await record_events(uow, shipment, list(drafts), now=runtime.clock.now())

    client.run(go)


def run_jobs(client: SignedClient) -> None:
    worker = Worker(client.runtime_of(), core_handlers())
    while client.run(worker.run_once):
        pass


def test_a_delivered_letter_with_an_attachment_and_an_opening_receipt(client: SignedClient) -> None:
    doc, (attachment,), contents = send(
        client, PIN, primary_extra="<opening-receipt>kvittering</opening-receipt>", attachments=1
    )
    root = valid_v8(status(client, doc))
    assert root.tag == f"{{{V8}}}document-status"
    assert root.get("uuid") == doc
    assert root.get("sender-id") == str(BROKER)
    assert (root.get("status"), root.get("channel"), root.get("read")) == ("DELIVERED", "DIGIPOST", "N")
    assert root.get("is-primary-document") == "true"
    assert root.get("content-hash") == sha256_b64(contents[doc])
    assert root.get("content-hash-algorithm") == "SHA256"
    assert datetime.fromisoformat(root.get("delivered") or "") >= datetime.fromisoformat(
        root.get("created") or ""
    )
    (nested,) = root.findall(f"{{{V8}}}attachments")
    assert nested.get("uuid") == attachment
    assert nested.get("is-primary-document") == "false"
    assert nested.get("read") is None  # no opening receipt was asked for on the attachment
    assert nested.get("content-hash") == sha256_b64(contents[attachment])

    record(client, doc, EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX, {}, "opened"))
    assert valid_v8(status(client, doc)).get("read") == "Y"


@pytest.mark.parametrize("entrypoint", ["/digipost/", f"/digipost/{BROKER}"])
def test_net_appends_the_uuid_to_the_entrypoint_link(client: SignedClient, entrypoint: str) -> None:
    doc, _, _ = send(client, PIN)
    response = request(client, "GET", entrypoint)
    client.verify(response, entrypoint)
    links = [
        ((link.get("rel") or "").rsplit("/", 1)[1], link.get("uri") or "")
        for link in valid_v8(response).iter(f"{{{V8}}}link")
    ]
    (uri,) = [uri for rel, uri in links if rel == "document_status"]  # .NET keys links by relation
    assert uri.endswith("/")
    path = uri[uri.index("/digipost/") :] + doc
    response = request(client, "GET", path)
    client.verify(response, path)
    root = valid_v8(response)
    assert (root.get("uuid"), root.get("status")) == (doc, "DELIVERED")


def test_an_attachment_reports_itself_only(client: SignedClient) -> None:
    _, (attachment,), _ = send(client, PIN, attachments=1)
    root = valid_v8(status(client, attachment))
    assert (root.get("uuid"), root.get("is-primary-document")) == (attachment, "false")
    assert root.findall(f"{{{V8}}}attachments") == []


def test_a_print_letter_is_delivered_to_print_from_the_start(client: SignedClient) -> None:
    recipient = (
        f"<personal-identification-number>{PAPER_PERSON}</personal-identification-number>{PRINT_DETAILS}"
    )
    doc, _, _ = send(client, recipient)
    before = valid_v8(status(client, doc))
    assert (before.get("status"), before.get("channel")) == ("DELIVERED", "PRINT")
    assert before.get("delivered") is not None
    run_jobs(client)
    after = valid_v8(status(client, doc))
    assert (after.get("status"), after.get("channel")) == ("DELIVERED", "PRINT")
    assert after.get("delivered") is not None


def test_a_letter_held_for_its_delivery_time_is_not_delivered_yet(client: SignedClient) -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat(timespec="milliseconds")
    doc, _, _ = send(client, PIN, before_primary=f"<delivery-time>{later}</delivery-time>")
    root = valid_v8(status(client, doc))
    assert (root.get("status"), root.get("channel")) == ("NOT_DELIVERED", "DIGIPOST")
    assert root.get("delivered") is None


def test_v7_clients_get_the_v7_namespace(client: SignedClient) -> None:
    doc, _, _ = send(client, PIN)
    root = etree.fromstring(status(client, doc, accept="application/vnd.digipost-v7+xml").content)
    assert root.tag == f"{{{V7}}}document-status"
    assert validate(root, 7) == []


@pytest.mark.parametrize("which", ["unknown uuid", "another sender", "not a sender id"])
def test_documents_the_broker_may_not_see_are_not_found(client: SignedClient, which: str) -> None:
    doc, _, _ = send(client, PIN)
    sender, document = {
        "unknown uuid": (str(BROKER), str(uuid.uuid4())),
        "another sender": ("999999", doc),
        "not a sender id": ("abc", doc),
    }[which]
    path = f"/digipost/documents/{sender}/{document}/status"
    response = request(client, "GET", path)
    client.verify(response, path)
    assert response.status_code == 404
    assert error_code(response) == "DOCUMENT_NOT_FOUND"


# ---- the mapping from core state, without HTTP


NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


def _shipment(channel: Channel | None, events: list[EventType]) -> tuple[Shipment, list[ShipmentEvent]]:
    shipment_id, sender_id = uuid.uuid4(), uuid.uuid4()
    log = [
        ShipmentEvent(uuid.uuid4(), shipment_id, sender_id, kind, NOW + timedelta(minutes=i))
        for i, kind in enumerate(events)
    ]
    document = Document(uuid.uuid4(), 0, str(uuid.uuid4()), "Brev", "pdf", "application/pdf", "00" * 32, 1)
    shipment = Shipment(
        shipment_id,
        sender_id,
        "digipost",
        None,
        None,
        None,
        None,
        (Channel.DIGITAL_MAILBOX,),
        (document,),
        NOW,
        channel=channel,
        status=derive_status(log) or ShipmentStatus.ACCEPTED,
    )
    return shipment, log


E = EventType


@pytest.mark.parametrize(
    ("channel", "events", "expected"),
    [
        (Channel.DIGITAL_MAILBOX, [E.CREATED, E.ROUTED, E.DELIVERED], (True, "DIGIPOST", 2)),
        (Channel.DIGITAL_MAILBOX, [E.CREATED, E.ROUTED, E.DELIVERED, E.OPENED], (True, "DIGIPOST", 2)),
        # print-if-unread: the digital delivery counts, also when the paper copy fails
        (Channel.PRINT, [E.CREATED, E.ROUTED, E.DELIVERED, E.ROUTED, E.PRINT_FAILED], (True, "PRINT", 2)),
        (Channel.PRINT, [E.CREATED, E.ROUTED], (True, "PRINT", 1)),
        (Channel.PRINT, [E.CREATED, E.ROUTED, E.SENT_TO_PRINT, E.PRINTED, E.POSTED], (True, "PRINT", 2)),
        (Channel.PRINT, [E.CREATED, E.ROUTED, E.PRINT_FAILED], (False, "PRINT", None)),
        (Channel.EMAIL, [E.CREATED, E.ROUTED, E.DELIVERY_FAILED], (False, "EPOST", None)),
        (Channel.EINVOICE, [E.CREATED, E.ROUTED, E.DELIVERED], (True, "PEPPOL", 2)),
        (Channel.DIGITAL_MAILBOX, [E.CREATED, E.ROUTED, E.HELD], (False, "DIGIPOST", None)),
        (Channel.DIGITAL_MAILBOX, [E.CREATED, E.ROUTED, E.HELD, E.CANCELLED], (False, "DIGIPOST", None)),
        # waiting for registration: no channel yet
        (None, [E.CREATED, E.HELD], (False, "PENDING", None)),
        (None, [E.CREATED, E.HELD, E.EXPIRED], (False, None, None)),
    ],
)
def test_core_state_maps_to_digipost_delivery(
    channel: Channel | None, events: list[EventType], expected: tuple[bool, str | None, int | None]
) -> None:
    shipment, log = _shipment(channel, events)
    delivery = delivery_of(shipment, log)
    delivered, channel_name, delivered_index = expected
    assert (delivery.delivered, delivery.channel) == (delivered, channel_name)
    assert delivery.delivered_at == (log[delivered_index].at if delivered_index is not None else None)

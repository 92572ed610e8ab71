"""request-for-registration over the Digipost API: PENDING, the SMS, then digital, print or nothing."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from lxml import etree
from sqlalchemy import func, select

from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.sandbox.clock import advance_clock
from postbud.storage import schema
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import (
    BROKER,
    MAILBOX_PERSON,
    PAPER_PERSON,
    a_pdf,
    client,
    error_code,
    text,
)
from tests.integration.digipost_requests import request, valid_v8

__all__ = ["client"]

UNKNOWN_PERSON = "01010110013"  # valid check digits, not registered
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
PRINT_DETAILS = (
    "<print-details><recipient><name>Kari Nordmann</name><norwegian-address>"
    "<addressline1>Storgata 1</addressline1><zip-code>0155</zip-code><city>Oslo</city>"
    "</norwegian-address></recipient><return-address><name>Testkommune</name><norwegian-address>"
    "<zip-code>0150</zip-code><city>Oslo</city></norwegian-address></return-address></print-details>"
)


def _pin(person: str) -> str:
    return f"<personal-identification-number>{person}</personal-identification-number>"


def send(
    client: SignedClient,
    person: str,
    registration: str,
    *,
    recipient: str | None = None,
    document_extra: str = "",
) -> tuple[str, Any]:
    doc = str(uuid.uuid4())
    xml = (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id>'
        f"<recipient>{recipient or _pin(person)}</recipient>"
        f"<primary-document><uuid>{doc}</uuid><subject>Vedtak</subject><file-type>pdf</file-type>"
        f"{document_extra}</primary-document>{registration}</message>"
    )
    return doc, client.send(xml, {doc: a_pdf("Vedtak")})


def registration(*, seconds: int = 60, inner: str = "") -> str:
    deadline = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="milliseconds")
    return (
        f"<request-for-registration><registration-deadline>{deadline}</registration-deadline>"
        f"{inner}</request-for-registration>"
    )


def run_jobs(client: SignedClient) -> None:
    worker = Worker(client.runtime_of(), core_handlers())
    while client.run(worker.run_once):
        pass


def status(client: SignedClient, doc: str) -> etree._Element:
    path = f"/digipost/documents/{BROKER}/{doc}/status"
    response = request(client, "GET", path)
    client.verify(response, path)
    assert response.status_code == 200, response.text
    return valid_v8(response)


def document_events(client: SignedClient, doc: str) -> list[tuple[str | None, dict[str, str] | None]]:
    now = datetime.now(UTC)
    since, until = (
        quote(t.isoformat(timespec="milliseconds"), safe="")
        for t in (now - timedelta(minutes=10), now + timedelta(minutes=10))
    )
    path = "/digipost/documents/events"
    response = request(client, "GET", path, query=f"from={since}&to={until}&offset=0&maxResults=100")
    client.verify(response, path)
    found = []
    for event in valid_v8(response).findall(f"{{{V8}}}event"):
        if event.get("uuid") != doc:
            continue
        metadata = event.find(f"{{{V8}}}metadata")
        found.append((event.get("type"), None if metadata is None else dict(metadata.attrib)))
    return found


def core_events(client: SignedClient, doc: str) -> list[Any]:
    async def go() -> list[Any]:
        runtime = client.runtime_of()
        async with runtime.reader() as uow:
            sender = await uow.senders.by_digipost_id(BROKER)
            shipment = await uow.shipments.by_document_external_id(sender.id, doc)
            return await uow.events.for_shipment(shipment.id)

    result: list[Any] = client.run(go)
    return result


def register(client: SignedClient, person: str) -> None:
    client.run(register_recipient, RecipientInput(person, "Kari Nordmann", mailbox=True), client.runtime_of())


def advance(client: SignedClient, by: timedelta) -> None:
    client.run(advance_clock, client.runtime_of(), by)


def test_a_person_without_a_mailbox_is_asked_by_sms_and_gets_the_letter_on_registering(
    client: SignedClient,
) -> None:
    doc, response = send(
        client, UNKNOWN_PERSON, registration(seconds=3600, inner="<phone-number>91234567</phone-number>")
    )
    assert response.status_code == 201, response.text
    delivery = valid_v8(response)
    assert (text(delivery, "delivery-method"), text(delivery, "status")) == ("PENDING", "COMPLETE")
    assert text(delivery, "delivery-time") is None
    before = status(client, doc)
    assert (before.get("status"), before.get("channel"), before.get("delivered")) == (
        "NOT_DELIVERED",
        "PENDING",
        None,
    )

    run_jobs(client)
    (requested,) = [e for e in core_events(client, doc) if e.type is EventType.REGISTRATION_REQUESTED]
    assert requested.channel is Channel.SMS
    sms = json.loads(client.run(client.runtime_of().blobs.get, requested.data["sms_sha256"]))
    assert sms["to"] == "+4791234567"
    assert "Testkommune has sent you a letter" in sms["text"]
    assert document_events(client, doc) == []  # asking is not a document event

    register(client, UNKNOWN_PERSON)
    run_jobs(client)
    after = status(client, doc)
    assert (after.get("status"), after.get("channel")) == ("DELIVERED", "DIGIPOST")
    assert after.get("delivered") is not None
    assert document_events(client, doc) == [("REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST", None)]


def test_past_the_deadline_the_letter_is_printed_by_its_print_details(client: SignedClient) -> None:
    inner = f"<phone-number>+4791234567</phone-number>{PRINT_DETAILS}"
    doc, response = send(client, PAPER_PERSON, registration(inner=inner))
    assert response.status_code == 201, response.text
    assert text(valid_v8(response), "delivery-method") == "PENDING"
    advance(client, timedelta(minutes=2))  # the sandbox clock: past the deadline, within the signing skew
    run_jobs(client)
    root = status(client, doc)
    assert (root.get("status"), root.get("channel")) == ("DELIVERED", "PRINT")
    expired, postmarked = document_events(client, doc)
    assert expired == (
        "REQUEST_FOR_REGISTRATION_EXPIRED",
        {XSI_TYPE: "request-for-registration-expired-metadata", "fallback-channel": "PRINT"},
    )
    assert postmarked[0] == "POSTMARKED"


def test_past_the_deadline_without_print_details_it_is_not_delivered(client: SignedClient) -> None:
    doc, response = send(client, UNKNOWN_PERSON, registration())
    assert response.status_code == 201, response.text
    advance(client, timedelta(minutes=2))
    run_jobs(client)
    root = status(client, doc)
    assert (root.get("status"), root.get("channel")) == ("NOT_DELIVERED", None)
    assert document_events(client, doc) == [
        ("REQUEST_FOR_REGISTRATION_FAILED", None),  # nowhere to send the request: no number, no address
        ("REQUEST_FOR_REGISTRATION_EXPIRED", {XSI_TYPE: "request-for-registration-expired-metadata"}),
    ]


def test_a_person_with_a_mailbox_gets_the_letter_at_once(client: SignedClient) -> None:
    doc, response = send(
        client, MAILBOX_PERSON, registration(inner="<phone-number>+4791234567</phone-number>")
    )
    assert response.status_code == 201, response.text
    delivery = valid_v8(response)
    assert (text(delivery, "delivery-method"), text(delivery, "status")) == ("DIGIPOST", "DELIVERED")
    assert status(client, doc).get("status") == "DELIVERED"


def test_a_bad_phone_number_is_refused_naming_the_field_and_nothing_is_stored(client: SignedClient) -> None:
    _, response = send(client, UNKNOWN_PERSON, registration(inner="<phone-number>912345678</phone-number>"))
    assert response.status_code == 400
    assert error_code(response) == "INVALID_PHONE_NUMBER"
    assert "request-for-registration/phone-number" in (
        text(etree.fromstring(response.content), "error-message") or ""
    )
    assert _count(client, schema.shipments) == 0
    assert _count(client, schema.jobs) == 0


def test_a_deadline_in_the_past_is_refused(client: SignedClient) -> None:
    _, response = send(client, UNKNOWN_PERSON, registration(seconds=-60))
    assert response.status_code == 400
    assert error_code(response) == "VALIDATION_FAILED"
    assert "registration.deadline" in (text(etree.fromstring(response.content), "error-message") or "")
    assert _count(client, schema.shipments) == 0


def test_the_recipient_must_be_identified_by_pin(client: SignedClient) -> None:
    recipient = "<organisation-number>974760673</organisation-number>"
    _, response = send(client, "", registration(), recipient=recipient)
    assert response.status_code == 400
    assert error_code(response) == "VALIDATION_FAILED"


def test_sms_after_hours_is_stored_from_the_element_text(client: SignedClient) -> None:
    sms = "<sms-notification><after-hours>24</after-hours></sms-notification>"
    doc, response = send(client, MAILBOX_PERSON, "", document_extra=sms)
    assert response.status_code == 201, response.text

    async def stored() -> Any:
        runtime = client.runtime_of()
        async with runtime.reader() as uow:
            sender = await uow.senders.by_digipost_id(BROKER)
            return await uow.shipments.by_document_external_id(sender.id, doc)

    (notification,) = client.run(stored).notifications
    assert (notification.channel, notification.after_hours) == (Channel.SMS, (24,))


def _count(client: SignedClient, table: Any) -> int:
    async def go() -> int:
        async with client.runtime_of().reader() as uow:
            return int((await uow.conn.execute(select(func.count()).select_from(table))).scalar_one())

    result: int = client.run(go)
    return result

"""Additional data: the add_data link on a sent document, and POSTing an ``additional-data`` to it."""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from lxml import etree

from postbud.dialects.digipost.datatypes_xml import parse_datatype
from postbud.domain.datatypes import datatype_to_dict
from postbud.domain.errors import NotFound, ValidationFailed
from postbud.domain.events import EventType, ShipmentEvent
from postbud.services.letters.add_data import AddData, add_data
from postbud.services.letters.send_letter import send_letter
from tests.integration.core_helpers import add_recipients, add_sender, letter, pdf_document, runtime_for
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, MAILBOX_PERSON, a_pdf, client, error_code
from tests.integration.digipost_requests import valid_v8

__all__ = ["client"]

DT = "http://api.digipost.no/schema/datatypes"
PIN = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
INVOICE = (
    f'<invoice xmlns="{DT}"><due-date>2025-12-03T10:15:30+01:00</due-date><sum>100.21</sum>'
    "<creditor-account>25931430000</creditor-account><kid>123123123</kid></invoice>"
)
PAYMENT = (
    f'<invoice-payment xmlns="{DT}"><payment-id>p-1</payment-id><payment-status>PDNG</payment-status>'
    "<payment-time>2025-12-01T09:00:00+01:00</payment-time><debtor-account>12345678903</debtor-account>"
    "<payment-channel>nettbank</payment-channel><payment-bank><name>Banken</name></payment-bank>"
    "</invoice-payment>"
)
APPOINTMENT = f'<appointment xmlns="{DT}"><start-time>2025-11-24T13:00:00+01:00</start-time></appointment>'
PICKUP_STATUS = f'<pickup-notice-status xmlns="{DT}"><status>PICKED_UP</status></pickup-notice-status>'
SHARE_REQUEST = (
    f'<share-documents-request xmlns="{DT}"><max-share-duration-seconds>1209600</max-share-duration-seconds>'
    "<purpose>Lånesøknad</purpose></share-documents-request>"
)
SHARING_STOPPED = f'<share-documents-request-sharing-stopped xmlns="{DT}"/>'
V8_MEDIA = "application/vnd.digipost-v8+xml"


def send(client: SignedClient, datatype: str) -> tuple[str, etree._Element]:
    doc = str(uuid.uuid4())
    xml = (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id><recipient>{PIN}</recipient>'
        f"<primary-document><uuid>{doc}</uuid><subject>Faktura</subject><file-type>pdf</file-type>"
        f"<data-type>{datatype}</data-type></primary-document></message>"
    )
    response = client.send(xml, {doc: a_pdf()})
    assert response.status_code == 201, response.text
    return doc, valid_v8(response)


def add_data_link(delivery: etree._Element) -> str | None:
    for link in delivery.iter(f"{{{V8}}}link"):
        if link.get("rel", "").endswith("/relations/add_data"):
            return link.get("uri")
    return None


def additional_data(datatype: str, sender: str = f"<sender-id>{BROKER}</sender-id>") -> bytes:
    return (
        f'<additional-data xmlns="{V8}"><data-type>{datatype}</data-type>{sender}</additional-data>'.encode()
    )


def verify_signed(client: SignedClient, response: Any, path: str) -> None:
    """Date and signature on every answer; X-Content-SHA256 only when there is a body."""
    assert client.server_certificate is not None
    lines = [str(response.status_code), path.lower(), f"date: {response.headers['date']}"]
    if response.content:
        lines.append(f"x-content-sha256: {response.headers['x-content-sha256']}")
    else:
        assert "x-content-sha256" not in response.headers
    signature = base64.b64decode(response.headers["x-digipost-signature"])
    key = client.server_certificate.public_key()
    assert isinstance(key, RSAPublicKey)
    key.verify(signature, ("\n".join(lines) + "\n").encode(), padding.PKCS1v15(), hashes.SHA256())


def post(
    client: SignedClient, path: str, body: bytes, content_type: str = f"{V8_MEDIA}; boundary=1a2b3c"
) -> Any:
    """POST as .NET does it: the v8 media type with a stray boundary parameter."""
    headers = client.headers("POST", path, body)
    headers.update({"Content-Type": content_type, "Accept": V8_MEDIA})
    response = client.http.post(path, content=body, headers=headers)
    verify_signed(client, response, path)
    return response


def path_of(document: str) -> str:
    return f"/digipost/documents/{BROKER}/{document}/add-data"


def events_of(client: SignedClient, document: str) -> list[ShipmentEvent]:
    async def load() -> list[ShipmentEvent]:
        async with client.runtime_of().reader() as uow:
            sender = await uow.senders.by_digipost_id(BROKER)
            shipment = await uow.shipments.by_document_external_id(sender.id, document)
            events: list[ShipmentEvent] = await uow.events.for_shipment(shipment.id)
            return events

    return [event for event in client.run(load) if isinstance(event, ShipmentEvent)]


def of_type(events: list[ShipmentEvent], kind: EventType) -> list[ShipmentEvent]:
    return [e for e in events if e.type is kind]


def test_a_complementable_document_links_to_add_data(client: SignedClient) -> None:
    doc, delivery = send(client, INVOICE)
    uri = add_data_link(delivery)
    assert uri is not None
    assert uri.endswith(path_of(doc))
    _, plain = send(client, APPOINTMENT)
    assert add_data_link(plain) is None  # an appointment takes no additional data


def test_a_payment_is_registered_once(client: SignedClient) -> None:
    doc, delivery = send(client, INVOICE)
    uri = add_data_link(delivery)
    assert uri is not None
    path = uri[uri.index("/digipost/") :]
    for _ in range(2):  # a retried POST must not register the payment twice
        response = post(client, path, additional_data(PAYMENT))
        assert (response.status_code, response.content) == (200, b"")
    (payment,) = of_type(events_of(client, doc), EventType.PAYMENT_REGISTERED)
    assert payment.data["kind"] == "invoice-payment"
    assert payment.data["datatype"]["payment_status"] == "PDNG"
    assert payment.data["position"] == 0


def test_pickup_status_follows_a_pickup_notice(client: SignedClient) -> None:
    notice = (
        f'<pickup-notice xmlns="{DT}"><parcel-id>70712345</parcel-id><barcode><barcode-value>370712345'
        "</barcode-value></barcode><arrival-date-time>2025-03-01T10:00:00+01:00</arrival-date-time>"
        "<return-date-time>2025-03-15T10:00:00+01:00</return-date-time><recipient>"
        "<digipost-address>ola.nordmann#1234</digipost-address></recipient><pickup-place><name>Kiwi</name>"
        "<code>123</code><instruction>Ta med legitimasjon</instruction><address><city>Oslo</city></address>"
        "</pickup-place></pickup-notice>"
    )
    doc, delivery = send(client, notice)
    assert add_data_link(delivery) is not None
    response = post(client, path_of(doc), additional_data(PICKUP_STATUS, sender=""))
    assert response.status_code == 200, response.text
    (added,) = of_type(events_of(client, doc), EventType.DATA_ADDED)
    assert added.data["datatype"] == {"kind": "pickup-notice-status", "status": "PICKED_UP"}


def test_a_kind_that_does_not_complement_is_refused_and_recorded(client: SignedClient) -> None:
    doc, _ = send(client, INVOICE)
    response = post(client, path_of(doc), additional_data(PICKUP_STATUS))
    assert response.status_code == 400
    assert error_code(response) == "VALIDATION_FAILED"
    message = etree.fromstring(response.content).findtext(f"{{{V8}}}error-message") or ""
    assert "invoice" in message
    assert "pickup-notice-status" in message
    (rejected,) = of_type(events_of(client, doc), EventType.REJECTED)
    assert rejected.data["kind"] == "pickup-notice-status"
    assert "invoice" in rejected.data["reason"]


@pytest.mark.parametrize(
    ("body", "content_type", "status", "code"),
    [
        (additional_data(f'<invoice-payment xmlns="{DT}"><payment-id>p</payment-id></invoice-payment>'), None,
         400, "VALIDATION_FAILED"),
        (additional_data(PAYMENT).replace(b"data-type>", b"datatype>"), None, 400, "SCHEMA_VALIDATION_ERROR"),
        (b"not xml", None, 400, "SCHEMA_VALIDATION_ERROR"),
        (additional_data(PAYMENT), "application/json", 415, "ILLEGAL_CONTENT_TYPE"),
        (additional_data(PAYMENT, "<sender-id>999</sender-id>"), None, 403, "BROKER_NOT_AUTHORIZED"),
        (additional_data(PAYMENT, "<sender-organization><organization-id>983887457</organization-id>"
                                  "</sender-organization>"), None, 403, "BROKER_NOT_AUTHORIZED"),
    ],
)  # fmt: skip
def test_refusals_on_a_known_document_are_recorded(
    client: SignedClient, body: bytes, content_type: str | None, status: int, code: str
) -> None:
    doc, _ = send(client, INVOICE)
    response = post(client, path_of(doc), body, *([content_type] if content_type else []))
    assert response.status_code == status, response.text
    assert error_code(response) == code
    events = events_of(client, doc)
    (rejected,) = of_type(events, EventType.REJECTED)
    assert rejected.data["reason"].startswith(code)
    assert of_type(events, EventType.PAYMENT_REGISTERED) == []


def test_the_sender_may_name_itself_by_organisation(client: SignedClient) -> None:
    doc, _ = send(client, INVOICE)
    sender = "<sender-organization><organization-id>974760673</organization-id></sender-organization>"
    assert post(client, path_of(doc), additional_data(PAYMENT, sender)).status_code == 200


@pytest.mark.parametrize("which", ["unknown uuid", "another sender"])
def test_unknown_documents_are_not_found(client: SignedClient, which: str) -> None:
    doc, _ = send(client, INVOICE)
    path = (
        path_of(str(uuid.uuid4())) if which == "unknown uuid" else f"/digipost/documents/999/{doc}/add-data"
    )
    response = post(client, path, additional_data(PAYMENT))
    assert response.status_code == 404
    assert error_code(response) == "DOCUMENT_NOT_FOUND"
    assert of_type(events_of(client, doc), EventType.REJECTED) == []


def test_stopping_a_sharing_request_through_add_data(client: SignedClient) -> None:
    doc, delivery = send(client, SHARE_REQUEST)
    assert add_data_link(delivery) is not None
    assert post(client, path_of(doc), additional_data(SHARING_STOPPED)).status_code == 200
    assert len(of_type(events_of(client, doc), EventType.SHARING_STOPPED)) == 1
    again = post(client, path_of(doc), additional_data(SHARING_STOPPED))
    assert again.status_code == 409  # as the stop_sharing link answers for a sharing already over
    assert error_code(again) == "INVALID_TRANSACTION"
    events = events_of(client, doc)
    assert len(of_type(events, EventType.SHARING_STOPPED)) == 1
    assert len(of_type(events, EventType.REJECTED)) == 1


# ---- the use case on both database backends


@pytest.mark.anyio
async def test_the_add_data_use_case_on_each_backend(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    other = await add_sender(runtime, orgnr="988077917")
    await add_recipients(runtime)
    invoice = datatype_to_dict(parse_datatype(etree.fromstring(INVOICE)))
    document = replace(pdf_document("faktura", "f-1"), datatype=invoice)
    shipment = (await send_letter(letter(sender, documents=(document,)), runtime)).shipment
    payment = parse_datatype(etree.fromstring(PAYMENT))
    command = AddData(sender, shipment.id, shipment.primary.id, payment)
    await add_data(command, runtime)
    await add_data(command, runtime)
    with pytest.raises(ValidationFailed, match="invoice cannot take pickup-notice-status"):
        await add_data(replace(command, datatype=parse_datatype(etree.fromstring(PICKUP_STATUS))), runtime)
    with pytest.raises(NotFound):
        await add_data(replace(command, sender_id=other), runtime)
    async with runtime.reader() as uow:
        events = await uow.events.for_shipment(shipment.id)
    await runtime.close()
    (registered,) = of_type(events, EventType.PAYMENT_REGISTERED)
    assert registered.data["datatype"] == datatype_to_dict(payment)
    (rejected,) = of_type(events, EventType.REJECTED)
    assert rejected.data["kind"] == "pickup-notice-status"

"""Sends whose message XML uses a namespace prefix, and v7 sends with a datatype or print-if-unread.

The message's version is read from its element's namespace, not from the default namespace: a v7
message written as ``<v7:message xmlns:v7="…/v7">`` has none. Digipost's last v7 schema allows a
document's ``data-type`` (after its links) and the message's ``print-if-unread``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from lxml import etree

from postbud.domain.shipments import Shipment
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, MAILBOX_PERSON, a_pdf, client

__all__ = ["client"]

V7 = "http://api.digipost.no/schema/v7"
DATATYPES = "http://api.digipost.no/schema/datatypes"
PIN = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
PRINT_DETAILS = (
    "<print-details><recipient><name>Ola Nordmann</name><norwegian-address>"
    "<addressline1>Storgata 1</addressline1><zip-code>0155</zip-code><city>Oslo</city>"
    "</norwegian-address></recipient><return-address><name>Testkommune</name><norwegian-address>"
    "<zip-code>0150</zip-code><city>Oslo</city></norwegian-address></return-address></print-details>"
)
APPOINTMENT = (
    f'<data-type><appointment xmlns="{DATATYPES}"><start-time>2030-10-27T10:00:00+02:00</start-time>'
    "<place>Oslo City Røntgen</place></appointment></data-type>"
)


def _prefixed(ns: str, prefix: str, document: str) -> str:
    """A whole message in ``ns`` where every element carries ``prefix``, as some serialisers write it."""
    p = f"{prefix}:"
    return (
        f'<{p}message xmlns:{prefix}="{ns}"><{p}message-id>{uuid.uuid4()}</{p}message-id>'
        f"<{p}recipient><{p}personal-identification-number>{MAILBOX_PERSON}"
        f"</{p}personal-identification-number></{p}recipient>"
        f"<{p}primary-document><{p}uuid>{document}</{p}uuid><{p}subject>Vedtak</{p}subject>"
        f"<{p}file-type>pdf</{p}file-type></{p}primary-document></{p}message>"
    )


def _v7(document: str, *, document_extra: str = "", message_extra: str = "") -> str:
    return (
        f'<message xmlns="{V7}"><message-id>{uuid.uuid4()}</message-id><recipient>{PIN}</recipient>'
        f"<primary-document><uuid>{document}</uuid><subject>Time hos røntgen</subject>"
        f"<file-type>pdf</file-type>{document_extra}</primary-document>{message_extra}</message>"
    )


def _shipment(client: SignedClient, document: str) -> Shipment:
    async def find() -> Shipment | None:
        runtime = client.runtime_of()
        async with runtime.reader() as uow:
            broker = await uow.senders.by_digipost_id(BROKER)
            assert broker is not None
            return await uow.shipments.by_document_external_id(broker.id, document)

    found: Shipment | None = client.run(find)
    assert found is not None
    return found


def test_a_prefixed_v7_message_is_read_as_v7(client: SignedClient) -> None:
    document = str(uuid.uuid4())
    response = client.send(_prefixed(V7, "v7", document), {document: a_pdf()}, version=7)
    assert response.status_code == 201, response.text
    delivery = etree.fromstring(response.content)
    assert delivery.tag == f"{{{V7}}}message-delivery"
    assert delivery.findtext(f"{{{V7}}}status") == "DELIVERED"
    assert _shipment(client, document).documents[0].title == "Vedtak"


def test_a_prefixed_v8_message_is_accepted(client: SignedClient) -> None:
    document = str(uuid.uuid4())
    response = client.send(_prefixed(V8, "dp", document), {document: a_pdf()})
    assert response.status_code == 201, response.text
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}status") == "DELIVERED"
    assert _shipment(client, document).documents[0].title == "Vedtak"


def test_a_v7_document_with_a_datatype_keeps_it(client: SignedClient) -> None:
    document = str(uuid.uuid4())
    link = '<link rel="https://api.digipost.no/relations/self" uri="https://example.org/x"/>'
    xml = _v7(document, document_extra=link + APPOINTMENT)
    response = client.send(xml, {document: a_pdf()}, version=7)
    assert response.status_code == 201, response.text
    datatype = _shipment(client, document).documents[0].datatype
    assert datatype is not None
    assert (datatype["kind"], datatype["place"]) == ("appointment", "Oslo City Røntgen")


def test_a_v7_datatype_is_validated_like_a_v8_one(client: SignedClient) -> None:
    document = str(uuid.uuid4())
    broken = APPOINTMENT.replace("<start-time>2030-10-27T10:00:00+02:00</start-time>", "")
    response = client.send(_v7(document, document_extra=broken), {document: a_pdf()}, version=7)
    assert response.status_code == 400
    root = etree.fromstring(response.content)
    assert root.findtext(f"{{{V7}}}error-code") == "VALIDATION_FAILED"
    assert "data-type" in str(root.findtext(f"{{{V7}}}error-message"))


def test_a_v7_message_with_print_if_unread_is_delivered_digitally_with_the_deadline(
    client: SignedClient,
) -> None:
    document = str(uuid.uuid4())
    deadline = (datetime.now(UTC) + timedelta(days=14)).replace(microsecond=0)
    print_if_unread = (
        f"<print-if-unread><print-if-unread-after>{deadline.isoformat()}</print-if-unread-after>"
        f"{PRINT_DETAILS.replace('</return-address>', '</return-address><post-type>B</post-type>')}"
        "</print-if-unread>"
    )
    response = client.send(_v7(document, message_extra=print_if_unread), {document: a_pdf()}, version=7)
    assert response.status_code == 201, response.text
    delivery = etree.fromstring(response.content)
    assert delivery.findtext(f"{{{V7}}}delivery-method") == "DIGIPOST"
    shipment = _shipment(client, document)
    assert shipment.print_if_unread_after == deadline
    assert shipment.print_instructions is not None
    assert shipment.print_instructions.recipient.name == "Ola Nordmann"

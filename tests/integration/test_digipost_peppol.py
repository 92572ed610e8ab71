"""A message to a Peppol participant: routed to the e-invoice channel, answered as PEPPOL."""

from __future__ import annotations

import uuid

from lxml import etree
from sqlalchemy import func, select

from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.storage import schema
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, a_pdf, client, error_code, text
from tests.integration.digipost_requests import request, valid_v8

__all__ = ["client"]

TAKES_EINVOICES = "923609016"  # valid organisasjonsnummer, registered below with e-invoice
NOT_REGISTERED = "974760673"  # valid, but nobody in the registry under it
EHF = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'
)


def _register_einvoice_receiver(client: SignedClient) -> None:
    async def store() -> None:
        runtime = client.runtime_of()
        recipient = Recipient(
            uuid.uuid4(), parse_party_id(TAKES_EINVOICES), "Faktura AS", Capabilities(einvoice=True)
        )
        async with runtime.unit_of_work() as uow:
            await uow.recipients.add(recipient, now=runtime.clock.now())

    client.run(store)


def _message(document: str, *, receiver: str = TAKES_EINVOICES, file_type: str = "xml") -> str:
    return (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id><recipient><peppol-addresses>'
        f"<receiver><schemeID>0192</schemeID><endpointID>{receiver}</endpointID></receiver>"
        "<sender><schemeID>0192</schemeID><endpointID>974760673</endpointID></sender>"
        f"</peppol-addresses></recipient><primary-document><uuid>{document}</uuid>"
        "<subject>Faktura 1001</subject>"
        f"<file-type>{file_type}</file-type></primary-document></message>"
    )


def _shipments(client: SignedClient) -> int:
    async def count() -> int:
        async with client.runtime_of().reader() as uow:
            return int(
                (await uow.conn.execute(select(func.count()).select_from(schema.shipments))).scalar_one()
            )

    return int(client.run(count))


def test_a_peppol_message_is_answered_as_peppol_and_delivered(client: SignedClient) -> None:
    _register_einvoice_receiver(client)
    document = str(uuid.uuid4())
    response = client.send(_message(document), {document: EHF})
    assert response.status_code == 201, response.text
    delivery = valid_v8(response)
    assert (delivery.findtext(f"{{{V8}}}delivery-method"), delivery.findtext(f"{{{V8}}}status")) == (
        "PEPPOL",
        "DELIVERED",
    )

    worker = Worker(client.runtime_of(), core_handlers())
    while client.run(worker.run_once):
        pass
    status = request(client, "GET", f"/digipost/documents/{BROKER}/{document}/status")
    assert status.status_code == 200, status.text
    root = etree.fromstring(status.content)
    assert (root.get("status"), root.get("channel")) == ("DELIVERED", "PEPPOL")


def test_peppol_content_must_be_xml_and_nothing_is_stored(client: SignedClient) -> None:
    _register_einvoice_receiver(client)
    document = str(uuid.uuid4())
    response = client.send(_message(document, file_type="pdf"), {document: a_pdf()})
    assert response.status_code == 400
    assert error_code(response) == "PEPPOL_FILE_MUST_BE_XML"
    assert "primary-document" in (text(etree.fromstring(response.content), "error-message") or "")
    assert _shipments(client) == 0


def test_an_unknown_or_invalid_peppol_receiver_is_refused(client: SignedClient) -> None:
    document = str(uuid.uuid4())
    unknown = client.send(_message(document, receiver=NOT_REGISTERED), {document: EHF})
    assert unknown.status_code == 404
    assert error_code(unknown) == "UNKNOWN_PEPPOL_RECIPIENT"
    document = str(uuid.uuid4())
    invalid = client.send(_message(document, receiver="923609017"), {document: EHF})  # wrong check digit
    assert invalid.status_code == 400
    assert error_code(invalid) == "VALIDATION_FAILED"
    assert "recipient/peppol-addresses/receiver" in (
        text(etree.fromstring(invalid.content), "error-message") or ""
    )
    assert _shipments(client) == 0

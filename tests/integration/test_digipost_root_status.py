"""The document-status path the Java client builds from the host root reaches the Digipost dialect.

``ApiServiceImpl.getDocumentStatus(senderId, uuid)`` resolves ``/documents/{senderId}/{uuid}/status``
against the configured base URL; an absolute path replaces the base URL's own path (``/digipost``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from postbud.app import create_app
from postbud.config import Settings
from postbud.dialects.digipost.keys import generate_test_key_and_certificate, load_private_key
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, MAILBOX_PERSON, a_pdf, message
from tests.integration.digipost_requests import request


@pytest.fixture
def client(tmp_path: Path) -> Iterator[SignedClient]:
    """A signed client of the whole Postbud app (not the dialect alone)."""
    key_pem, cert_pem = generate_test_key_and_certificate("Testkommune")
    app = create_app(Settings(data_dir=tmp_path / "data", workers=0))
    with TestClient(app) as http:

        async def register() -> None:
            runtime = app.state.runtime
            now = runtime.clock.now()
            broker = Sender(
                uuid.uuid4(),
                "Testkommune",
                "974760673",
                digipost_id=BROKER,
                certificate_pem=cert_pem.decode(),
            )
            person = Recipient(
                uuid.uuid4(),
                parse_party_id(MAILBOX_PERSON),
                "Ola Nordmann",
                Capabilities(digital_mailbox=True),
            )
            async with runtime.unit_of_work() as uow:
                await uow.senders.add(broker, now=now)
                await uow.recipients.add(person, now=now)

        signed = SignedClient(http, BROKER, load_private_key(key_pem), runtime_of=lambda: app.state.runtime)
        signed.run(register)
        signed.entrypoint()
        yield signed


def _sent_document(client: SignedClient) -> str:
    document = str(uuid.uuid4())
    xml = message(
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>", document
    )
    assert client.send(xml, {document: a_pdf()}).status_code == 201
    return document


def test_the_status_path_at_the_root_answers_like_the_mounted_one(client: SignedClient) -> None:
    document = _sent_document(client)
    at_root = f"/documents/{BROKER}/{document}/status"
    response = request(client, "GET", at_root)
    assert response.status_code == 200, response.text
    client.verify(response, at_root)  # signed over the path the client requested
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{V8}}}document-status"
    assert (root.get("uuid"), root.get("status"), root.get("channel")) == (document, "DELIVERED", "DIGIPOST")
    mounted = f"/digipost/documents/{BROKER}/{document}/status"
    assert etree.fromstring(request(client, "GET", mounted).content).attrib == root.attrib


def test_errors_at_the_root_path_are_digipost_errors_signed_over_that_path(client: SignedClient) -> None:
    at_root = f"/documents/{BROKER}/{uuid.uuid4()}/status"
    response = request(client, "GET", at_root)
    assert response.status_code == 404
    client.verify(response, at_root)
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}error-code") == "DOCUMENT_NOT_FOUND"
    unsigned = client.http.get(at_root)
    assert unsigned.status_code == 400
    client.verify(unsigned, at_root)

"""Issue 12, defect 7: a document declared PDF must be a PDF, and a letter's file types are an
explicit list, in every dialect (each answering in its own error format), with nothing written."""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from postbud.sdk.digipost import DigipostClient, Document, Message, PersonalIdentificationNumber
from postbud.sdk.digipost.errors import DigipostApiError
from postbud.services.runtime import Runtime
from postbud.storage import schema
from tests.integration.altinn_api_fixtures import API, Altinn, altinn, problem
from tests.integration.digipost_client import SignedClient
from tests.integration.digipost_fixtures import MAILBOX_PERSON, a_pdf, client, error_code, message
from tests.integration.sdk_live_server import LiveDigipost, live_digipost
from tests.integration.test_altinn_api_attachments import shared, upload
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITH_MAILBOX,
    Ekopost,
    content_body,
    ekopost,
    letter_pdf,
)
from tests.integration.test_platform_api import ADMIN, OLA, add_ola, add_sender, assert_problem
from tests.integration.test_platform_api import client as platform
from tests.real_pdf import real_pdf

__all__ = ["altinn", "client", "ekopost", "live_digipost", "platform"]

README_PDF = base64.b64decode("JVBERi0xLjQKJSVFT0YK")
"""The 15-byte "PDF" the README's tour sent: a header and an end, nothing between."""
HELLO = b"hello world"


# --- The platform API ----------------------------------------------------------------------------


def _send(platform: TestClient, sender_id: str, content: bytes, file_type: str = "pdf") -> object:
    document = {"content_base64": base64.b64encode(content).decode(), "file_type": file_type}
    body = {"sender_id": sender_id, "recipient": OLA, "documents": [document]}
    return platform.post("/api/v1/shipments", json=body, headers=ADMIN)


def test_the_platform_api_refuses_a_fake_pdf_and_a_type_not_on_the_list(platform: TestClient) -> None:
    sender_id = add_sender(platform)["sender"]["id"]
    add_ola(platform)
    for fake in (README_PDF, HELLO, b"%PDF-1.4 " + b"x" * 200):
        body = assert_problem(_send(platform, sender_id, fake), 400, "documents[0].content")
        assert "is not a PDF" in body["errors"][0]["rule"]
    body = assert_problem(_send(platform, sender_id, b"MZ\x90\x00", "exe"), 400, "documents[0].file_type")
    assert "pdf" in body["errors"][0]["rule"]
    assert_problem(_send(platform, sender_id, b"GIF89a....", "png"), 400, "documents[0].content")
    listed = platform.get("/api/v1/shipments", headers=ADMIN).json()["items"]
    assert listed == []
    assert _send(platform, sender_id, real_pdf("Vedtak")).status_code == 201  # type: ignore[attr-defined]
    assert _send(platform, sender_id, "Hei på deg".encode(), "txt").status_code == 201  # type: ignore[attr-defined]


# --- Digipost ------------------------------------------------------------------------------------------


async def _rows(runtime: Runtime, table: str = "shipments") -> int:
    async with runtime.reader() as uow:
        return (await uow.sandbox_reset.counts([schema.metadata.tables[table]]))[table]


def test_digipost_refuses_a_fake_pdf_and_a_file_type_it_does_not_take(client: SignedClient) -> None:
    to_mailbox = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
    for content in (HELLO, README_PDF):
        doc = str(uuid.uuid4())
        response = client.send(message(to_mailbox, doc), {doc: content})
        assert response.status_code == 400, response.text
        assert error_code(response) == "INVALID_PDF_CONTENT"
        assert "documents[0].content" in response.text
    doc = str(uuid.uuid4())
    exe = message(to_mailbox, doc).replace("<file-type>pdf</file-type>", "<file-type>exe</file-type>")
    response = client.send(exe, {doc: b"MZ\x90\x00"})
    assert response.status_code == 400, response.text
    assert "documents[0].file_type" in response.text
    assert client.run(_rows, client.runtime_of()) == 0
    doc = str(uuid.uuid4())
    assert client.send(message(to_mailbox, doc), {doc: a_pdf()}).status_code == 201


# --- Ekopost -------------------------------------------------------------------------------------------


def _envelope(ekopost: Ekopost) -> tuple[str, str]:
    campaign = ekopost.campaign()["id"]
    address = {"$type": "einbox", "recipient": NO_PERSON_WITH_MAILBOX}
    envelope = ekopost.envelope(campaign, name="Brev", address=address)["id"]
    return campaign, envelope


def test_ekopost_refuses_a_fake_pdf_and_content_that_is_not_pdf(ekopost: Ekopost) -> None:
    campaign, envelope = _envelope(ekopost)
    fake = ekopost.add(campaign, envelope, content_body(HELLO))
    assert fake.status_code == 400, fake.text
    assert fake.json()["error_code"] in {"107", "104"}
    text = ekopost.add(campaign, envelope, content_body(b"hello", mime="text/plain"))
    assert text.status_code == 400, text.text
    assert text.json()["error_code"] == "104"
    assert ekopost.run(lambda: _rows(ekopost.runtime, "documents")) == 0
    assert ekopost.add(campaign, envelope, content_body(letter_pdf())).status_code == 200


# --- Altinn ---------------------------------------------------------------------------------------------


def test_altinn_judges_an_attachment_by_its_name_as_the_real_service_does(altinn: Altinn) -> None:
    """Altinn checks the extension against its list and never the bytes (its own request collection
    uploads a text file named ``test-document.pdf``): the upload is taken and comes back unchanged."""
    attachment_id = shared(altinn)
    taken = upload(altinn, attachment_id, HELLO)
    assert taken.status_code == 200, taken.text
    downloaded = altinn.http.get(f"{API}/attachment/{attachment_id}/download", headers=altinn.as_sender())
    assert downloaded.status_code == 200, downloaded.text
    assert downloaded.content == HELLO
    exe = altinn.post(
        "/attachment",
        altinn.as_sender(),
        json={"resourceId": "skd-melding", "fileName": "setup.exe", "sendersReference": "r"},
    )
    problem(exe, 400, 2013)


def test_the_real_pdf_helper_makes_a_pdf_that_opens(tmp_path: Path) -> None:
    from postbud.services.letters.document_content import pdf_problem

    assert pdf_problem(real_pdf("Hei")) is None
    assert pdf_problem(README_PDF) == "the PDF cannot be read"


# --- The Digipost SDK against a real server ------------------------------------------------------------


def test_the_digipost_sdk_can_no_longer_deliver_hello_world_as_a_pdf(live_digipost: LiveDigipost) -> None:
    document = Document("Hei")
    message = Message(document, PersonalIdentificationNumber(MAILBOX_PERSON))
    with DigipostClient(live_digipost.config()) as sdk, pytest.raises(DigipostApiError) as refused:
        sdk.send(message, {document.uuid: HELLO})
    assert refused.value.status == 400
    assert "documents[0].content" in refused.value.error_message

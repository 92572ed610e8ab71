"""The Digipost dialect's send, as a client written from the protocol description sees it."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from lxml import etree
from reportlab.pdfgen import canvas
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.dialects.digipost.app import create_digipost_app
from postbud.dialects.digipost.keys import generate_test_key_and_certificate, load_private_key
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from postbud.services.runtime import Runtime
from tests.integration.digipost_client import V8, SignedClient, sha256_b64

BROKER = 100123
MAILBOX_PERSON = "15108695088"
PAPER_PERSON = "31129956715"


def a_pdf(text: str = "Hei") -> bytes:
    import io

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, text)
    page.save()
    return buffer.getvalue()


async def _prepare(settings: Settings, certificate_pem: str) -> None:
    runtime = await build_runtime(settings)
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(
            Sender(
                uuid.uuid4(), "Testkommune", "974760673", digipost_id=BROKER, certificate_pem=certificate_pem
            ),
            now=now,
        )
        await uow.recipients.add(
            Recipient(
                uuid.uuid4(),
                parse_party_id(MAILBOX_PERSON),
                "Ola Nordmann",
                Capabilities(digital_mailbox=True),
            ),
            now=now,
        )
        await uow.recipients.add(
            Recipient(uuid.uuid4(), parse_party_id(PAPER_PERSON), "Kari Nordmann", Capabilities()), now=now
        )
    await runtime.close()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[SignedClient]:
    key_pem, cert_pem = generate_test_key_and_certificate("Testkommune")
    settings = Settings(data_dir=tmp_path / "data", workers=0)
    asyncio.run(_prepare(settings, cert_pem.decode()))
    holder: dict[str, Runtime] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        holder["runtime"] = await build_runtime(settings)
        yield
        await holder["runtime"].close()

    app = Starlette(
        lifespan=lifespan, routes=[Mount("/digipost", create_digipost_app(lambda: holder["runtime"]))]
    )
    with TestClient(app) as http:
        signed = SignedClient(http, BROKER, load_private_key(key_pem))
        signed.entrypoint()
        yield signed


def message(recipient_xml: str, document_uuid: str, *, extra: str = "", subject: str = "Vedtak") -> str:
    return (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id>'
        f"<recipient>{recipient_xml}</recipient>"
        f"<primary-document><uuid>{document_uuid}</uuid><subject>{subject}</subject><file-type>pdf</file-type>"
        f"{extra}</primary-document></message>"
    )


def text(root: etree._Element, name: str) -> str | None:
    return root.findtext(f"{{{V8}}}{name}")


def error_code(response: object) -> str | None:
    root = etree.fromstring(response.content)  # type: ignore[attr-defined]
    return text(root, "error-code")


PRINT_DETAILS = (
    "<print-details><recipient><name>Kari Nordmann</name><norwegian-address>"
    "<addressline1>Storgata 1</addressline1><zip-code>0155</zip-code><city>Oslo</city>"
    "</norwegian-address></recipient><return-address><name>Testkommune</name><norwegian-address>"
    "<zip-code>0150</zip-code><city>Oslo</city></norwegian-address></return-address></print-details>"
)


def test_entrypoint_links_and_certificate(client: SignedClient) -> None:
    root = client.entrypoint()
    rels = {link.get("rel").rsplit("/", 1)[1] for link in root.iter(f"{{{V8}}}link")}
    assert {"create_message", "identify_recipient", "document_events", "search"} <= rels
    assert client.server_certificate is not None


def test_send_to_a_mailbox_is_delivered(client: SignedClient) -> None:
    doc = str(uuid.uuid4())
    pdf = a_pdf()
    response = client.send(
        message(f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>", doc),
        {doc: pdf},
    )
    assert response.status_code == 201, response.text
    root = etree.fromstring(response.content)
    assert text(root, "delivery-method") == "DIGIPOST"
    assert text(root, "status") == "DELIVERED"
    assert text(root, "sender-id") == str(BROKER)
    assert root.findtext(f"{{{V8}}}primary-document/{{{V8}}}content-hash") == sha256_b64(pdf)


def test_print_fallback_for_a_person_without_mailbox(client: SignedClient) -> None:
    doc = str(uuid.uuid4())
    response = client.send(
        message(
            f"<personal-identification-number>{PAPER_PERSON}</personal-identification-number>{PRINT_DETAILS}",
            doc,
        ),
        {doc: a_pdf()},
    )
    assert response.status_code == 201, response.text
    root = etree.fromstring(response.content)
    assert (text(root, "delivery-method"), text(root, "status")) == ("PRINT", "DELIVERED_TO_PRINT")
    assert root.findtext(f"{{{V8}}}primary-document/{{{V8}}}subject") == "N/A"


def test_unknown_recipient_without_fallback_is_404(client: SignedClient) -> None:
    doc = str(uuid.uuid4())
    response = client.send(
        message(f"<personal-identification-number>{PAPER_PERSON}</personal-identification-number>", doc),
        {doc: a_pdf()},
    )
    assert response.status_code == 404
    assert error_code(response) == "UNKNOWN_RECIPIENT"
    assert text(etree.fromstring(response.content), "error-type") == "CLIENT_DATA"


@pytest.mark.parametrize(
    ("mutate", "status", "code"),
    [
        (lambda h: h.pop("X-Digipost-Signature"), 400, "MISSING_SIGNATURE"),
        (
            lambda h: h.update({"X-Digipost-Signature": h["X-Digipost-Signature"][::-1]}),
            403,
            "INVALID_SIGNATURE",
        ),
        (
            lambda h: h.update({"Date": "Mon, 01 Jan 2024 00:00:00 GMT"}),
            400,
            "DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL",
        ),
        (lambda h: h.update({"X-Content-SHA256": sha256_b64(b"other")}), 400, "INVALID_SHA256"),
        (lambda h: h.update({"X-Digipost-UserId": "999"}), 403, "UNKNOWN_USER_ID"),
    ],
)
def test_bad_authentication_is_refused(client: SignedClient, mutate, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    body = b"--b\r\nContent-Disposition: attachment; filename=message\r\n\r\n<x/>\r\n--b--\r\n"
    headers = client.headers("POST", "/digipost/messages", body)
    headers["Content-Type"] = "multipart/vnd.digipost-v8+xml; boundary=b"
    mutate(headers)
    response = client.http.post("/digipost/messages", content=body, headers=headers)
    assert response.status_code == status
    assert error_code(response) == code
    client.verify(response, "/digipost/messages")


def test_invalid_signature_echoes_the_canonical_string(client: SignedClient) -> None:
    headers = client.headers("GET", "/digipost/", None)
    headers["X-Digipost-Signature"] = headers["X-Digipost-Signature"][::-1]
    body = b"--b\r\n\r\n<x/>\r\n--b--\r\n"
    headers = client.headers("POST", "/digipost/messages", body)
    headers["X-Digipost-Signature"] = headers["X-Digipost-Signature"][::-1]
    headers["Content-Type"] = "multipart/vnd.digipost-v8+xml; boundary=b"
    response = client.http.post("/digipost/messages", content=body, headers=headers)
    message_text = text(etree.fromstring(response.content), "error-message") or ""
    assert "===START===\nPOST\n/digipost/messages\n" in message_text
    assert message_text.endswith("===SLUTT===")


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (
            lambda doc: (
                message("<personal-identification-number>15108695088</personal-identification-number>", doc),
                {},
            ),
            "DOCUMENTS_AND_FILES_MISMATCH",
        ),
        (
            lambda doc: (
                message("<personal-identification-number>15108695089</personal-identification-number>", doc),
                {doc: a_pdf()},
            ),
            "VALIDATION_FAILED",
        ),
        (
            lambda doc: (
                message(
                    "<personal-identification-number>15108695088</personal-identification-number>", doc
                ).replace("<subject>", "<unknown/><subject>"),
                {doc: a_pdf()},
            ),
            "SCHEMA_VALIDATION_ERROR",
        ),
        (
            lambda doc: (
                '<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                + message(
                    "<personal-identification-number>15108695088</personal-identification-number>", doc
                ),
                {doc: a_pdf()},
            ),
            "SCHEMA_VALIDATION_ERROR",
        ),
        (
            lambda doc: (
                message(
                    "<personal-identification-number>15108695088</personal-identification-number>",
                    doc,
                    subject="x" * 256,
                ),
                {doc: a_pdf()},
            ),
            "SCHEMA_VALIDATION_ERROR",
        ),
        (
            lambda doc: (message(PRINT_DETAILS, doc), {doc: b"not a pdf"}),
            "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF",
        ),
        (lambda doc: (message(PRINT_DETAILS, doc), {doc: b"%PDF-1.4 broken"}), "INVALID_PDF_CONTENT"),
    ],
)
def test_bad_messages_are_refused_and_nothing_is_stored(client: SignedClient, build, code: str) -> None:  # type: ignore[no-untyped-def]
    doc = str(uuid.uuid4())
    xml, documents = build(doc)
    response = client.send(xml, documents)
    assert response.status_code == 400, response.text
    assert error_code(response) == code


def test_duplicate_message_id_and_document_uuid_are_refused(client: SignedClient) -> None:
    doc = str(uuid.uuid4())
    xml = message(f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>", doc)
    assert client.send(xml, {doc: a_pdf()}).status_code == 201
    other_doc = str(uuid.uuid4())
    same_message_id = client.send(xml.replace(doc, other_doc), {other_doc: a_pdf()})
    assert same_message_id.status_code == 400
    assert error_code(same_message_id) == "DUPLICATE_MESSAGE"
    same_document = message(
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>", doc
    )
    reused = client.send(same_document, {doc: a_pdf()})
    assert reused.status_code == 400
    assert error_code(reused) == "DUPLICATE_DOCUMENT_ID"

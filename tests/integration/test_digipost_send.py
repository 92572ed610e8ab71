"""The Digipost dialect's send, as a client written from the protocol description sees it."""

from __future__ import annotations

import uuid

import pytest
from lxml import etree

from tests.integration.digipost_client import V8, SignedClient, sha256_b64
from tests.integration.digipost_fixtures import (
    BROKER,
    MAILBOX_PERSON,
    PAPER_PERSON,
    a_pdf,
    client,
    error_code,
    message,
    text,
)
from tests.integration.digipost_requests import add_recipient

__all__ = ["client"]


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
    # The letter's own subject, as for a digital letter (not "N/A": no source says Digipost blanks it).
    assert root.findtext(f"{{{V8}}}primary-document/{{{V8}}}subject") == "Vedtak"


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


def test_a_name_and_address_that_identification_finds_is_delivered_to_that_mailbox(
    client: SignedClient,
) -> None:
    """Identification of this name and address answers DIGIPOST; the send goes where it points."""
    add_recipient(
        client,
        "01088044300",
        "Åse Ødegård",
        mailbox="aase.odegard#1A2B",
        street="Bjørkeveien 3",
        postal_code="0370",
    )
    named = (
        "<name-and-address><fullname>Åse Ødegård</fullname><addressline1>Bjørkeveien 3</addressline1>"
        "<postalcode>0370</postalcode><city>Oslo</city></name-and-address>"
    )
    doc = str(uuid.uuid4())
    response = client.send(message(named, doc), {doc: a_pdf()})
    assert response.status_code == 201, response.text
    root = etree.fromstring(response.content)
    assert (text(root, "delivery-method"), text(root, "status")) == ("DIGIPOST", "DELIVERED")


def test_a_name_and_address_nobody_has_is_unknown(client: SignedClient) -> None:
    named = (
        "<name-and-address><fullname>Ingen Her</fullname><addressline1>Tomtegata 9</addressline1>"
        "<postalcode>0370</postalcode><city>Oslo</city></name-and-address>"
    )
    doc = str(uuid.uuid4())
    response = client.send(message(named, doc), {doc: a_pdf()})
    assert response.status_code == 404
    assert error_code(response) == "UNKNOWN_RECIPIENT"

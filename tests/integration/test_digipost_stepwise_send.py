"""The legacy stepwise send (reference §5.5): the message alone, then each document's content to its
``add_content`` link, then ``send``; a pre-encrypted document by its ``get_encryption_key`` link."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from lxml import etree

from postbud.dialects.digipost.schema import namespace, validate
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import (
    BROKER,
    MAILBOX_PERSON,
    a_pdf,
    client_on_each_backend,
    error_code,
)
from tests.integration.digipost_requests import get, valid_v8
from tests.integration.test_digipost_preencryption import ENCRYPTED, certificate_for, envelope, sha256_b64

__all__ = ["client_on_each_backend"]

OLA = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
NOBODY = "<personal-identification-number>01010111079</personal-identification-number>"


def q(name: str) -> str:
    return f"{{{V8}}}{name}"


def _message(recipient: str, primary: str, *attachments: str, encrypted: bool = False) -> bytes:
    def document(tag: str, document_uuid: str, subject: str) -> str:
        extra = ENCRYPTED if encrypted and tag == "primary-document" else ""
        return (
            f"<{tag}><uuid>{document_uuid}</uuid><subject>{subject}</subject><file-type>pdf</file-type>"
            f"{extra}</{tag}>"
        )

    parts = [document("primary-document", primary, "Vedtak")]
    parts += [document("attachment", a, f"Vedlegg {n}") for n, a in enumerate(attachments, start=1)]
    return (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id><recipient>{recipient}</recipient>'
        f"{''.join(parts)}</message>"
    ).encode()


def _call(
    client: SignedClient, method: str, uri: str, body: bytes | None = None, content_type: str = ""
) -> Any:
    path = urlsplit(uri).path
    headers = client.headers(method, path, body)
    headers["Accept"] = "application/vnd.digipost-v8+xml"
    if content_type:
        headers["Content-Type"] = content_type
    response = client.http.request(method, path, content=body, headers=headers)
    client.verify(response, path)
    return response


def _create(client: SignedClient, xml: bytes) -> Any:
    return _call(client, "POST", "/digipost/messages", xml, "application/vnd.digipost-v8+xml")


def _link(el: etree._Element, relation: str) -> str:
    return _link_in(el, V8, relation)


def _documents(root: etree._Element) -> dict[str, etree._Element]:
    found = [*root.iter(q("primary-document")), *root.iter(q("attachment"))]
    return {el.findtext(q("uuid")) or "": el for el in found}


def _upload(client: SignedClient, document: etree._Element, content: bytes) -> Any:
    return _call(client, "POST", _link(document, "add_content"), content, "application/octet-stream")


def test_a_message_sent_in_steps_is_delivered_with_its_documents(
    client_on_each_backend: SignedClient,
) -> None:
    client = client_on_each_backend
    primary, attachment = str(uuid.uuid4()), str(uuid.uuid4())
    created = _create(client, _message(OLA, primary, attachment))

    assert created.status_code == 201, created.text
    root = valid_v8(created)
    assert root.findtext(q("status")) == "NOT_COMPLETE"
    assert created.headers["location"] == _link(root, "self")
    declared = _documents(root)
    assert set(declared) == {primary, attachment}
    assert all(d.find(q("content-hash")) is None for d in declared.values())

    assert _upload(client, declared[attachment], a_pdf("Vedlegg")).status_code == 200
    uploaded = _upload(client, declared[primary], a_pdf("Vedtak"))
    assert uploaded.status_code == 200, uploaded.text
    waiting = valid_v8(uploaded)
    assert waiting.findtext(q("status")) == "NOT_COMPLETE"
    assert all(d.find(q("content-hash")) is not None for d in _documents(waiting).values())
    assert not [x for x in waiting.iter(q("link")) if (x.get("rel") or "").endswith("/add_content")]

    sent = _call(client, "POST", _link(root, "send"))
    assert sent.status_code == 200, sent.text
    delivered = valid_v8(sent)
    assert (delivered.findtext(q("delivery-method")), delivered.findtext(q("status"))) == (
        "DIGIPOST",
        "DELIVERED",
    )
    assert delivered.find(q("primary-document")).findtext(q("uuid")) == primary
    assert delivered.find(q("attachment")).findtext(q("uuid")) == attachment
    status = valid_v8(get(client, f"/digipost/documents/{BROKER}/{primary}/status"))
    assert status.get("status") == "DELIVERED"

    again = _call(client, "POST", _link(root, "send"))
    assert (again.status_code, error_code(again)) == (400, "MESSAGE_ALREADY_SENT")
    self_after = valid_v8(_call(client, "GET", _link(root, "self")))
    assert self_after.findtext(q("status")) == "DELIVERED"


def test_each_step_is_checked(client_on_each_backend: SignedClient) -> None:
    client = client_on_each_backend
    primary, attachment = str(uuid.uuid4()), str(uuid.uuid4())
    root = valid_v8(_create(client, _message(OLA, primary, attachment)))
    declared = _documents(root)

    early = _call(client, "POST", _link(root, "send"))
    assert (early.status_code, error_code(early)) == (400, "MISSING_CONTENT")
    assert attachment in early.text
    not_a_pdf = _upload(client, declared[primary], b"just text")
    assert (not_a_pdf.status_code, error_code(not_a_pdf)) == (400, "INVALID_PDF_CONTENT")
    assert _upload(client, declared[primary], a_pdf()).status_code == 200
    twice = _upload(client, declared[primary], a_pdf())
    assert (twice.status_code, error_code(twice)) == (400, "CONTENT_ALREADY_UPLOADED")
    here = _link(root, "self")
    undeclared = _call(client, "POST", f"{here}/documents/{uuid.uuid4()}/content", a_pdf(), "application/pdf")
    assert (undeclared.status_code, error_code(undeclared)) == (404, "DOCUMENT_NOT_FOUND")
    unknown = _call(client, "GET", f"/digipost/messages/{uuid.uuid4()}")
    assert (unknown.status_code, error_code(unknown)) == (404, "MESSAGE_NOT_FOUND")


def test_a_message_to_nobody_is_refused_when_sent(client_on_each_backend: SignedClient) -> None:
    client = client_on_each_backend
    primary = str(uuid.uuid4())
    root = valid_v8(_create(client, _message(NOBODY, primary)))
    _upload(client, _documents(root)[primary], a_pdf())

    sent = _call(client, "POST", _link(root, "send"))

    assert (sent.status_code, error_code(sent)) == (404, "UNKNOWN_RECIPIENT")


def test_a_document_encrypted_with_the_key_from_its_link_is_opened(
    client_on_each_backend: SignedClient,
) -> None:
    client = client_on_each_backend
    primary = str(uuid.uuid4())
    root = valid_v8(_create(client, _message(OLA, primary, encrypted=True)))
    document = _documents(root)[primary]

    key = valid_v8(_call(client, "GET", _link(document, "get_encryption_key")))
    public_key = load_pem_public_key((key.text or "").encode())
    assert isinstance(public_key, RSAPublicKey)
    assert key.get("key-id")
    pdf = a_pdf("Hemmelig")
    assert _upload(client, document, envelope(pdf, certificate_for(public_key))).status_code == 200
    sent = _call(client, "POST", _link(root, "send"))

    assert sent.status_code == 200, sent.text
    status = valid_v8(get(client, f"/digipost/documents/{BROKER}/{primary}/status"))
    assert status.get("content-hash") == sha256_b64(pdf)


def test_a_v7_message_is_answered_in_v7_at_every_step(client_on_each_backend: SignedClient) -> None:
    client, v7 = client_on_each_backend, namespace(7)
    primary = str(uuid.uuid4())
    xml = _message(OLA, primary).replace(V8.encode(), v7.encode())

    created = _call(client, "POST", "/digipost/messages", xml, "application/vnd.digipost-v7+xml")
    root = etree.fromstring(created.content)
    (document,) = root.iter(f"{{{v7}}}primary-document")
    _call(client, "POST", _link_in(document, v7, "add_content"), a_pdf(), "application/octet-stream")
    sent = _call(client, "POST", _link_in(root, v7, "send"))

    assert created.status_code == 201, created.text
    assert (root.tag, validate(root, 7)) == (f"{{{v7}}}message-delivery", [])
    delivered = etree.fromstring(sent.content)
    assert (delivered.findtext(f"{{{v7}}}status"), validate(delivered, 7)) == ("DELIVERED", [])
    assert sent.headers["content-type"].startswith("application/vnd.digipost-v7+xml")


def _link_in(el: etree._Element, ns: str, relation: str) -> str:
    (uri,) = [
        x.get("uri") or "" for x in el.iter(f"{{{ns}}}link") if (x.get("rel") or "").endswith(f"/{relation}")
    ]
    return uri

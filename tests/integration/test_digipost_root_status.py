"""The document-status path the Java client builds from the host root reaches the Digipost dialect.

``ApiServiceImpl.getDocumentStatus(senderId, uuid)`` resolves ``/documents/{senderId}/{uuid}/status``
against the configured base URL; an absolute path replaces the base URL's own path (``/digipost``).
"""

from __future__ import annotations

import uuid

from lxml import etree

from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, MAILBOX_PERSON, a_pdf, message, whole_app_client
from tests.integration.digipost_requests import request

__all__ = ["whole_app_client"]


def _sent_document(client: SignedClient) -> str:
    document = str(uuid.uuid4())
    xml = message(
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>", document
    )
    assert client.send(xml, {document: a_pdf()}).status_code == 201
    return document


def test_the_status_path_at_the_root_answers_like_the_mounted_one(whole_app_client: SignedClient) -> None:
    client = whole_app_client
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


def test_errors_at_the_root_path_are_digipost_errors_signed_over_that_path(
    whole_app_client: SignedClient,
) -> None:
    client = whole_app_client
    at_root = f"/documents/{BROKER}/{uuid.uuid4()}/status"
    response = request(client, "GET", at_root)
    assert response.status_code == 404
    client.verify(response, at_root)
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}error-code") == "DOCUMENT_NOT_FOUND"
    unsigned = client.http.get(at_root)
    assert unsigned.status_code == 400
    client.verify(unsigned, at_root)

"""A v7 client gets its errors in the v7 schema: its JAXB context knows no v8 ``error`` element."""

from __future__ import annotations

import uuid

from lxml import etree

from postbud.dialects.digipost.schema import validate
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import a_pdf, client

__all__ = ["client"]

V7 = "http://api.digipost.no/schema/v7"
UNKNOWN_PERSON = "01019010046"  # valid check digits, nobody in the registry


def _message(ns: str, document: str) -> str:
    return (
        f'<message xmlns="{ns}"><message-id>{uuid.uuid4()}</message-id><recipient>'
        f"<personal-identification-number>{UNKNOWN_PERSON}</personal-identification-number></recipient>"
        f"<primary-document><uuid>{document}</uuid><subject>Vedtak</subject><file-type>pdf</file-type>"
        "</primary-document></message>"
    )


def _error(response: object) -> etree._Element:
    return etree.fromstring(response.content)  # type: ignore[attr-defined]


def test_errors_follow_the_version_the_client_speaks(client: SignedClient) -> None:
    document = str(uuid.uuid4())
    v7 = client.send(_message(V7, document), {document: a_pdf()}, version=7)  # verifies the signature
    assert v7.status_code == 404
    assert v7.headers["content-type"].startswith("application/vnd.digipost-v7+xml")
    root = _error(v7)
    assert root.tag == f"{{{V7}}}error"
    assert root.findtext(f"{{{V7}}}error-code") == "UNKNOWN_RECIPIENT"
    assert validate(root, 7) == []

    document = str(uuid.uuid4())
    v8 = client.send(_message(V8, document), {document: a_pdf()})
    assert v8.status_code == 404
    assert v8.headers["content-type"].startswith("application/vnd.digipost-v8+xml")
    assert _error(v8).tag == f"{{{V8}}}error"
    assert validate(_error(v8), 8) == []

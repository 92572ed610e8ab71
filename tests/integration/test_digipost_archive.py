"""The Digipost archive API (reference §12.2), as a client written from the protocol sees it."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest
from lxml import etree

from tests.integration.digipost_client import V8, SignedClient, sha256_b64
from tests.integration.digipost_fixtures import BROKER, client, error_code
from tests.integration.digipost_requests import V8_MEDIA, get, request, valid_v8

__all__ = ["client"]

ARCHIVES = "/digipost/archives/documents"


def q(name: str) -> str:
    return f"{{{V8}}}{name}"


def archive_xml(documents: list[tuple[str, str, dict[str, str]]], *, name: str | None = None) -> str:
    """documents: (uuid, referenceid, attributes)."""
    parts = [f'<archive xmlns="{V8}">']
    if name:
        parts.append(f"<name>{name}</name>")
    for doc, reference, attributes in documents:
        parts.append(
            f"<documents><uuid>{doc}</uuid><file-name>{doc}.pdf</file-name><file-type>pdf</file-type>"
            f"<referenceid>{reference}</referenceid><content-type>application/pdf</content-type>"
        )
        parts += [f"<attributes><key>{k}</key><value>{v}</value></attributes>" for k, v in attributes.items()]
        parts.append("</documents>")
    parts.append("</archive>")
    return "".join(parts)


def archive(client: SignedClient, xml: str, files: dict[str, bytes]) -> Any:
    boundary = uuid.uuid4().hex
    chunks = [
        f"--{boundary}\r\nContent-Type: {V8_MEDIA}\r\nContent-Disposition: attachment; "
        f'filename="archive"\r\n\r\n'.encode(),
        xml.encode(),
        b"\r\n",
    ]
    for name, content in files.items():
        chunks += [
            f"--{boundary}\r\nContent-Type: application/pdf\r\n"
            f'Content-Disposition: attachment; filename="{name}"\r\n\r\n'.encode(),
            content,
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--\r\n".encode())
    body = b"".join(chunks)
    headers = client.headers("POST", ARCHIVES, body)
    headers["Content-Type"] = f"multipart/vnd.digipost-v8+xml; boundary={boundary}"
    headers["Accept"] = V8_MEDIA
    response = client.http.post(ARCHIVES, content=body, headers=headers)
    client.verify(response, ARCHIVES)
    return response


def links(el: etree._Element) -> dict[str, str]:
    return {link.get("rel").rsplit("/", 1)[1]: link.get("uri") for link in el.findall(q("link"))}


def path_of(uri: str) -> tuple[str, str]:
    path = uri.split("://", 1)[1].split("/", 1)[1]
    path, _, query = ("/" + path).partition("?")
    return path, query


def follow(client: SignedClient, uri: str) -> Any:
    path, query = path_of(uri)
    return get(client, path, query)


@pytest.fixture
def archived(client: SignedClient) -> tuple[SignedClient, list[str]]:
    ids = [str(uuid.uuid4()) for _ in range(3)]
    xml = archive_xml(
        [
            (ids[0], "sak-1", {"kunde": "42", "type": "faktura"}),
            (ids[1], "sak-1", {"kunde": "42", "type": "kvittering"}),
            (ids[2], "sak-2", {"kunde": "7"}),
        ]
    )
    response = archive(client, xml, {i: f"innhold {i}".encode() for i in ids})
    assert response.status_code == 200, response.text
    return client, ids


def test_archiving_answers_the_archive_with_its_documents(archived: tuple[SignedClient, list[str]]) -> None:
    client, ids = archived
    archives = valid_v8(get(client, "/digipost/archives"))
    (default,) = archives.findall(q("archive"))
    assert default.find(q("name")) is None
    first_page = links(default)["next_documents"]
    page = valid_v8(follow(client, first_page))
    documents = page.findall(q("documents"))
    assert sorted(d.findtext(q("uuid")) for d in documents) == sorted(ids)
    first = next(d for d in documents if d.findtext(q("uuid")) == ids[0])
    assert first.findtext(q("content-hash")) == sha256_b64(f"innhold {ids[0]}".encode())
    assert [(a.findtext(q("key")), a.findtext(q("value"))) for a in first.findall(q("attributes"))] == [
        ("kunde", "42"),
        ("type", "faktura"),
    ]
    assert "next_documents" not in links(page)


def test_next_documents_filters_by_attributes_and_dates(archived: tuple[SignedClient, list[str]]) -> None:
    client, ids = archived
    page_uri = links(valid_v8(get(client, "/digipost/archives")).find(q("archive")))["next_documents"]
    wanted = base64.b64encode(b"kunde,42,type,kvittering").decode()
    page = valid_v8(follow(client, f"{page_uri}?attributes={wanted}"))
    assert [d.findtext(q("uuid")) for d in page.findall(q("documents"))] == [ids[1]]
    future = base64.b64encode(b"2999-01-01T00:00Z").decode()
    later = base64.b64encode(b"3000-01-01T00:00+01:00").decode()
    assert (
        valid_v8(follow(client, f"{page_uri}?fromDate={future}&toDate={later}")).findall(q("documents")) == []
    )
    plain = follow(client, f"{page_uri}?fromDate=2000-01-01T00:00:00Z&toDate=2999-01-01T00:00:00Z")
    assert len(valid_v8(plain).findall(q("documents"))) == 3


def test_by_uuid_and_by_reference_id(archived: tuple[SignedClient, list[str]]) -> None:
    client, ids = archived
    one = valid_v8(get(client, f"/digipost/{BROKER}/archives/documents/uuid/{ids[2]}"))
    assert [d.findtext(q("uuid")) for d in one.findall(q("documents"))] == [ids[2]]
    reference = base64.b64encode(b"sak-1").decode()
    found = valid_v8(get(client, f"/digipost/archives/documents/referenceid/{reference}"))
    assert sorted(d.findtext(q("uuid")) for d in found.iter(q("documents"))) == sorted(ids[:2])
    missing = request(client, "GET", f"/digipost/archives/documents/uuid/{uuid.uuid4()}")
    assert (missing.status_code, error_code(missing)) == (404, "DOCUMENT_NOT_FOUND")


def test_update_delete_add_uuid_and_content(archived: tuple[SignedClient, list[str]]) -> None:
    client, ids = archived
    document = valid_v8(get(client, f"/digipost/archives/documents/uuid/{ids[0]}")).find(q("documents"))
    own = links(document)
    content = valid_v8(follow(client, own["get_archive_document_content"]))
    assert content.findtext(q("content-type")) == "application/pdf"
    view = client.http.get(path_of(content.findtext(q("uri")))[0])
    assert view.content == f"innhold {ids[0]}".encode()
    stream = follow(client, own["get_archive_document_content_stream"])
    assert stream.content == f"innhold {ids[0]}".encode()

    body = (
        f'<archive-document xmlns="{V8}"><uuid>{ids[0]}</uuid><file-type>pdf</file-type>'
        f"<referenceid>sak-9</referenceid><attributes><key>ny</key><value>ja</value></attributes>"
        "</archive-document>"
    ).encode()
    path = path_of(own["self_update"])[0]
    updated = request(client, "PUT", path, body=body)
    client.verify(updated, path)
    assert etree.fromstring(updated.content).findtext(q("referenceid")) == "sak-9"

    new_id = str(uuid.uuid4())
    body = (
        f'<archive-document xmlns="{V8}"><uuid>{new_id}</uuid><file-type>pdf</file-type></archive-document>'
    )
    path = path_of(own["add_unique_uuid"])[0]
    added = request(client, "POST", path, body=body.encode())
    assert added.status_code == 200, added.text
    assert [d.findtext(q("uuid")) for d in etree.fromstring(added.content).findall(q("documents"))] == [
        new_id
    ]
    again = request(client, "POST", path, body=body.encode())
    assert (again.status_code, error_code(again)) == (400, "DUPLICATE_DOCUMENT_ID")

    path = path_of(own["self_delete"])[0]
    deleted = request(client, "DELETE", path)
    assert deleted.status_code == 200
    gone = request(client, "GET", f"/digipost/archives/documents/uuid/{ids[0]}")
    assert gone.status_code == 404
    assert valid_v8(get(client, f"/digipost/archives/documents/uuid/{new_id}")) is not None


def test_a_reused_uuid_and_too_many_attributes_are_refused(archived: tuple[SignedClient, list[str]]) -> None:
    client, ids = archived
    again = archive(client, archive_xml([(ids[0], "x", {})]), {ids[0]: b"igjen"})
    assert (again.status_code, error_code(again)) == (400, "DUPLICATE_DOCUMENT_ID")
    doc = str(uuid.uuid4())
    many = {f"k{i}": "v" for i in range(16)}
    refused = archive(client, archive_xml([(doc, "x", many)]), {doc: b"x"})
    assert (refused.status_code, error_code(refused)) == (400, "SCHEMA_VALIDATION_ERROR")
    missing = archive(client, archive_xml([(doc, "x", {})]), {})
    assert (missing.status_code, error_code(missing)) == (400, "DOCUMENTS_AND_FILES_MISMATCH")


def test_a_named_archive_is_its_own(client: SignedClient) -> None:
    doc = str(uuid.uuid4())
    response = archive(client, archive_xml([(doc, "r", {})], name="Lønn"), {doc: b"x"})
    assert etree.fromstring(response.content).findtext(q("name")) == "Lønn"
    names = [a.findtext(q("name")) for a in valid_v8(get(client, "/digipost/archives")).findall(q("archive"))]
    assert names == ["Lønn"]


def test_another_senders_archive_is_not_the_brokers(client: SignedClient) -> None:
    response = request(client, "GET", "/digipost/999999/archives")
    assert (response.status_code, error_code(response)) == (403, "BROKER_NOT_AUTHORIZED")


def test_pages_of_a_hundred_follow_each_other(client: SignedClient) -> None:
    ids = [str(uuid.uuid4()) for _ in range(150)]
    response = archive(client, archive_xml([(i, "mange", {}) for i in ids]), {i: i.encode() for i in ids})
    assert response.status_code == 200, response.text
    uri = links(etree.fromstring(response.content))["next_documents"]
    seen: list[str] = []
    pages = 0
    while uri:
        page = valid_v8(follow(client, uri))
        seen += [d.findtext(q("uuid")) or "" for d in page.findall(q("documents"))]
        uri = links(page).get("next_documents", "")
        pages += 1
    assert pages == 2
    assert sorted(seen) == sorted(ids)


def test_an_archive_naming_another_sender_is_refused(client: SignedClient) -> None:
    doc = str(uuid.uuid4())
    xml = archive_xml([(doc, "r", {})]).replace(
        f'<archive xmlns="{V8}">', f'<archive xmlns="{V8}"><sender-id>999</sender-id>'
    )
    response = archive(client, xml, {doc: b"x"})
    assert (response.status_code, error_code(response)) == (403, "BROKER_NOT_AUTHORIZED")
    assert request(client, "GET", f"/digipost/archives/documents/uuid/{doc}").status_code == 404

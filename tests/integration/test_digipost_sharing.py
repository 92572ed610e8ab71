"""Document sharing through the Digipost dialect, the way a real client runs it.

The sender sends a ShareDocumentsRequest, the recipient shares (through the core use case, as the
inbox will), and the sender follows the links: state, content, content stream, stop sharing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from postbud.dialects.digipost.schema import validate
from postbud.domain.identifiers import parse_party_id
from postbud.services.inbox.sharing import (
    InboxDocument,
    Upload,
    find_request,
    share_documents,
    withdraw_sharing,
)
from postbud.services.runtime import Runtime
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, MAILBOX_PERSON, a_pdf, client, error_code, message
from tests.real_pdf import real_pdf

__all__ = ["client"]

DATATYPES = "http://api.digipost.no/schema/datatypes"
RECIPIENT = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
XML = "application/vnd.digipost-v8+xml"
SCAN = real_pdf("skannet kontoutskrift")


def share_request_type(seconds: int, *allowed: str) -> str:
    origins = "".join(
        f"<allowed-origin-organisation-numbers>{o}</allowed-origin-organisation-numbers>" for o in allowed
    )
    return (
        f'<data-type><share-documents-request xmlns="{DATATYPES}">'
        f"<max-share-duration-seconds>{seconds}</max-share-duration-seconds>"
        f"<purpose>Vi trenger kontoutskrift for lånesøknaden</purpose>{origins}"
        "</share-documents-request></data-type>"
    )


def additional_data(datatype_xml: str, sender_xml: str = f"<sender-id>{BROKER}</sender-id>") -> bytes:
    body = (
        f'<additional-data xmlns="{V8}"><data-type>{datatype_xml}</data-type>{sender_xml}</additional-data>'
    )
    return body.encode()


STOPPED = f'<share-documents-request-sharing-stopped xmlns="{DATATYPES}"/>'


# ------------------------------------------------------------------------------------------ wire helpers


def path_of(uri: str) -> str:
    return urlsplit(uri).path


def get(client: SignedClient, uri: str, accept: str = XML) -> Any:
    path = path_of(uri)
    response = client.http.get(path, headers={**client.headers("GET", path, None), "Accept": accept})
    client.verify(response, path)
    return response


def post(client: SignedClient, uri: str, body: bytes) -> Any:
    path = path_of(uri)
    headers = {**client.headers("POST", path, body), "Content-Type": XML, "Accept": XML}
    response = client.http.post(path, content=body, headers=headers)
    client.verify(response, path)
    return response


def links(element: etree._Element) -> dict[str, str]:
    return {
        link.get("rel", "").rsplit("/", 1)[1]: link.get("uri", "")
        for link in element.findall(f"{{{V8}}}link")
    }


def parsed(response: Any) -> etree._Element:
    root = etree.fromstring(response.content)
    assert validate(root, 8) == [], validate(root, 8)
    return root


def state_uri(client: SignedClient, request_uuid: str) -> str:
    """As the Java client builds it: the sender entrypoint's link with the uuid appended."""
    path = f"{client.prefix}/{BROKER}"
    response = client.http.get(path, headers={**client.headers("GET", path, None), "Accept": XML})
    client.verify(response, path)
    base = links(etree.fromstring(response.content))["get_share_documents_request_state"]
    assert base.endswith("/")
    return base + request_uuid


def shared_documents(state: etree._Element) -> list[etree._Element]:
    return state.findall(f"{{{V8}}}shared-documents/{{{V8}}}shared-document")


# ------------------------------------------------------------------------------------------ server side


@dataclass(frozen=True)
class Ids:
    request: uuid.UUID
    recipient: uuid.UUID
    letter_document: uuid.UUID


async def _ids(runtime: Runtime, request_uuid: str, letter_uuid: str) -> Ids:
    async with runtime.reader() as uow:
        sender = await uow.senders.by_digipost_id(BROKER)
        recipient = await uow.recipients.by_party_id(parse_party_id(MAILBOX_PERSON))
        assert sender is not None
        assert recipient is not None
        letter = await uow.shipments.by_document_external_id(sender.id, letter_uuid)
        assert letter is not None
    return Ids(await find_request(runtime, sender.id, request_uuid), recipient.id, letter.primary.id)


def send_request_and_letter(client: SignedClient, seconds: int = 3600) -> tuple[str, bytes, Ids]:
    request_uuid, letter_uuid = str(uuid.uuid4()), str(uuid.uuid4())
    sent = client.send(
        message(RECIPIENT, request_uuid, extra=share_request_type(seconds), subject="Forespørsel om deling"),
        {request_uuid: a_pdf("Vi ber om innsyn")},
    )
    assert sent.status_code == 201, sent.text
    letter_pdf = a_pdf("Kontoutskrift mars")
    sent = client.send(
        message(RECIPIENT, letter_uuid, subject="Kontoutskrift mars"), {letter_uuid: letter_pdf}
    )
    assert sent.status_code == 201, sent.text
    return request_uuid, letter_pdf, client.run(_ids, client.runtime_of(), request_uuid, letter_uuid)


def share(client: SignedClient, ids: Ids, *items: InboxDocument | Upload) -> None:
    client.run(share_documents, client.runtime_of(), ids.request, ids.recipient, list(items))


# ------------------------------------------------------------------------------------------ tests


def test_the_full_sharing_flow(client: SignedClient) -> None:
    request_uuid, letter_pdf, ids = send_request_and_letter(client)
    uri = state_uri(client, request_uuid)

    before = parsed(get(client, uri))
    assert etree.QName(before).localname == "share-documents-request-state"
    assert before.find(f"{{{V8}}}shared-documents") is not None
    assert shared_documents(before) == []
    assert before.find(f"{{{V8}}}shared-at-time") is None
    assert links(before) == {}

    share(
        client,
        ids,
        InboxDocument(ids.letter_document),
        Upload(SCAN, "kontoutskrift-april.pdf", "application/pdf"),
    )

    state = parsed(get(client, uri))
    letter, upload = shared_documents(state)
    assert letter.findtext(f"{{{V8}}}subject") == "Kontoutskrift mars"
    assert letter.findtext(f"{{{V8}}}file-type") == "pdf"
    assert letter.findtext(f"{{{V8}}}file-size-bytes") == str(len(letter_pdf))
    organisation = letter.find(f"{{{V8}}}origin/{{{V8}}}organisation")
    assert organisation is not None
    assert (organisation.get("organisation-number"), organisation.get("name")) == ("974760673", "Testkommune")
    person = upload.find(f"{{{V8}}}origin/{{{V8}}}private-person")
    assert person is not None
    assert person.get("name") == "Ola Nordmann"
    assert upload.findtext(f"{{{V8}}}subject") == "kontoutskrift-april"
    assert state.findtext(f"{{{V8}}}shared-at-time") is not None
    assert state.findtext(f"{{{V8}}}expiry-time") is not None
    assert state.find(f"{{{V8}}}withdrawn-time") is None
    assert set(links(state)) == {"stop_sharing"}
    assert set(links(letter)) == {"get_shared_document_content", "get_shared_document_content_stream"}

    stream = get(client, links(letter)["get_shared_document_content_stream"], accept="*/*")
    assert stream.status_code == 200
    assert stream.content == letter_pdf
    assert stream.headers["content-type"] == "application/pdf"
    assert get(client, links(upload)["get_shared_document_content_stream"], accept="*/*").content == SCAN

    content = parsed(get(client, links(upload)["get_shared_document_content"]))
    assert etree.QName(content).localname == "shared-document-content"
    assert content.findtext(f"{{{V8}}}content-type") == "application/pdf"
    view_uri = content.findtext(f"{{{V8}}}uri") or ""
    browser = client.http.get(path_of(view_uri))  # a browser: no Digipost headers at all
    assert browser.status_code == 200
    assert browser.content == SCAN
    assert browser.headers["content-security-policy"] == "sandbox"
    assert browser.headers["content-disposition"].startswith("inline")

    stopped = post(client, links(state)["stop_sharing"], additional_data(STOPPED))
    assert stopped.status_code == 200, stopped.text
    after = parsed(get(client, uri))
    assert shared_documents(after) == []
    assert links(after) == {}
    assert after.findtext(f"{{{V8}}}expiry-time") == state.findtext(f"{{{V8}}}expiry-time")

    gone = get(client, links(letter)["get_shared_document_content_stream"], accept="*/*")
    assert gone.status_code == 404
    assert error_code(gone) == "DOCUMENT_NOT_FOUND"
    assert "stopped by the sender" in gone.text
    assert client.http.get(path_of(view_uri)).status_code == 404
    again = post(client, links(state)["stop_sharing"], additional_data(STOPPED))
    assert again.status_code == 409
    assert error_code(again) == "INVALID_TRANSACTION"


def test_documents_disappear_when_the_sharing_expires(client: SignedClient) -> None:
    request_uuid, _, ids = send_request_and_letter(client, seconds=60)
    share(client, ids, InboxDocument(ids.letter_document))
    uri = state_uri(client, request_uuid)
    (document,) = shared_documents(parsed(get(client, uri)))
    content_uri = links(document)["get_shared_document_content"]
    assert get(client, content_uri).status_code == 200

    # Past the 60 s but within the ±5 min the request Date check allows.
    client.runtime_of().clock.advance(timedelta(seconds=61))
    expired = parsed(get(client, uri))
    assert shared_documents(expired) == []
    assert links(expired) == {}
    assert expired.findtext(f"{{{V8}}}expiry-time") is not None
    response = get(client, content_uri)
    assert response.status_code == 404
    assert error_code(response) == "DOCUMENT_NOT_FOUND"
    assert "expired" in response.text


def test_a_withdrawn_sharing_shows_its_withdrawal_time(client: SignedClient) -> None:
    request_uuid, _, ids = send_request_and_letter(client)
    share(client, ids, Upload(SCAN, "skann.pdf", "application/pdf"))
    client.run(withdraw_sharing, client.runtime_of(), ids.request, ids.recipient)

    state = parsed(get(client, state_uri(client, request_uuid)))
    assert state.findtext(f"{{{V8}}}withdrawn-time") is not None
    assert shared_documents(state) == []
    assert links(state) == {}


def test_unknown_requests_foreign_senders_and_wrong_stop_bodies_are_refused(client: SignedClient) -> None:
    request_uuid, _, ids = send_request_and_letter(client)
    uri = state_uri(client, request_uuid)

    unknown = get(client, state_uri(client, str(uuid.uuid4())))
    assert unknown.status_code == 404
    assert error_code(unknown) == "DOCUMENT_NOT_FOUND"
    foreign = get(client, uri.replace(f"/{BROKER}/", "/999999/"))
    assert foreign.status_code == 403
    assert error_code(foreign) == "BROKER_NOT_AUTHORIZED"

    share(client, ids, InboxDocument(ids.letter_document))
    stop_uri = links(parsed(get(client, uri)))["stop_sharing"]
    wrong_type = post(
        client, stop_uri, additional_data(f'<share-documents-request-documents-shared xmlns="{DATATYPES}"/>')
    )
    assert wrong_type.status_code == 400
    assert error_code(wrong_type) == "VALIDATION_FAILED"
    not_xml = post(client, stop_uri, b"stop!")
    assert not_xml.status_code == 400
    assert error_code(not_xml) == "SCHEMA_VALIDATION_ERROR"
    other_sender = post(client, stop_uri, additional_data(STOPPED, "<sender-id>424242</sender-id>"))
    assert other_sender.status_code == 403
    assert shared_documents(parsed(get(client, uri))) != []  # nothing was stopped

    bad_token = client.http.get(f"{client.prefix}/shared/not-a-token")
    assert bad_token.status_code == 404
    assert error_code(bad_token) == "DOCUMENT_NOT_FOUND"


def test_stop_accepts_the_sender_named_by_organisation(client: SignedClient) -> None:
    request_uuid, _, ids = send_request_and_letter(client)
    share(client, ids, InboxDocument(ids.letter_document))
    uri = state_uri(client, request_uuid)
    stop_uri = links(parsed(get(client, uri)))["stop_sharing"]
    organisation = "<sender-organization><organization-id>974760673</organization-id></sender-organization>"
    body = additional_data(STOPPED, organisation)
    assert post(client, stop_uri, body).status_code == 200
    assert shared_documents(parsed(get(client, uri))) == []

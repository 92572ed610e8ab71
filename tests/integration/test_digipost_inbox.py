"""The organisation's inbox through the Digipost API: letters to the sender's own organisation
number, from any dialect, listed (offset, limit ≤ 1000), their content through a one-time link
(307, used once, valid 30 seconds) and deleted — the same letters its web inbox shows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree

from postbud.dialects.digipost.signing import verify_response
from postbud.domain.identifiers import parse_party_id
from postbud.services.inbox.query import list_letters
from postbud.services.letters.letter_request import DocumentInput, SendLetter
from postbud.services.letters.send_letter import send_letter
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, a_pdf, client, error_code, message
from tests.integration.digipost_requests import add_recipient, get, request, valid_v8

__all__ = ["client"]

OWN_ORGANISATION = "974760673"  # the broker's organisation number (digipost_fixtures)
INBOX = f"/digipost/{BROKER}/inbox"


def q(name: str) -> str:
    return f"{{{V8}}}{name}"


def path_of(uri: str) -> str:
    return "/" + uri.split("://", 1)[1].split("/", 1)[1]


def verify_empty(client: SignedClient, response: Any, path: str) -> None:
    """The signature of a body-less answer (Date and signature, no content hash)."""
    assert client.server_certificate is not None
    verify_response(
        status=response.status_code,
        request_path=path,
        headers=dict(response.headers),
        body=response.content,
        public_key=client.server_certificate.public_key(),  # type: ignore[arg-type]
        now=datetime.now(UTC),
    )


def content_redirect(client: SignedClient, path: str) -> Any:
    """GET a content-uri without following its redirect (the test client would)."""
    headers = {**client.headers("GET", path, None), "Accept": "*/*"}
    return client.http.get(path, headers=headers, follow_redirects=False)


def _with_mailbox(client: SignedClient) -> uuid.UUID:
    return add_recipient(client, OWN_ORGANISATION, "Testkommune", business_inbox=True, mailbox=None).id


def _send_digipost(client: SignedClient, subject: str) -> bytes:
    doc = str(uuid.uuid4())
    pdf = a_pdf(subject)
    xml = message(f"<organisation-number>{OWN_ORGANISATION}</organisation-number>", doc, subject=subject)
    response = client.send(xml, {doc: pdf})
    assert response.status_code == 201, response.text
    return pdf


def _send_other_dialect(client: SignedClient, subject: str) -> None:
    async def send() -> None:
        runtime = client.runtime_of()
        async with runtime.reader() as uow:
            sender = await uow.senders.by_digipost_id(BROKER)
        assert sender is not None
        document = DocumentInput(a_pdf(subject), "pdf", "application/pdf", title=subject)
        command = SendLetter(
            sender.id,
            "altinn",
            (document,),
            recipient=parse_party_id(OWN_ORGANISATION),
            senders_reference="ref-9",
        )
        await send_letter(command, runtime)

    client.run(send)


def _inbox(client: SignedClient, query: str = "") -> etree._Element:
    return valid_v8(get(client, INBOX, query))


def test_letters_from_any_dialect_are_listed_newest_first_as_the_web_inbox_shows_them(
    client: SignedClient,
) -> None:
    mailbox = _with_mailbox(client)
    _send_digipost(client, "Fra Digipost")
    _send_other_dialect(client, "Fra Altinn")
    documents = _inbox(client).findall(q("document"))
    assert [d.findtext(q("subject")) for d in documents] == ["Fra Altinn", "Fra Digipost"]
    altinn = documents[0]
    assert altinn.findtext(q("sender")) == "Testkommune"
    assert altinn.findtext(q("reference-from-sender")) == "ref-9"
    assert altinn.find(q("first-accessed")) is None
    assert altinn.findtext(q("content-type")) == "application/pdf"
    web = client.run(lambda: list_letters(client.runtime_of(), mailbox))
    assert [letter.subject for letter in web.letters] == ["Fra Altinn", "Fra Digipost"]

    paged = _inbox(client, "offset=1&limit=1").findall(q("document"))
    assert [d.findtext(q("subject")) for d in paged] == ["Fra Digipost"]


def test_content_comes_once_through_a_redirect_and_marks_the_letter_accessed(client: SignedClient) -> None:
    _with_mailbox(client)
    pdf = _send_digipost(client, "Vedtak")
    (document,) = _inbox(client).findall(q("document"))
    content_path = path_of(document.findtext(q("content-uri")) or "")
    redirect = content_redirect(client, content_path)
    assert redirect.status_code == 307
    verify_empty(client, redirect, content_path)  # the Java client verifies every hop
    target = path_of(redirect.headers["location"])
    first = client.http.get(target)
    assert first.status_code == 200
    assert first.content == pdf
    client.verify(first, target)
    again = client.http.get(target)
    assert (again.status_code, error_code(again)) == (404, "DOCUMENT_NOT_FOUND")
    assert _inbox(client).find(q("document")).find(q("first-accessed")) is not None


def test_a_link_expires_after_thirty_seconds(client: SignedClient) -> None:
    _with_mailbox(client)
    _send_digipost(client, "Vedtak")
    content_path = path_of(_inbox(client).find(q("document")).findtext(q("content-uri")) or "")
    target = path_of(content_redirect(client, content_path).headers["location"])
    runtime = client.runtime_of()
    original = runtime.wall_clock.now
    runtime.wall_clock.now = lambda: original() + timedelta(seconds=31)  # type: ignore[method-assign]
    try:
        late = client.http.get(target)
    finally:
        runtime.wall_clock.now = original  # type: ignore[method-assign]
    assert late.status_code == 404


def test_a_deleted_letter_leaves_the_api_and_the_web_inbox(client: SignedClient) -> None:
    mailbox = _with_mailbox(client)
    _send_digipost(client, "Slettes")
    _send_digipost(client, "Blir")
    documents = _inbox(client).findall(q("document"))
    doomed = next(d for d in documents if d.findtext(q("subject")) == "Slettes")
    delete_path = path_of(doomed.findtext(q("delete-uri")) or "")
    deleted = request(client, "DELETE", delete_path)
    verify_empty(client, deleted, delete_path)
    assert deleted.status_code == 200
    assert [d.findtext(q("subject")) for d in _inbox(client).findall(q("document"))] == ["Blir"]
    web = client.run(lambda: list_letters(client.runtime_of(), mailbox))
    assert [letter.subject for letter in web.letters] == ["Blir"]
    again = request(client, "DELETE", delete_path)
    assert (again.status_code, error_code(again)) == (404, "DOCUMENT_NOT_FOUND")


def test_limits(client: SignedClient) -> None:
    _with_mailbox(client)
    too_many: Any = request(client, "GET", INBOX, query="limit=1001")
    assert (too_many.status_code, error_code(too_many)) == (400, "INVALID_QUERY_PARAMETER")
    assert _inbox(client, "limit=1000").findall(q("document")) == []


def test_an_organisation_without_a_mailbox_has_an_empty_inbox(client: SignedClient) -> None:
    assert _inbox(client).findall(q("document")) == []

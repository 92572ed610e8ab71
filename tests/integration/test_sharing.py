"""Document sharing as a use case, on real SQLite and PostgreSQL: share, expire, withdraw, stop."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from postbud.domain.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.services.inbox.sharing import (
    InboxDocument,
    SharingEnd,
    Upload,
    find_request,
    share_documents,
    shared_document_content,
    sharing_state,
    stop_sharing,
    withdraw_sharing,
)
from postbud.services.letters.send_letter import send_letter
from postbud.services.runtime import Runtime
from postbud.storage.repos.sharing import OriginKind
from tests.integration.core_helpers import (
    PERSON_WITH_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    pdf_document,
    runtime_for,
)
from tests.real_pdf import real_pdf

pytestmark = pytest.mark.anyio

REQUESTER_ORGNR = "974761076"
EMPLOYER_ORGNR = "984661185"
OTHER_PERSON = "01017010170"
UPLOADED_PDF = real_pdf("my own scan")
HOUR = 3600


@dataclass
class World:
    runtime: Runtime
    requester: uuid.UUID
    employer: uuid.UUID
    ola: uuid.UUID
    per: uuid.UUID


async def _recipient_id(runtime: Runtime, pin: str) -> uuid.UUID:
    async with runtime.reader() as uow:
        found = await uow.recipients.by_party_id(parse_party_id(pin))
    assert found is not None
    return found.id


async def world(tmp_path: Path, database_url: str) -> World:
    runtime = await runtime_for(tmp_path, database_url)
    requester = await add_sender(runtime, REQUESTER_ORGNR)
    employer = await add_sender(runtime, EMPLOYER_ORGNR)
    await add_recipients(runtime)
    async with runtime.unit_of_work() as uow:
        await uow.recipients.add(
            Recipient(
                uuid.uuid4(), parse_party_id(OTHER_PERSON), "Per Hansen", Capabilities(digital_mailbox=True)
            ),
            now=runtime.clock.now(),
        )
    ola = await _recipient_id(runtime, PERSON_WITH_MAILBOX)
    per = await _recipient_id(runtime, OTHER_PERSON)
    return World(runtime, requester, employer, ola, per)


async def send_request(
    w: World, *, seconds: int = HOUR, allowed: list[str] | None = None
) -> tuple[uuid.UUID, str]:
    """A sharing request to Ola; returns its shipment id and its primary document's external id."""
    datatype: dict[str, Any] = {
        "kind": "share-documents-request",
        "max_share_duration_seconds": seconds,
        "purpose": "Vi trenger dine tre siste lønnsslipper",
    }
    if allowed is not None:
        datatype["allowed_origin_organisation_numbers"] = allowed
    external_id = str(uuid.uuid4())
    primary = replace(pdf_document("Forespørsel om dokumenter", external_id), datatype=datatype)
    accepted = await send_letter(letter(w.requester, documents=(primary,)), w.runtime)
    return accepted.shipment.id, external_id


async def send_letter_to(
    w: World, sender: uuid.UUID, title: str, pin: str = PERSON_WITH_MAILBOX
) -> uuid.UUID:
    """A plain letter; returns the id of its primary document."""
    accepted = await send_letter(
        letter(sender, recipient=parse_party_id(pin), documents=(pdf_document(title),)), w.runtime
    )
    return accepted.shipment.primary.id


async def event_types(runtime: Runtime, shipment_id: uuid.UUID) -> list[EventType]:
    async with runtime.reader() as uow:
        return [e.type for e in await uow.events.for_shipment(shipment_id)]


async def test_sharing_an_inbox_letter_and_an_upload(tmp_path: Path, database_url: str) -> None:
    w = await world(tmp_path, database_url)
    request_id, external_id = await send_request(w)
    payslip = await send_letter_to(w, w.employer, "Lønnsslipp mars")
    assert await find_request(w.runtime, w.requester, external_id) == request_id

    before = await sharing_state(w.runtime, request_id)
    assert (before.documents, before.shared_at, before.active) == ((), None, False)
    assert before.purpose == "Vi trenger dine tre siste lønnsslipper"

    state = await share_documents(
        w.runtime,
        request_id,
        w.ola,
        [InboxDocument(payslip), Upload(UPLOADED_PDF, "C:\\Skann\\kontoutskrift.pdf", "application/pdf")],
    )
    assert state.active
    assert state.ended is None
    assert state.shared_at is not None
    assert state.expires_at == state.shared_at + timedelta(seconds=HOUR)
    letter_doc, upload_doc = state.documents
    assert (letter_doc.subject, letter_doc.file_type, letter_doc.origin_kind) == (
        "Lønnsslipp mars",
        "pdf",
        OriginKind.ORGANISATION,
    )
    assert (letter_doc.origin_organisation_number, letter_doc.origin_name) == (EMPLOYER_ORGNR, "Skatteetaten")
    assert letter_doc.source_document_id == payslip
    assert (upload_doc.subject, upload_doc.size, upload_doc.origin_kind, upload_doc.origin_name) == (
        "kontoutskrift",
        len(UPLOADED_PDF),
        OriginKind.PRIVATE_PERSON,
        "Ola Nordmann",
    )
    assert upload_doc.origin_organisation_number is None

    fetched = await shared_document_content(w.runtime, request_id, upload_doc.id)
    assert fetched.content == UPLOADED_PDF
    original = await shared_document_content(w.runtime, request_id, letter_doc.id)
    assert original.content == pdf_document("Lønnsslipp mars").content

    async with w.runtime.reader() as uow:
        shared_event = [
            e for e in await uow.events.for_shipment(request_id) if e.type is EventType.DOCUMENTS_SHARED
        ]
    assert len(shared_event) == 1
    assert shared_event[0].data == {"document_ids": [str(letter_doc.id), str(upload_doc.id)]}

    with pytest.raises(Conflict) as again:
        await share_documents(w.runtime, request_id, w.ola, [InboxDocument(payslip)])
    assert again.value.field == "documents[0]"
    await w.runtime.close()


async def test_the_first_share_starts_a_countdown_that_later_shares_do_not_extend(
    tmp_path: Path, database_url: str
) -> None:
    w = await world(tmp_path, database_url)
    request_id, _ = await send_request(w)
    first = await send_letter_to(w, w.employer, "Lønnsslipp januar")
    second = await send_letter_to(w, w.employer, "Lønnsslipp februar")

    state = await share_documents(w.runtime, request_id, w.ola, [InboxDocument(first)])
    expires_at = state.expires_at
    w.runtime.clock.advance(timedelta(minutes=30))
    later = await share_documents(w.runtime, request_id, w.ola, [InboxDocument(second)])
    assert later.expires_at == expires_at
    assert later.shared_at == state.shared_at
    assert [d.position for d in later.documents] == [0, 1]
    assert later.documents[1].shared_at > later.documents[0].shared_at

    w.runtime.clock.advance(timedelta(minutes=31))
    expired = await sharing_state(w.runtime, request_id, now=w.runtime.clock.now())
    assert not expired.active
    assert (expired.ended, expired.ended_at) == (SharingEnd.EXPIRED, expires_at)
    assert len(expired.documents) == 2  # the history stays; only the content is gone
    with pytest.raises(Conflict) as caught:
        await shared_document_content(w.runtime, request_id, expired.documents[0].id)
    assert caught.value.field == "sharing"
    assert "expired" in caught.value.rule
    with pytest.raises(Conflict):
        await share_documents(
            w.runtime, request_id, w.ola, [Upload(UPLOADED_PDF, "a.pdf", "application/pdf")]
        )
    with pytest.raises(Conflict):
        await stop_sharing(w.runtime, request_id, w.requester)
    await w.runtime.close()


async def test_the_recipient_withdraws(tmp_path: Path, database_url: str) -> None:
    w = await world(tmp_path, database_url)
    request_id, _ = await send_request(w)
    with pytest.raises(Conflict) as nothing_yet:
        await withdraw_sharing(w.runtime, request_id, w.ola)
    assert "nothing has been shared" in nothing_yet.value.rule

    state = await share_documents(
        w.runtime, request_id, w.ola, [Upload(UPLOADED_PDF, "a.pdf", "application/pdf")]
    )
    with pytest.raises(NotPermitted):
        await withdraw_sharing(w.runtime, request_id, w.per)
    withdrawn = await withdraw_sharing(w.runtime, request_id, w.ola)
    assert not withdrawn.active
    assert withdrawn.ended is SharingEnd.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.stopped_at is None
    assert EventType.SHARING_WITHDRAWN in await event_types(w.runtime, request_id)

    with pytest.raises(Conflict) as gone:
        await shared_document_content(w.runtime, request_id, state.documents[0].id)
    assert "withdrawn" in gone.value.rule
    with pytest.raises(Conflict):
        await withdraw_sharing(w.runtime, request_id, w.ola)
    with pytest.raises(Conflict):
        await share_documents(
            w.runtime, request_id, w.ola, [Upload(UPLOADED_PDF, "b.pdf", "application/pdf")]
        )
    await w.runtime.close()


async def test_the_sender_stops(tmp_path: Path, database_url: str) -> None:
    w = await world(tmp_path, database_url)
    request_id, _ = await send_request(w)
    state = await share_documents(
        w.runtime, request_id, w.ola, [Upload(UPLOADED_PDF, "a.pdf", "application/pdf")]
    )

    with pytest.raises(NotPermitted):
        await stop_sharing(w.runtime, request_id, w.employer)
    stopped = await stop_sharing(w.runtime, request_id, w.requester)
    assert not stopped.active
    assert stopped.ended is SharingEnd.STOPPED
    assert stopped.stopped_at is not None
    assert stopped.withdrawn_at is None
    types = await event_types(w.runtime, request_id)
    assert types.count(EventType.SHARING_STOPPED) == 1
    assert EventType.DOCUMENTS_SHARED in types

    with pytest.raises(Conflict) as gone:
        await shared_document_content(w.runtime, request_id, state.documents[0].id)
    assert "stopped by the sender" in gone.value.rule
    with pytest.raises(Conflict):
        await stop_sharing(w.runtime, request_id, w.requester)
    with pytest.raises(Conflict):
        await withdraw_sharing(w.runtime, request_id, w.ola)
    await w.runtime.close()


async def test_stopping_before_anything_is_shared_closes_the_request(
    tmp_path: Path, database_url: str
) -> None:
    w = await world(tmp_path, database_url)
    request_id, _ = await send_request(w)
    stopped = await stop_sharing(w.runtime, request_id, w.requester)
    assert stopped.shared_at is None
    assert stopped.ended is SharingEnd.STOPPED
    assert not stopped.active
    with pytest.raises(Conflict):
        await share_documents(
            w.runtime, request_id, w.ola, [Upload(UPLOADED_PDF, "a.pdf", "application/pdf")]
        )
    await w.runtime.close()


async def test_only_the_recipient_shares_and_only_their_own_letters(
    tmp_path: Path, database_url: str
) -> None:
    w = await world(tmp_path, database_url)
    request_id, _ = await send_request(w)
    pers_letter = await send_letter_to(w, w.employer, "Pers lønnsslipp", OTHER_PERSON)

    with pytest.raises(NotPermitted):
        await share_documents(w.runtime, request_id, w.per, [InboxDocument(pers_letter)])
    with pytest.raises(NotFound) as foreign:
        await share_documents(w.runtime, request_id, w.ola, [InboxDocument(pers_letter)])
    assert foreign.value.entity == "document"
    with pytest.raises(NotFound):
        await share_documents(w.runtime, request_id, w.ola, [InboxDocument(uuid.uuid4())])
    assert (await sharing_state(w.runtime, request_id)).documents == ()
    await w.runtime.close()


async def test_allowed_origin_organisations_filter_what_may_be_shared(
    tmp_path: Path, database_url: str
) -> None:
    w = await world(tmp_path, database_url)
    request_id, _ = await send_request(w, allowed=[EMPLOYER_ORGNR])
    from_requester = await send_letter_to(w, w.requester, "Skattemelding")
    from_employer = await send_letter_to(w, w.employer, "Lønnsslipp")

    with pytest.raises(ValidationFailed) as wrong_origin:
        await share_documents(
            w.runtime, request_id, w.ola, [InboxDocument(from_employer), InboxDocument(from_requester)]
        )
    assert wrong_origin.value.errors[0].field == "documents[1]"
    with pytest.raises(ValidationFailed) as upload:
        await share_documents(
            w.runtime, request_id, w.ola, [Upload(UPLOADED_PDF, "a.pdf", "application/pdf")]
        )
    assert "uploads are not accepted" in upload.value.errors[0].rule
    assert (await sharing_state(w.runtime, request_id)).shared_at is None

    state = await share_documents(w.runtime, request_id, w.ola, [InboxDocument(from_employer)])
    assert [d.origin_organisation_number for d in state.documents] == [EMPLOYER_ORGNR]
    await w.runtime.close()


async def test_requests_and_uploads_are_checked(tmp_path: Path, database_url: str) -> None:
    w = await world(tmp_path, database_url)
    request_id, _ = await send_request(w)
    plain = await send_letter_to(w, w.requester, "Vedtak")
    async with w.runtime.reader() as uow:
        plain_letter = await uow.sharing.shipment_of_document(plain)
    assert plain_letter is not None

    with pytest.raises(NotFound):
        await sharing_state(w.runtime, plain_letter)
    with pytest.raises(NotFound):
        await share_documents(w.runtime, plain_letter, w.ola, [InboxDocument(plain)])
    with pytest.raises(NotFound):
        await find_request(w.runtime, w.requester, "not-a-request")
    with pytest.raises(ValidationFailed):
        await share_documents(w.runtime, request_id, w.ola, [])

    bad_uploads = {
        "documents[0].mime": Upload(UPLOADED_PDF, "a.docx", "application/msword"),
        "documents[0].content": Upload(UPLOADED_PDF, "a.png", "image/png"),
        "documents[0].filename": Upload(UPLOADED_PDF, "  ", "application/pdf"),
    }
    for field, upload in bad_uploads.items():
        with pytest.raises(ValidationFailed) as caught:
            await share_documents(w.runtime, request_id, w.ola, [upload])
        assert caught.value.errors[0].field == field
    assert (await sharing_state(w.runtime, request_id)).documents == ()
    await w.runtime.close()

"""Per-letter and recipient use cases through the core: fetch, read, confirm, download, purge,
cancel, due dates and document expiry. Real worker, sandbox clock, both databases."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.errors import (
    Conflict,
    ConflictCode,
    NotPermitted,
    PermissionCode,
    RuleCode,
    ValidationFailed,
)
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import parse_party_id
from postbud.domain.letter_actions import AsRecipient, AsSender
from postbud.domain.letter_terms import Deadlines, DocumentExpiry, LetterTerms
from postbud.domain.shipments import NotificationRequest, PrintInstructions, RegistrationRequest
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.attachments import (
    InitializeAttachment,
    initialize_attachment,
    upload_attachment,
)
from postbud.services.letters.cancel import cancel_letter
from postbud.services.letters.deadlines import expire_document, note_due_date, set_letter_terms
from postbud.services.letters.send_letter import send_letter
from postbud.services.letters.send_to_many import LetterRecipient, SendToMany, send_to_many
from postbud.services.recipient_actions.confirm import confirm_letter
from postbud.services.recipient_actions.download import download_document
from postbud.services.recipient_actions.fetch import record_fetched
from postbud.services.recipient_actions.purge import purge_letter
from postbud.services.recipient_actions.read import mark_read
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from postbud.storage import schema
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITH_MAILBOX,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    pdf_document,
    runtime_for,
)

pytestmark = pytest.mark.anyio

RECIPIENT = AsRecipient(str(parse_party_id(PERSON_WITH_MAILBOX)))
STRANGER = AsRecipient(str(parse_party_id(PERSON_WITHOUT_MAILBOX)))


@dataclass
class World:
    runtime: Runtime
    sender: uuid.UUID
    other_sender: uuid.UUID

    @property
    def as_sender(self) -> AsSender:
        return AsSender(self.sender)

    async def delivered(self, **changes: object) -> uuid.UUID:
        """A letter in the recipient's mailbox (delivered in its send request)."""
        accepted = await send_letter(letter(self.sender, **changes), self.runtime)
        assert accepted.shipment.status is ShipmentStatus.DELIVERED
        return accepted.shipment.id

    async def held(self) -> uuid.UUID:
        """A letter waiting for its publish time a day from now."""
        publish_at = self.runtime.clock.now() + timedelta(days=1)
        accepted = await send_letter(letter(self.sender, publish_at=publish_at), self.runtime)
        assert accepted.shipment.status is ShipmentStatus.SCHEDULED
        return accepted.shipment.id

    async def on_paper(self) -> uuid.UUID:
        """A letter routed to print, its delivery job waiting for a worker."""
        command = letter(
            self.sender,
            recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
            print_instructions=PrintInstructions(recipient=ADDRESS),
        )
        accepted = await send_letter(command, self.runtime)
        assert accepted.shipment.status is ShipmentStatus.ROUTED
        return accepted.shipment.id

    async def status(self, shipment_id: uuid.UUID) -> ShipmentStatus:
        async with self.runtime.reader() as uow:
            shipment = await uow.shipments.get(shipment_id)
        assert shipment is not None
        return shipment.status

    async def events(self, shipment_id: uuid.UUID, kind: EventType | None = None) -> list[ShipmentEvent]:
        async with self.runtime.reader() as uow:
            events = await uow.events.for_shipment(shipment_id)
        return [e for e in events if kind is None or e.type is kind]

    async def documents(self, shipment_id: uuid.UUID) -> tuple[Document, ...]:
        async with self.runtime.reader() as uow:
            shipment = await uow.shipments.get(shipment_id)
        assert shipment is not None
        return shipment.documents

    async def jobs(self, key: str) -> list[tuple[str, str | None]]:
        """(status, last error) of the job with this idempotency key, if there is one."""
        j = schema.jobs.c
        async with self.runtime.reader() as uow:
            rows = await uow.conn.execute(select(j.status, j.last_error).where(j.idempotency_key == key))
            return [(row.status, row.last_error) for row in rows]

    async def work(self) -> int:
        worker = Worker(self.runtime, core_handlers())
        total = 0
        while claimed := await worker.run_once():
            total += claimed
        return total


@pytest.fixture
async def world(tmp_path: Path, database_url: str) -> AsyncIterator[World]:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    other = await add_sender(runtime, orgnr="988077917")
    await add_recipients(runtime)
    yield World(runtime, sender, other)
    await runtime.close()


def refused(excinfo: pytest.ExceptionInfo[Conflict], code: ConflictCode) -> None:
    assert excinfo.value.code is code, excinfo.value


# --- Fetched ------------------------------------------------------------------------------------------


async def test_a_fetch_is_noted_without_changing_the_status_once_per_fifteen_seconds(world: World) -> None:
    letter_id = await world.delivered()
    assert await record_fetched(world.runtime, RECIPIENT, letter_id) is True
    assert await world.status(letter_id) is ShipmentStatus.DELIVERED
    assert await record_fetched(world.runtime, RECIPIENT, letter_id) is False, "debounced"
    world.runtime.clock.advance(timedelta(seconds=15))
    assert await record_fetched(world.runtime, RECIPIENT, letter_id) is True
    assert await record_fetched(world.runtime, world.as_sender, letter_id) is False, "a sender does not fetch"
    fetched = await world.events(letter_id, EventType.FETCHED)
    assert len(fetched) == 2
    assert fetched[1].at - fetched[0].at >= timedelta(seconds=15)
    assert await world.status(letter_id) is ShipmentStatus.DELIVERED


async def test_a_letter_is_not_fetched_before_it_is_published(world: World) -> None:
    letter_id = await world.held()
    with pytest.raises(Conflict) as excinfo:
        await record_fetched(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.NOT_YET)
    assert await world.events(letter_id, EventType.FETCHED) == []


# --- Read and confirm ---------------------------------------------------------------------------------


async def test_read_needs_a_fetch_and_happens_once(world: World) -> None:
    letter_id = await world.delivered()
    with pytest.raises(Conflict) as excinfo:
        await mark_read(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.NOT_YET)
    await record_fetched(world.runtime, RECIPIENT, letter_id)
    await mark_read(world.runtime, RECIPIENT, letter_id)
    assert await world.status(letter_id) is ShipmentStatus.OPENED
    with pytest.raises(Conflict) as excinfo:
        await mark_read(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.ALREADY_DONE)
    assert len(await world.events(letter_id, EventType.OPENED)) == 1


async def test_confirm_needs_a_fetch_and_happens_once(world: World) -> None:
    letter_id = await world.delivered()
    with pytest.raises(Conflict) as excinfo:
        await confirm_letter(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.NOT_YET)
    await record_fetched(world.runtime, RECIPIENT, letter_id)
    await confirm_letter(world.runtime, RECIPIENT, letter_id)
    with pytest.raises(Conflict) as excinfo:
        await confirm_letter(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.ALREADY_DONE)
    assert len(await world.events(letter_id, EventType.CONFIRMED)) == 1
    assert await world.status(letter_id) is ShipmentStatus.DELIVERED, "confirming is not reading"


# --- Who may act ----------------------------------------------------------------------------------------


async def test_only_the_letters_own_parties_may_act_on_it(world: World) -> None:
    letter_id = await world.delivered()
    held_id = await world.held()
    not_yours = [
        record_fetched(world.runtime, STRANGER, letter_id),
        mark_read(world.runtime, STRANGER, letter_id),
        confirm_letter(world.runtime, STRANGER, letter_id),
        purge_letter(world.runtime, STRANGER, letter_id),
        purge_letter(world.runtime, AsSender(world.other_sender), held_id),
        cancel_letter(world.runtime, AsSender(world.other_sender), held_id),
        # Each side may do only its own part.
        cancel_letter(world.runtime, RECIPIENT, held_id),
        mark_read(world.runtime, world.as_sender, letter_id),
        confirm_letter(world.runtime, world.as_sender, letter_id),
    ]
    for attempt in not_yours:
        with pytest.raises(NotPermitted) as excinfo:
            await attempt
        assert excinfo.value.code is PermissionCode.NOT_OWNER
    documents = await world.documents(letter_id)
    with pytest.raises(NotPermitted):
        await download_document(world.runtime, world.as_sender, letter_id, documents[0].id)
    assert [e.type for e in await world.events(letter_id)] == [
        EventType.CREATED,
        EventType.ROUTED,
        EventType.DELIVERED,
    ]
    assert await world.status(held_id) is ShipmentStatus.SCHEDULED


# --- Purge ---------------------------------------------------------------------------------------------


async def test_a_sender_purges_only_before_publication_and_its_jobs_are_called_off(world: World) -> None:
    delivered_id = await world.delivered()
    with pytest.raises(Conflict) as excinfo:
        await purge_letter(world.runtime, world.as_sender, delivered_id)
    refused(excinfo, ConflictCode.WRONG_STATE)

    held_id = await world.held()
    await purge_letter(world.runtime, world.as_sender, held_id)
    assert await world.status(held_id) is ShipmentStatus.PURGED
    (purged,) = await world.events(held_id, EventType.PURGED)
    assert purged.data == {"by": "sender"}
    assert await world.jobs(f"publish:{held_id}") == [("done", "purged by its sender")]
    with pytest.raises(Conflict) as excinfo:
        await purge_letter(world.runtime, world.as_sender, held_id)
    refused(excinfo, ConflictCode.ALREADY_DONE)

    await advance_clock(world.runtime, timedelta(days=2))
    await world.work()
    assert await world.status(held_id) is ShipmentStatus.PURGED, "never published"
    assert await world.events(held_id, EventType.DELIVERED) == []
    with pytest.raises(Conflict) as excinfo:
        await record_fetched(world.runtime, RECIPIENT, held_id)
    refused(excinfo, ConflictCode.WRONG_STATE)


async def test_a_recipient_purges_after_publication_and_after_confirming_when_asked(world: World) -> None:
    held_id = await world.held()
    with pytest.raises(Conflict) as excinfo:
        await purge_letter(world.runtime, RECIPIENT, held_id)
    refused(excinfo, ConflictCode.NOT_YET)

    letter_id = await world.delivered()
    await set_letter_terms(world.runtime, LetterTerms(letter_id, needs_confirmation=True))
    with pytest.raises(Conflict) as excinfo:
        await purge_letter(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.NOT_YET)
    await record_fetched(world.runtime, RECIPIENT, letter_id)
    await confirm_letter(world.runtime, RECIPIENT, letter_id)
    await purge_letter(world.runtime, RECIPIENT, letter_id)
    assert await world.status(letter_id) is ShipmentStatus.PURGED
    assert [e.data for e in await world.events(letter_id, EventType.PURGED)] == [{"by": "recipient"}]
    with pytest.raises(Conflict) as excinfo:
        await purge_letter(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.ALREADY_DONE)
    with pytest.raises(Conflict) as excinfo:
        await mark_read(world.runtime, RECIPIENT, letter_id)
    refused(excinfo, ConflictCode.WRONG_STATE)


async def test_a_letter_without_confirmation_terms_is_purged_by_its_recipient_at_once(world: World) -> None:
    letter_id = await world.delivered()
    await purge_letter(world.runtime, RECIPIENT, letter_id)
    assert await world.status(letter_id) is ShipmentStatus.PURGED


# --- Cancel ---------------------------------------------------------------------------------------------


async def test_cancelling_a_letter_stops_its_delivery(world: World) -> None:
    letter_id = await world.on_paper()
    await cancel_letter(world.runtime, world.as_sender, letter_id, reason="sent by mistake")
    assert await world.status(letter_id) is ShipmentStatus.CANCELLED
    (cancelled,) = await world.events(letter_id, EventType.CANCELLED)
    assert cancelled.data == {"by": "sender", "reason": "sent by mistake"}
    assert await world.jobs(f"deliver:{letter_id}") == [("done", "its letter was cancelled")]
    await world.work()
    assert await world.status(letter_id) is ShipmentStatus.CANCELLED
    assert await world.events(letter_id, EventType.SENT_TO_PRINT) == []
    with pytest.raises(Conflict) as excinfo:
        await cancel_letter(world.runtime, world.as_sender, letter_id)
    refused(excinfo, ConflictCode.ALREADY_DONE)


async def test_a_letter_is_not_cancelled_once_a_channel_has_it(world: World) -> None:
    delivered_id = await world.delivered()
    with pytest.raises(Conflict) as excinfo:
        await cancel_letter(world.runtime, world.as_sender, delivered_id)
    refused(excinfo, ConflictCode.WRONG_STATE)

    on_paper = await world.on_paper()
    worker = Worker(world.runtime, core_handlers())
    (claimed,) = await worker.claim()  # a worker is handing it to the print house right now
    with pytest.raises(Conflict) as excinfo:
        await cancel_letter(world.runtime, world.as_sender, on_paper)
    refused(excinfo, ConflictCode.WRONG_STATE)
    assert claimed.payload == {"shipment_id": str(on_paper)}
    assert await world.status(on_paper) is ShipmentStatus.ROUTED
    assert await world.status(delivered_id) is ShipmentStatus.DELIVERED


async def test_a_held_letter_cancelled_is_never_published(world: World) -> None:
    letter_id = await world.held()
    await cancel_letter(world.runtime, world.as_sender, letter_id)
    await advance_clock(world.runtime, timedelta(days=2))
    await world.work()
    assert await world.status(letter_id) is ShipmentStatus.CANCELLED
    assert await world.events(letter_id, EventType.DELIVERED) == []


# --- Documents: downloads and expiry ------------------------------------------------------------------


async def test_a_download_is_noted_once_per_document(world: World) -> None:
    letter_id = await world.delivered(documents=(pdf_document("main"), pdf_document("annex")))
    main, annex = await world.documents(letter_id)
    for _ in range(2):
        got = await download_document(world.runtime, RECIPIENT, letter_id, main.id)
        assert got.sha256 == main.sha256
    await download_document(world.runtime, RECIPIENT, letter_id, annex.id)
    downloads = await world.events(letter_id, EventType.ATTACHMENT_DOWNLOADED)
    assert sorted(e.data["document_id"] for e in downloads) == sorted([str(main.id), str(annex.id)])
    assert await world.status(letter_id) is ShipmentStatus.DELIVERED


async def test_an_expired_document_is_refused_and_the_letter_keeps_its_status(world: World) -> None:
    letter_id = await world.delivered(documents=(pdf_document("main"), pdf_document("annex")))
    main, annex = await world.documents(letter_id)
    now = world.runtime.clock.now()
    expiry = DocumentExpiry(annex.id, now + timedelta(hours=1))
    await set_letter_terms(world.runtime, LetterTerms(letter_id, document_expiry=(expiry,)))
    await download_document(world.runtime, RECIPIENT, letter_id, annex.id)

    await advance_clock(world.runtime, timedelta(hours=2))
    await world.work()
    (expired,) = await world.events(letter_id, EventType.ATTACHMENT_EXPIRED)
    assert expired.data["document_id"] == str(annex.id)
    assert await world.status(letter_id) is ShipmentStatus.DELIVERED
    with pytest.raises(Conflict) as excinfo:
        await download_document(world.runtime, RECIPIENT, letter_id, annex.id)
    refused(excinfo, ConflictCode.WRONG_STATE)
    await download_document(world.runtime, RECIPIENT, letter_id, main.id)
    assert len(await world.events(letter_id, EventType.ATTACHMENT_DOWNLOADED)) == 2


async def test_a_document_past_its_expiry_is_refused_before_the_job_has_run(world: World) -> None:
    letter_id = await world.delivered(documents=(pdf_document("main"), pdf_document("annex")))
    _, annex = await world.documents(letter_id)
    expiry = DocumentExpiry(annex.id, world.runtime.clock.now() + timedelta(minutes=5))
    await set_letter_terms(world.runtime, LetterTerms(letter_id, document_expiry=(expiry,)))
    world.runtime.clock.advance(timedelta(minutes=6))  # no worker ran
    with pytest.raises(Conflict) as excinfo:
        await download_document(world.runtime, RECIPIENT, letter_id, annex.id)
    refused(excinfo, ConflictCode.WRONG_STATE)


# --- Due date ------------------------------------------------------------------------------------------


async def test_the_due_date_notes_never_read_and_never_confirmed_once(world: World) -> None:
    letter_id = await world.delivered()
    due_at = world.runtime.clock.now() + timedelta(days=1)
    await set_letter_terms(world.runtime, LetterTerms(letter_id, due_at=due_at, needs_confirmation=True))
    await world.work()
    assert await world.events(letter_id, EventType.NEVER_READ) == [], "not due yet"

    await advance_clock(world.runtime, timedelta(days=1, minutes=1))
    await world.work()
    await note_due_date(letter_id, world.runtime)  # run twice: nothing more
    (never_read,) = await world.events(letter_id, EventType.NEVER_READ)
    (never_confirmed,) = await world.events(letter_id, EventType.NEVER_CONFIRMED)
    assert never_read.data == {"due_at": due_at.isoformat()}
    assert never_confirmed.dedup_key == "never_confirmed"
    assert await world.status(letter_id) is ShipmentStatus.DELIVERED
    assert await world.jobs(f"due:{letter_id}") == [("done", None)]


async def test_the_due_date_notes_nothing_for_a_letter_read_and_confirmed_in_time(world: World) -> None:
    letter_id = await world.delivered()
    due_at = world.runtime.clock.now() + timedelta(hours=3)
    await set_letter_terms(world.runtime, LetterTerms(letter_id, due_at=due_at, needs_confirmation=True))
    await record_fetched(world.runtime, RECIPIENT, letter_id)
    await mark_read(world.runtime, RECIPIENT, letter_id)
    await confirm_letter(world.runtime, RECIPIENT, letter_id)
    await advance_clock(world.runtime, timedelta(hours=4))
    await world.work()
    assert await world.events(letter_id, EventType.NEVER_READ) == []
    assert await world.events(letter_id, EventType.NEVER_CONFIRMED) == []


async def test_read_but_not_confirmed_notes_only_never_confirmed(world: World) -> None:
    letter_id = await world.delivered()
    due_at = world.runtime.clock.now() + timedelta(hours=3)
    await set_letter_terms(world.runtime, LetterTerms(letter_id, due_at=due_at, needs_confirmation=True))
    await record_fetched(world.runtime, RECIPIENT, letter_id)
    await mark_read(world.runtime, RECIPIENT, letter_id)
    await advance_clock(world.runtime, timedelta(hours=4))
    await world.work()
    assert await world.events(letter_id, EventType.NEVER_READ) == []
    assert len(await world.events(letter_id, EventType.NEVER_CONFIRMED)) == 1


async def test_terms_that_cannot_hold_are_refused(world: World) -> None:
    letter_id = await world.delivered()
    past = world.runtime.clock.now() - timedelta(minutes=1)
    with pytest.raises(ValidationFailed) as excinfo:
        await set_letter_terms(
            world.runtime,
            LetterTerms(letter_id, due_at=past, document_expiry=(DocumentExpiry(uuid.uuid4(), past),)),
        )
    assert [(e.field, e.code) for e in excinfo.value.errors] == [
        ("due_at", RuleCode.IN_PAST),
        ("document_expiry[0].document_id", RuleCode.INVALID),
        ("document_expiry[0].expires_at", RuleCode.IN_PAST),
    ]
    async with world.runtime.reader() as uow:
        assert await uow.letter_terms.get(letter_id) is None


# --- What a purge ends --------------------------------------------------------------------------------


async def test_a_purge_calls_off_reminders(world: World) -> None:
    notice = NotificationRequest(Channel.EMAIL, address="ola@example.no", after_hours=(24,))
    letter_id = await world.delivered(notifications=(notice,))
    await world.work()  # the first notice goes, the reminder waits a day
    key = f"reminder:{letter_id}:0:after-24h"
    assert await world.jobs(key) == [("ready", None)]
    await purge_letter(world.runtime, RECIPIENT, letter_id)
    assert await world.jobs(key) == [("done", "purged by its recipient")]
    await advance_clock(world.runtime, timedelta(days=2))
    await world.work()
    sent = await world.events(letter_id, EventType.NOTIFICATION_SENT)
    assert [e.data.get("reminder") for e in sent] == [None], "the first notice only"


async def test_a_purge_releases_the_letters_blobs_once_nothing_else_needs_them(world: World) -> None:
    only_here = pdf_document("only in this letter")
    shared = pdf_document("in two letters")
    letter_id = await world.delivered(documents=(only_here, shared))
    await world.delivered(documents=(shared,))
    mine, both = await world.documents(letter_id)
    await purge_letter(world.runtime, RECIPIENT, letter_id)
    assert await world.runtime.blobs.exists(mine.sha256), "released by a job, not at once"
    await advance_clock(world.runtime, timedelta(minutes=10))
    await world.work()
    assert not await world.runtime.blobs.exists(mine.sha256)
    assert await world.runtime.blobs.exists(both.sha256), "the other letter still needs it"


async def test_a_stand_alone_attachment_past_its_expiry_is_refused(world: World) -> None:
    now = world.runtime.clock.now()
    attachment = await initialize_attachment(
        InitializeAttachment(
            world.sender, "altinn", "vedlegg.pdf", "application/pdf", expires_at=now + timedelta(hours=1)
        ),
        world.runtime,
    )
    await upload_attachment(world.sender, attachment.id, pdf_document("vedlegg").content, world.runtime)
    letter_id = await world.delivered(attachment_ids=(attachment.id,))
    main, attached = await world.documents(letter_id)
    assert attached.attachment_id == attachment.id
    await download_document(world.runtime, RECIPIENT, letter_id, attached.id)
    (downloaded,) = await world.events(letter_id, EventType.ATTACHMENT_DOWNLOADED)
    assert downloaded.data["attachment_id"] == str(attachment.id)
    world.runtime.clock.advance(timedelta(hours=2))
    with pytest.raises(Conflict) as excinfo:
        await download_document(world.runtime, RECIPIENT, letter_id, attached.id)
    refused(excinfo, ConflictCode.WRONG_STATE)
    await download_document(world.runtime, RECIPIENT, letter_id, main.id)
    assert await world.status(letter_id) is ShipmentStatus.DELIVERED


# --- Deadlines stated by the send itself ----------------------------------------------------------------


async def test_deadlines_sent_with_the_letter_are_kept_by_its_jobs(world: World) -> None:
    now = world.runtime.clock.now()
    deadlines = Deadlines(now + timedelta(days=7), True, ((1, now + timedelta(days=1)),))
    letter_id = await world.delivered(
        documents=(pdf_document("main"), pdf_document("annex")), deadlines=deadlines
    )
    _, annex = await world.documents(letter_id)
    async with world.runtime.reader() as uow:
        terms = await uow.letter_terms.get(letter_id)
    assert terms == LetterTerms(
        letter_id, now + timedelta(days=7), True, (DocumentExpiry(annex.id, now + timedelta(days=1)),)
    )
    assert await world.jobs(f"due:{letter_id}") == [("ready", None)]
    assert await world.jobs(f"document-expire:{letter_id}:{annex.id}") == [("ready", None)]

    await advance_clock(world.runtime, timedelta(days=8))
    await world.work()
    kinds = [e.type for e in await world.events(letter_id)]
    assert kinds[3:] == [EventType.ATTACHMENT_EXPIRED, EventType.NEVER_READ, EventType.NEVER_CONFIRMED]


async def test_deadlines_that_cannot_hold_refuse_the_whole_send(world: World) -> None:
    now = world.runtime.clock.now()
    with pytest.raises(ValidationFailed) as excinfo:
        await send_letter(
            letter(
                world.sender,
                publish_at=now + timedelta(days=2),
                deadlines=Deadlines(due_at=now + timedelta(days=1)),
                external_id="too-early",
            ),
            world.runtime,
        )
    assert [(e.field, e.code) for e in excinfo.value.errors] == [("due_at", RuleCode.BEFORE_OTHER)]
    async with world.runtime.reader() as uow:
        assert await uow.shipments.by_external_id(world.sender, "platform", "too-early") is None


async def test_every_letter_of_a_request_gets_the_deadlines(world: World) -> None:
    now = world.runtime.clock.now()
    template = letter(world.sender, deadlines=Deadlines(due_at=now + timedelta(hours=1)))
    accepted = await send_to_many(
        SendToMany(
            template,
            (
                LetterRecipient(parse_party_id(PERSON_WITH_MAILBOX)),
                LetterRecipient(parse_party_id(PERSON_WITHOUT_MAILBOX)),
            ),
        ),
        world.runtime,
    )
    for one in accepted.letters:
        assert await world.jobs(f"due:{one.shipment.id}") == [("ready", None)]
    await advance_clock(world.runtime, timedelta(hours=2))
    await world.work()
    delivered, undelivered = (one.shipment.id for one in accepted.letters)
    assert len(await world.events(delivered, EventType.NEVER_READ)) == 1
    assert await world.events(undelivered, EventType.NEVER_READ) == [], "it never reached anyone"


async def test_a_letter_waiting_for_its_recipient_to_register_is_cancelled_with_its_requests(
    world: World,
) -> None:
    unknown = "01010110013"  # valid check digits, not registered anywhere
    registration = RegistrationRequest(world.runtime.clock.now() + timedelta(days=7), "+4791234567")
    accepted = await send_letter(
        letter(
            world.sender,
            recipient=parse_party_id(unknown),
            channels=(Channel.DIGITAL_MAILBOX,),
            registration=registration,
            print_instructions=PrintInstructions(recipient=ADDRESS),
        ),
        world.runtime,
    )
    letter_id = accepted.shipment.id
    assert accepted.decision.pending
    await cancel_letter(world.runtime, world.as_sender, letter_id)
    assert await world.jobs(f"registration-request:{letter_id}") == [("done", "its letter was cancelled")]
    assert await world.jobs(f"registration-deadline:{letter_id}") == [("done", "its letter was cancelled")]
    await advance_clock(world.runtime, timedelta(days=8))
    await world.work()
    kinds = {e.type for e in await world.events(letter_id)}
    assert not kinds & {EventType.REGISTRATION_REQUESTED, EventType.REGISTRATION_EXPIRED, EventType.ROUTED}
    assert await world.status(letter_id) is ShipmentStatus.CANCELLED


async def test_a_cancelled_letter_purged_by_its_sender_is_purged(world: World) -> None:
    letter_id = await world.held()
    await cancel_letter(world.runtime, world.as_sender, letter_id)
    await purge_letter(world.runtime, world.as_sender, letter_id)
    assert await world.status(letter_id) is ShipmentStatus.PURGED
    with pytest.raises(Conflict) as excinfo:
        await purge_letter(world.runtime, world.as_sender, letter_id)
    refused(excinfo, ConflictCode.ALREADY_DONE)


async def test_deadline_jobs_of_a_purged_letter_note_nothing_even_if_they_run(world: World) -> None:
    letter_id = await world.delivered(documents=(pdf_document("main"), pdf_document("annex")))
    _, annex = await world.documents(letter_id)
    now = world.runtime.clock.now()
    expiry = DocumentExpiry(annex.id, now + timedelta(hours=1))
    await set_letter_terms(world.runtime, LetterTerms(letter_id, now + timedelta(hours=1), False, (expiry,)))
    await purge_letter(world.runtime, RECIPIENT, letter_id)
    assert await world.jobs(f"due:{letter_id}") == [("done", "purged by its recipient")]
    # A job already claimed when the letter was purged still runs: it finds the letter gone.
    world.runtime.clock.advance(timedelta(hours=2))
    await note_due_date(letter_id, world.runtime)
    await expire_document(letter_id, annex.id, world.runtime)
    assert await world.jobs(f"document-expire:{letter_id}:{annex.id}") == [
        ("done", "purged by its recipient")
    ]
    kinds = {e.type for e in await world.events(letter_id)}
    assert not kinds & {EventType.NEVER_READ, EventType.ATTACHMENT_EXPIRED}

"""Staged letters on real SQLite and PostgreSQL: a draft is invisible until closed, then sent."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict, ConflictCode, NotFound, RuleCode, ValidationFailed
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import PrintInstructions
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.inbox.query import list_letters
from postbud.services.letters.batches import complete_batch, open_batch
from postbud.services.letters.drafts import (
    AddDraftDocument,
    add_draft_document,
    cancel_draft,
    close_draft,
    start_draft,
)
from postbud.services.letters.letter_request import DocumentInput
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.job_kinds import BLOB_RELEASE
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
from tests.integration.core_send_helpers import count, subscribe_to_everything

pytestmark = pytest.mark.anyio


async def _inbox_of(runtime: Runtime, party: str) -> list[uuid.UUID]:
    async with runtime.reader() as uow:
        recipient = await uow.recipients.by_party_id(parse_party_id(party))
    assert recipient is not None
    return [summary.shipment_id for summary in (await list_letters(runtime, recipient.id)).letters]


async def _types(runtime: Runtime, shipment_id: uuid.UUID) -> list[EventType]:
    async with runtime.reader() as uow:
        return [e.type for e in await uow.events.for_shipment(shipment_id)]


async def _add(
    runtime: Runtime, sender: uuid.UUID, draft: uuid.UUID, doc: DocumentInput, primary: bool
) -> None:
    await add_draft_document(AddDraftDocument(sender, draft, doc, primary=primary), runtime)


async def test_a_draft_is_invisible_until_closed_then_delivered(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await subscribe_to_everything(runtime, sender)
    draft = await start_draft(letter(sender, documents=(), external_id="envelope-1"), runtime)
    assert draft.status is ShipmentStatus.DRAFT
    # Attachments may come before the main document; the main one takes position 0 whenever it comes.
    await _add(runtime, sender, draft.id, pdf_document("vedlegg"), primary=False)
    await _add(runtime, sender, draft.id, pdf_document("brev"), primary=True)

    async with runtime.reader() as uow:
        stored = await uow.shipments.get(draft.id)
        assert stored is not None
        assert stored.status is ShipmentStatus.DRAFT
        assert (stored.channel, stored.recipient_id) == (None, None)
        assert [(d.position, d.title) for d in stored.documents] == [(0, "brev"), (1, "vedlegg")]
        assert [s.id for s in await uow.shipments.list(sender_id=sender)] == []
        assert [s.id for s in await uow.shipments.list(sender_id=sender, status="draft")] == [draft.id]
    assert await _types(runtime, draft.id) == [EventType.DRAFTED]
    assert await count(runtime, schema.jobs) == 0
    assert await count(runtime, schema.webhook_deliveries) == 0
    assert await _inbox_of(runtime, PERSON_WITH_MAILBOX) == []
    assert await Worker(runtime, core_handlers()).run_once() == 0

    accepted = await close_draft(sender, draft.id, runtime)
    assert accepted.decision.channel is Channel.DIGITAL_MAILBOX
    assert accepted.shipment.status is ShipmentStatus.DELIVERED
    assert await _types(runtime, draft.id) == [
        EventType.DRAFTED,
        EventType.CREATED,
        EventType.ROUTED,
        EventType.DELIVERED,
    ]
    assert await _inbox_of(runtime, PERSON_WITH_MAILBOX) == [draft.id]
    assert await count(runtime, schema.webhook_deliveries) == 3, "the events from closing on"
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(draft.id)
        assert stored is not None
        assert stored.status is ShipmentStatus.DELIVERED
        assert [s.id for s in await uow.shipments.list(sender_id=sender)] == [draft.id]
    await runtime.close()


async def test_a_closed_draft_to_print_starts_its_delivery_job_and_needs_pdf(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    to_print = letter(
        sender,
        documents=(),
        recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
        print_instructions=PrintInstructions(ADDRESS),
    )
    not_pdf = await start_draft(to_print, runtime)
    await _add(runtime, sender, not_pdf.id, DocumentInput(b"plain text", "txt", "text/plain"), primary=True)
    with pytest.raises(ValidationFailed) as caught:
        await close_draft(sender, not_pdf.id, runtime)
    assert caught.value.first.code is RuleCode.PRINT_NEEDS_PDF
    assert await _types(runtime, not_pdf.id) == [EventType.DRAFTED], "a refused close changes nothing"

    draft = await start_draft(to_print, runtime)
    await _add(runtime, sender, draft.id, pdf_document("brev"), primary=True)
    assert await count(runtime, schema.jobs) == 0
    accepted = await close_draft(sender, draft.id, runtime)
    assert accepted.decision.channel is Channel.PRINT
    assert await count(runtime, schema.jobs, kind="shipment.deliver") == 1
    await runtime.close()


async def test_draft_rules(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    other = await add_sender(runtime, orgnr="984661185")
    await add_recipients(runtime)
    draft = await start_draft(letter(sender, documents=(), external_id="env-7"), runtime)

    with pytest.raises(ValidationFailed) as caught:
        await close_draft(sender, draft.id, runtime)
    assert (caught.value.first.field, caught.value.first.code) == ("documents", RuleCode.REQUIRED)
    await _add(runtime, sender, draft.id, pdf_document("brev"), primary=True)
    with pytest.raises(Conflict) as conflict:
        await _add(runtime, sender, draft.id, pdf_document("another"), primary=True)
    assert conflict.value.code is ConflictCode.WRONG_STATE
    with pytest.raises(NotFound):
        await _add(runtime, other, draft.id, pdf_document("intruder"), primary=False)
    with pytest.raises(NotFound):
        await close_draft(other, draft.id, runtime)
    with pytest.raises(Conflict) as conflict:
        await start_draft(letter(sender, documents=(), external_id="env-7"), runtime)
    assert conflict.value.code is ConflictCode.DUPLICATE
    with pytest.raises(ValidationFailed):
        await _add(runtime, sender, draft.id, DocumentInput(b"", "pdf", "application/pdf"), primary=False)

    await close_draft(sender, draft.id, runtime)
    for late in (
        close_draft(sender, draft.id, runtime),
        _add(runtime, sender, draft.id, pdf_document("late"), primary=False),
        cancel_draft(sender, draft.id, runtime),
    ):
        with pytest.raises(Conflict) as conflict:
            await late
        assert conflict.value.code is ConflictCode.WRONG_STATE
    await runtime.close()


async def test_a_cancelled_draft_releases_its_content(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    draft = await start_draft(letter(sender, documents=()), runtime)
    await _add(runtime, sender, draft.id, pdf_document("brev"), primary=True)
    await cancel_draft(sender, draft.id, runtime)
    assert await _types(runtime, draft.id) == [EventType.DRAFTED, EventType.CANCELLED]
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(draft.id)
    assert stored is not None
    assert stored.status is ShipmentStatus.CANCELLED
    assert await count(runtime, schema.jobs, kind=BLOB_RELEASE) == 1
    assert await count(runtime, schema.webhook_deliveries) == 0
    with pytest.raises(Conflict):
        await close_draft(sender, draft.id, runtime)
    await runtime.close()


async def test_a_draft_closed_in_an_open_batch_waits_for_the_batch(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    batch = await open_batch(runtime, sender_id=sender, dialect="platform", external_id="campaign-1")
    draft = await start_draft(letter(sender, documents=(), batch_id=batch.id), runtime)
    await _add(runtime, sender, draft.id, pdf_document("brev"), primary=True)
    accepted = await close_draft(sender, draft.id, runtime)
    assert accepted.held
    assert accepted.shipment.status is ShipmentStatus.SCHEDULED
    assert await _inbox_of(runtime, PERSON_WITH_MAILBOX) == []

    await complete_batch(runtime, batch.id)
    worker = Worker(runtime, core_handlers())
    while await worker.run_once():  # the letter's publish job (and whatever the batch wrote)
        pass
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(draft.id)
    assert stored is not None
    assert stored.status is ShipmentStatus.DELIVERED
    assert await _inbox_of(runtime, PERSON_WITH_MAILBOX) == [draft.id]
    await runtime.close()


async def test_a_draft_keeps_who_it_is_for_until_closed(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    by_address = await start_draft(
        letter(sender, documents=(), recipient=None, mailbox_address="OLA.NORDMANN#1A2B"), runtime
    )
    unknown = await start_draft(
        letter(sender, documents=(), recipient=parse_party_id("01010110013"), reject_if_undeliverable=True),
        runtime,
    )
    for draft in (by_address, unknown):
        await _add(runtime, sender, draft.id, pdf_document("brev"), primary=True)

    accepted = await close_draft(sender, by_address.id, runtime)
    assert accepted.decision.channel is Channel.DIGITAL_MAILBOX
    assert await _inbox_of(runtime, PERSON_WITH_MAILBOX) == [by_address.id]
    with pytest.raises(NotFound) as caught:  # Undeliverable: nobody by that number, as asked
        await close_draft(sender, unknown.id, runtime)
    assert caught.value.entity == "recipient"
    assert await _types(runtime, unknown.id) == [EventType.DRAFTED], "still a draft, nothing written"
    await runtime.close()

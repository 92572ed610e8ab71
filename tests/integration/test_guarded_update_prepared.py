"""A guarded update built once with bind parameters (the draft's close) writes exactly the values it
is given — a JSON request, a time, a recipient id, a cleared column — through the group commit on
SQLite (compiled once, run on the DB-API) and PostgreSQL (through SQLAlchemy); a guard that misses
fails the whole write set, the rows it carried included; and a close handed the caller's read of its
draft (so it does not read it again) is refused by the guard when that read is stale."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.domain.documents import DocumentIdScope
from postbud.domain.errors import Conflict
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient
from postbud.domain.shipments import PrintInstructions, Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batches import open_batch
from postbud.services.letters.drafts import AddDraftDocument, add_draft_document, close_draft, start_draft
from postbud.services.letters.letter_request import DocumentInput, SendLetter
from postbud.services.letters.quick_reads import get_letter_quickly
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.errors import StaleWrite
from postbud.storage.repos.shipments import closed_draft_rows
from postbud.storage.writeset import WriteSet
from postbud.testing.pdf import sample_pdf


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url, workers=0))
    await runtime.writer.start()
    try:
        yield runtime
    finally:
        await runtime.close()


async def _draft_and_recipient(runtime: Runtime) -> tuple[Shipment, Recipient]:
    sender = (
        await register_sender(RegisterSender(name="Bolaget AB", organisation_number="556838-4118"), runtime)
    ).sender
    recipient = Recipient(
        uuid.uuid4(), parse_party_id("910825526"), "Org AS", Capabilities(business_inbox=True)
    )
    async with runtime.unit_of_work() as uow:
        await uow.recipients.add(recipient, now=runtime.clock.now())
    started = await start_draft(
        SendLetter(sender_id=sender.id, dialect="ekopost", documents=(), channels=(Channel.PRINT,)), runtime
    )
    async with runtime.reader() as uow:
        draft = await uow.shipments.get(started.id)
    assert draft is not None
    return draft, recipient


@pytest.mark.anyio
async def test_a_prepared_guarded_update_writes_the_values_it_is_given(runtime: Runtime) -> None:
    draft, recipient = await _draft_and_recipient(runtime)
    draft_id = draft.id
    closed = replace(
        draft,
        recipient_id=recipient.id,
        recipient_name="Åse Ærlig",
        channel=Channel.PRINT,
        status=ShipmentStatus.ACCEPTED,
        properties={"envelope": "ett", "nested": {"list": [1, "två"]}},
    )
    later = runtime.clock.now() + timedelta(minutes=3)
    ws = WriteSet()
    closed_draft_rows(closed, 0, ws, now=later)
    await runtime.writer.submit(ws)

    async with runtime.reader() as uow:
        stored = await uow.shipments.get(draft_id)
    assert stored is not None
    assert stored.status is ShipmentStatus.ACCEPTED
    assert stored.channel is Channel.PRINT
    assert stored.recipient_id == recipient.id
    assert stored.recipient_name == "Åse Ærlig"
    assert stored.properties == {"envelope": "ett", "nested": {"list": [1, "två"]}}
    async with runtime.database.reading() as conn:
        row = (
            (await conn.execute(schema.shipments.select().where(schema.shipments.c.id == draft_id)))
            .mappings()
            .one()
        )
    assert row["updated_at"] == later


@pytest.mark.anyio
async def test_a_guard_that_misses_keeps_nothing_of_its_write_set(runtime: Runtime) -> None:
    draft, _ = await _draft_and_recipient(runtime)
    draft_id = draft.id
    ws = WriteSet()
    other = uuid.uuid4()
    ws.add(schema.batches, _batch_row(other, draft.sender_id, runtime))
    # The draft has no documents, so a close planned for one document must not happen.
    closed_draft_rows(replace(draft, status=ShipmentStatus.ACCEPTED), 1, ws, now=runtime.clock.now())
    with pytest.raises(StaleWrite):
        await runtime.writer.submit(ws)

    async with runtime.reader() as uow:
        stored = await uow.shipments.get(draft_id)
        assert await uow.batches.get(other) is None
    assert stored is not None
    assert stored.status is ShipmentStatus.DRAFT


def _batch_row(batch_id: uuid.UUID, sender_id: uuid.UUID, runtime: Runtime) -> dict[str, object]:
    now = runtime.clock.now()
    return {
        "id": batch_id,
        "sender_id": sender_id,
        "dialect": "ekopost",
        "external_id": f"c-{batch_id}",
        "status": "open",
        "name": None,
        "created_at": now,
        "updated_at": now,
    }


@pytest.mark.anyio
async def test_a_close_handed_a_stale_read_of_its_draft_is_refused_by_the_guard(runtime: Runtime) -> None:
    sender = (
        await register_sender(RegisterSender(name="Bolaget AB", organisation_number="556838-4118"), runtime)
    ).sender
    batch = await open_batch(runtime, sender_id=sender.id, dialect="ekopost", external_id="c-1")
    draft = await start_draft(
        SendLetter(
            sender_id=sender.id,
            dialect="ekopost",
            documents=(),
            channels=(Channel.PRINT,),
            batch_id=batch.id,
            print_instructions=PrintInstructions(recipient=WINDOW, cover_page=False),
        ),
        runtime,
    )
    await add_draft_document(AddDraftDocument(sender.id, draft.id, _pdf(), primary=True), runtime)
    stale = await get_letter_quickly(runtime, draft.id, sender_id=sender.id)
    await add_draft_document(AddDraftDocument(sender.id, draft.id, _pdf()), runtime)  # after the read

    with pytest.raises(Conflict):
        await close_draft(sender.id, draft.id, runtime, read=stale)
    assert (await get_letter_quickly(runtime, draft.id, sender_id=sender.id)).shipment.status is (
        ShipmentStatus.DRAFT
    )

    fresh = await get_letter_quickly(runtime, draft.id, sender_id=sender.id)
    await close_draft(sender.id, draft.id, runtime, read=fresh)
    closed = await get_letter_quickly(runtime, draft.id, sender_id=sender.id)
    assert closed.shipment.status is not ShipmentStatus.DRAFT
    assert len(closed.shipment.documents) == 2


WINDOW = PostalAddress("Tolvan Tolvansson", ("Storgatan 1",), "12345", "Stockholm", "SE")


def _pdf() -> DocumentInput:
    return DocumentInput(
        content=sample_pdf("Tolvan"), file_type="pdf", mime="application/pdf", id_scope=DocumentIdScope.LETTER
    )

"""The per-request reads of a letter built in steps (a batch, the letter with its documents and
events) and of a send to many (a resource, recipients) run as prepared statements on SQLite and
through the repositories elsewhere: the same domain objects either way. A document that teaches
its draft something (Ekopost: the address in the envelope window) is stored with that revision in
one write, and neither is stored once the letter is no longer a draft."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.domain.documents import Document, DocumentIdScope
from postbud.domain.errors import Conflict
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient
from postbud.domain.shipments import PrintInstructions, Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batches import open_batch
from postbud.services.letters.drafts import AddDraftDocument, add_draft_document, cancel_draft, start_draft
from postbud.services.letters.letter_request import DocumentInput, SendLetter
from postbud.services.letters.quick_reads import (
    find_batch_quickly,
    get_shipment_quickly,
    registered_recipients,
)
from postbud.services.parties.resources import RegisterResource, get_resource, register_resource
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime
from postbud.testing.pdf import sample_pdf

WINDOW = PostalAddress("Tolvan Tolvansson", ("Storgatan 1",), "12345", "Stockholm", "SE")


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url, workers=0))
    try:
        yield runtime
    finally:
        await runtime.close()


async def _draft(runtime: Runtime, sender_id: uuid.UUID, batch_id: uuid.UUID) -> Shipment:
    return await start_draft(
        SendLetter(
            sender_id=sender_id,
            dialect="ekopost",
            documents=(),
            channels=(Channel.PRINT,),
            batch_id=batch_id,
            properties={"envelope": "one"},
        ),
        runtime,
    )


def _with_window_address(letter: Shipment, document: Document) -> Shipment:
    return replace(
        letter,
        recipient_name=WINDOW.name,
        print_instructions=PrintInstructions(recipient=WINDOW, cover_page=False),
        properties={**letter.properties, "learnt_from": str(document.id)},
    )


def _pdf_input() -> DocumentInput:
    return DocumentInput(
        content=sample_pdf("Tolvan"), file_type="pdf", mime="application/pdf", id_scope=DocumentIdScope.LETTER
    )


@pytest.mark.anyio
async def test_a_batch_and_a_draft_read_quickly_are_what_the_repositories_read(runtime: Runtime) -> None:
    sender = (
        await register_sender(RegisterSender(name="Bolaget AB", organisation_number="556838-4118"), runtime)
    ).sender
    batch = await open_batch(
        runtime, sender_id=sender.id, dialect="ekopost", external_id="c-1", name="Kampanj"
    )
    draft = await _draft(runtime, sender.id, batch.id)
    document = await add_draft_document(
        AddDraftDocument(sender.id, draft.id, _pdf_input(), primary=True, revise=_with_window_address),
        runtime,
    )

    quick_batch = await find_batch_quickly(runtime, sender.id, "ekopost", "c-1")
    quick = await get_shipment_quickly(runtime, draft.id, sender_id=sender.id)
    async with runtime.reader() as uow:
        assert quick_batch == await uow.batches.by_external_id(sender.id, "ekopost", "c-1")
        assert quick.shipment == await uow.shipments.get(draft.id)
        assert quick.events == await uow.events.for_shipment(draft.id)

    # The document and what the draft learnt from it were stored together.
    assert quick.shipment.status is ShipmentStatus.DRAFT
    assert [d.id for d in quick.shipment.documents] == [document.id]
    assert quick.shipment.recipient_name == WINDOW.name
    assert quick.shipment.print_instructions == PrintInstructions(recipient=WINDOW, cover_page=False)
    assert quick.shipment.properties == {"envelope": "one", "learnt_from": str(document.id)}


@pytest.mark.anyio
async def test_a_document_for_a_letter_no_longer_a_draft_stores_neither_it_nor_its_revision(
    runtime: Runtime,
) -> None:
    sender = (
        await register_sender(RegisterSender(name="Bolaget AB", organisation_number="556838-4118"), runtime)
    ).sender
    batch = await open_batch(runtime, sender_id=sender.id, dialect="ekopost", external_id="c-2")
    draft = await _draft(runtime, sender.id, batch.id)
    await cancel_draft(sender.id, draft.id, runtime)

    with pytest.raises(Conflict):
        await add_draft_document(
            AddDraftDocument(sender.id, draft.id, _pdf_input(), primary=True, revise=_with_window_address),
            runtime,
        )
    after = await get_shipment_quickly(runtime, draft.id, sender_id=sender.id)
    assert after.shipment.documents == ()
    assert after.shipment.print_instructions is None
    assert "learnt_from" not in after.shipment.properties


@pytest.mark.anyio
async def test_a_resource_and_recipients_read_quickly_are_what_the_repositories_read(
    runtime: Runtime,
) -> None:
    await register_sender(RegisterSender(name="Skatteetaten", organisation_number="974761076"), runtime)
    await register_resource(
        RegisterResource(id="bench-melding", owner="974761076", titles={"nb": "Melding"}), runtime
    )
    known = Recipient(uuid.uuid4(), parse_party_id("910825526"), "Org", Capabilities(business_inbox=True))
    async with runtime.unit_of_work() as uow:
        await uow.recipients.add(known, now=runtime.clock.now())

    unknown = parse_party_id("991825827")
    found = await registered_recipients(runtime, [known.party_id, None, unknown])
    resource = await get_resource(runtime, "bench-melding")
    async with runtime.reader() as uow:
        assert found == [await uow.recipients.by_party_id(known.party_id), None, None]
        assert resource == await uow.resources.get("bench-melding")
    assert found[0] is not None
    assert found[0].id == known.id

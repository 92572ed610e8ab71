"""Send to many recipients on real SQLite and PostgreSQL: one request, N letters, all or nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.domain.documents import DocumentIdScope
from postbud.domain.errors import Conflict, ConflictCode, RuleCode, ValidationFailed
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.letter_terms import Deadlines
from postbud.domain.shipments import PrintInstructions
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.batches import complete_batch, open_batch
from postbud.services.letters.drafts import AddDraftDocument, add_draft_document, close_draft, start_draft
from postbud.services.letters.letter_request import SendLetter, Undeliverable
from postbud.services.letters.send_letter import send_letter
from postbud.services.letters.send_to_many import LetterRecipient, SendToMany, send_to_many
from postbud.storage import job_kinds, schema
from postbud.storage.blobs import compute_ref
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
from tests.integration.core_send_helpers import (
    MORE_PEOPLE,
    add_people_with_mailboxes,
    count,
    counts,
    document_rows_with,
    subscribe_to_everything,
)

pytestmark = pytest.mark.anyio


def to(*numbers: str, **changes: object) -> tuple[LetterRecipient, ...]:
    return tuple(LetterRecipient(recipient=parse_party_id(n), **changes) for n in numbers)  # type: ignore[arg-type]


def many(template: SendLetter, recipients: tuple[LetterRecipient, ...], key: str | None = None) -> SendToMany:
    return SendToMany(letter=template, recipients=recipients, idempotency_key=key)


async def test_one_request_makes_a_letter_for_each_recipient_sharing_the_documents(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await add_people_with_mailboxes(runtime)
    await subscribe_to_everything(runtime, sender)
    template = letter(
        sender,
        documents=(pdf_document("shared", external_id="vedlegg-1"),),
        senders_reference="sak 2026/17",
    )
    recipients = (
        *to(*MORE_PEOPLE[:3]),
        LetterRecipient(
            recipient=parse_party_id(PERSON_WITHOUT_MAILBOX), print_instructions=PrintInstructions(ADDRESS)
        ),
    )
    accepted = await send_to_many(many(template, recipients, key="req-1"), runtime)

    assert len(accepted.letters) == 4
    assert [a.decision.channel for a in accepted.letters] == [Channel.DIGITAL_MAILBOX] * 3 + [Channel.PRINT]
    ids = [a.shipment.id for a in accepted.letters]
    assert len(set(ids)) == 4
    sha256 = accepted.letters[0].shipment.primary.sha256
    assert await document_rows_with(runtime, sha256) == 4, "a document row per letter, one blob for all"
    assert await runtime.blobs.get(sha256) == template.documents[0].content
    async with runtime.reader() as uow:
        for one in accepted.letters:
            stored = await uow.shipments.get(one.shipment.id)
            assert stored is not None
            assert stored.senders_reference == "sak 2026/17"
            assert stored.primary.id_scope is DocumentIdScope.LETTER
            assert stored.primary.external_id == "vedlegg-1"
            types = [e.type for e in await uow.events.for_shipment(stored.id)]
            assert types[:2] == [EventType.CREATED, EventType.ROUTED], "each letter has its own events"
        assert await uow.shipments.by_idempotency_key(sender, "platform", "req-1") == ids
        assert {s.id for s in await uow.shipments.by_senders_reference(sender, "sak 2026/17")} == set(ids)
    assert await count(runtime, schema.jobs, kind="shipment.deliver") == 1, "only the printed letter waits"
    assert await count(runtime, schema.webhook_deliveries) == await count(runtime, schema.events)
    await runtime.close()


async def test_a_duplicate_in_the_middle_leaves_nothing(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await add_people_with_mailboxes(runtime)
    await send_letter(letter(sender, external_id="taken"), runtime)
    before = await counts(runtime)
    template = letter(sender, documents=(pdf_document("never stored"),))
    new_sha256 = compute_ref(template.documents[0].content).sha256
    recipients = (
        LetterRecipient(recipient=parse_party_id(MORE_PEOPLE[0]), external_id="fresh-1"),
        LetterRecipient(recipient=parse_party_id(MORE_PEOPLE[1]), external_id="taken"),
        LetterRecipient(recipient=parse_party_id(MORE_PEOPLE[2]), external_id="fresh-3"),
    )
    with pytest.raises(Conflict) as caught:
        await send_to_many(many(template, recipients, key="req-dup"), runtime)
    assert caught.value.code is ConflictCode.DUPLICATE
    assert caught.value.field == "external_id"
    assert await counts(runtime) == before, "no letter, document, event, job or request row"
    assert await document_rows_with(runtime, new_sha256) == 0, "its content is referenced by nothing"
    async with runtime.reader() as uow:
        assert await uow.shipments.by_idempotency_key(sender, "platform", "req-dup") == []
    await runtime.close()


async def test_an_undeliverable_recipient_in_the_middle_refuses_the_whole_request(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await add_people_with_mailboxes(runtime)
    before = await counts(runtime)
    template = letter(sender, reject_if_undeliverable=True)
    recipients = to(MORE_PEOPLE[0], PERSON_WITHOUT_MAILBOX, MORE_PEOPLE[1])
    with pytest.raises(Undeliverable):
        await send_to_many(many(template, recipients), runtime)
    assert await counts(runtime) == before
    await runtime.close()


async def test_a_reused_idempotency_key_is_a_conflict_even_when_both_race(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await add_people_with_mailboxes(runtime)
    first = await send_to_many(many(letter(sender), to(PERSON_WITH_MAILBOX), key="k-1"), runtime)
    with pytest.raises(Conflict) as caught:
        await send_to_many(many(letter(sender), to(MORE_PEOPLE[0]), key="k-1"), runtime)
    assert (caught.value.field, caught.value.code) == ("idempotency_key", ConflictCode.DUPLICATE)

    # Two requests at once both pass the early check; the unique key lets exactly one through.
    racing = await asyncio.gather(
        send_to_many(many(letter(sender), to(MORE_PEOPLE[1]), key="k-2"), runtime),
        send_to_many(many(letter(sender), to(MORE_PEOPLE[2]), key="k-2"), runtime),
        return_exceptions=True,
    )
    conflicts = [r for r in racing if isinstance(r, Conflict)]
    assert len(conflicts) == 1, racing
    assert conflicts[0].field == "idempotency_key"
    assert await count(runtime, schema.shipments) == 2
    async with runtime.reader() as uow:
        assert await uow.shipments.by_idempotency_key(sender, "platform", "k-1") == [
            first.letters[0].shipment.id
        ]
        assert await uow.shipments.by_idempotency_key(sender, "other-dialect", "k-1") == []
    await runtime.close()


async def test_recipients_are_counted_and_named_once(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    with pytest.raises(ValidationFailed) as caught:
        await send_to_many(many(letter(sender), ()), runtime)
    assert caught.value.first.code is RuleCode.TOO_FEW
    too_many = tuple(LetterRecipient(mailbox_address=f"p{i}#AAAA") for i in range(501))
    with pytest.raises(ValidationFailed) as caught:
        await send_to_many(many(letter(sender), too_many), runtime)
    assert caught.value.first.code is RuleCode.TOO_MANY
    with pytest.raises(ValidationFailed) as caught:
        await send_to_many(many(letter(sender), to(PERSON_WITH_MAILBOX, PERSON_WITH_MAILBOX)), runtime)
    assert (caught.value.first.field, caught.value.first.code) == ("recipients[1]", RuleCode.NOT_UNIQUE)
    assert await count(runtime, schema.shipments) == 0
    await runtime.close()


async def test_senders_reference_of_4096_characters_is_stored_and_found_exactly(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    # 4,096 characters of two bytes each: past PostgreSQL's btree entry limit if indexed as text.
    reference = "ø" * 4095 + "a"
    near_miss = "ø" * 4095 + "b"
    one = await send_letter(letter(sender, senders_reference=reference), runtime)
    other = await send_letter(letter(sender, senders_reference=near_miss), runtime)
    async with runtime.reader() as uow:
        found = await uow.shipments.by_senders_reference(sender, reference)
        assert [s.id for s in found] == [one.shipment.id]
        assert found[0].senders_reference == reference
        assert [s.id for s in await uow.shipments.by_senders_reference(sender, near_miss)] == [
            other.shipment.id
        ]
        assert await uow.shipments.by_senders_reference(sender, "ø" * 4095) == []
    with pytest.raises(ValidationFailed) as caught:
        await send_letter(letter(sender, senders_reference="x" * 4097), runtime)
    assert (caught.value.first.field, caught.value.first.code) == ("senders_reference", RuleCode.TOO_LONG)
    await runtime.close()


async def test_deadlines_go_with_every_letter_of_the_request_and_with_a_closed_draft(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await add_people_with_mailboxes(runtime)
    due = runtime.clock.now() + timedelta(days=14)
    terms = Deadlines(due_at=due, needs_confirmation=True, expiry_by_position=((0, due + timedelta(days=1)),))
    await send_to_many(many(letter(sender, deadlines=terms), to(*MORE_PEOPLE[:3])), runtime)
    assert await count(runtime, schema.letter_terms) == 3
    assert await count(runtime, schema.jobs, kind=job_kinds.DUE) == 3

    before = await counts(runtime)
    past = Deadlines(due_at=runtime.clock.now() - timedelta(days=1))
    with pytest.raises(ValidationFailed) as caught:
        await send_to_many(many(letter(sender, deadlines=past), to(MORE_PEOPLE[3])), runtime)
    assert caught.value.first.code is RuleCode.IN_PAST
    assert await counts(runtime) == before

    draft = await start_draft(letter(sender, documents=(), deadlines=terms), runtime)
    await add_draft_document(AddDraftDocument(sender, draft.id, pdf_document(), primary=True), runtime)
    assert await count(runtime, schema.letter_terms, shipment_id=draft.id) == 0, "not before it is closed"
    await close_draft(sender, draft.id, runtime)
    assert await count(runtime, schema.letter_terms, shipment_id=draft.id) == 1
    assert await count(runtime, schema.jobs, kind=job_kinds.DUE) == 4
    await runtime.close()


async def test_the_recipient_limit_is_a_setting(tmp_path: Path, database_url: str) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, workers=0, max_letters_per_send=2
    )
    runtime = await build_runtime(settings)
    sender = await add_sender(runtime)
    await add_people_with_mailboxes(runtime)
    with pytest.raises(ValidationFailed) as caught:
        await send_to_many(many(letter(sender), to(*MORE_PEOPLE[:3])), runtime)
    assert (caught.value.first.rule, caught.value.first.code) == ("at most 2 recipients", RuleCode.TOO_MANY)
    accepted = await send_to_many(many(letter(sender), to(*MORE_PEOPLE[:2])), runtime)
    assert len(accepted.letters) == 2
    await runtime.close()


async def test_letters_of_a_request_in_an_open_batch_wait_for_it(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_people_with_mailboxes(runtime)
    batch = await open_batch(runtime, sender_id=sender, dialect="platform", external_id="run-1")
    accepted = await send_to_many(many(letter(sender, batch_id=batch.id), to(*MORE_PEOPLE[:2])), runtime)
    assert all(a.held and a.shipment.status is ShipmentStatus.SCHEDULED for a in accepted.letters)
    await complete_batch(runtime, batch.id)
    worker = Worker(runtime, core_handlers())
    while await worker.run_once():
        pass
    async with runtime.reader() as uow:
        for one in accepted.letters:
            stored = await uow.shipments.get(one.shipment.id)
            assert stored is not None
            assert stored.status is ShipmentStatus.DELIVERED
    await runtime.close()

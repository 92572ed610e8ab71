"""A guarded update built once with bind parameters (the draft's close) writes exactly the values it
is given — a JSON request, a time, a recipient id, a cleared column — through the group commit on
SQLite (compiled once, run on the DB-API) and PostgreSQL (through SQLAlchemy); and a guard that
misses fails the whole write set, the rows it carried included."""

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
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.drafts import start_draft
from postbud.services.letters.letter_request import SendLetter
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.errors import StaleWrite
from postbud.storage.repos.shipments import closed_draft_rows
from postbud.storage.writeset import WriteSet


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url, workers=0))
    await runtime.writer.start()
    try:
        yield runtime
    finally:
        await runtime.close()


async def _draft_and_recipient(runtime: Runtime) -> tuple[uuid.UUID, Recipient]:
    sender = (
        await register_sender(RegisterSender(name="Bolaget AB", organisation_number="556838-4118"), runtime)
    ).sender
    recipient = Recipient(
        uuid.uuid4(), parse_party_id("910825526"), "Org AS", Capabilities(business_inbox=True)
    )
    async with runtime.unit_of_work() as uow:
        await uow.recipients.add(recipient, now=runtime.clock.now())
    draft = await start_draft(
        SendLetter(sender_id=sender.id, dialect="ekopost", documents=(), channels=(Channel.PRINT,)), runtime
    )
    return draft.id, recipient


@pytest.mark.anyio
async def test_a_prepared_guarded_update_writes_the_values_it_is_given(runtime: Runtime) -> None:
    draft_id, recipient = await _draft_and_recipient(runtime)
    async with runtime.reader() as uow:
        draft = await uow.shipments.get(draft_id)
    assert draft is not None
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
    draft_id, _ = await _draft_and_recipient(runtime)
    async with runtime.reader() as uow:
        draft = await uow.shipments.get(draft_id)
    assert draft is not None
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

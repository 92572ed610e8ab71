"""Guarded updates in the group commit, on real SQLite and PostgreSQL: a write set whose guard
misses fails alone and leaves nothing; the staged-letter steps rely on it when they race."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from sqlalchemy import update

from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.drafts import AddDraftDocument, add_draft_document, close_draft, start_draft
from postbud.services.letters.send_letter import send_letter
from postbud.storage import schema
from postbud.storage.errors import StaleWrite
from postbud.storage.writeset import GuardedUpdate, WriteSet
from tests.integration.core_helpers import add_recipients, add_sender, letter, pdf_document, runtime_for
from tests.integration.core_send_helpers import count

pytestmark = pytest.mark.anyio


async def test_a_missed_guard_fails_only_its_write_set(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    sent = await send_letter(letter(sender), runtime)
    s = schema.shipments.c

    def guarded(status: ShipmentStatus, subject: str) -> WriteSet:
        ws = WriteSet()
        statement = update(schema.shipments).where(s.id == sent.shipment.id, s.status == status.value)
        ws.updates.append(GuardedUpdate(statement.values(subject=subject), f"letter is {status.value}"))
        return ws

    def event_row(key: str) -> WriteSet:
        ws = WriteSet()
        ws.add(
            schema.events,
            {
                "id": uuid.uuid4(),
                "shipment_id": sent.shipment.id,
                "sender_id": sender,
                "type": "data_added",
                "at": runtime.clock.now(),
                "data": {},
                "dedup_key": key,
            },
        )
        return ws

    missing = guarded(ShipmentStatus.DRAFT, "never")
    missing.add(schema.events, event_row("with-the-missed-guard").rows[schema.events.name][0])
    results = await asyncio.gather(
        runtime.writer.submit(event_row("alone")),
        runtime.writer.submit(missing),
        runtime.writer.submit(guarded(ShipmentStatus.DELIVERED, "updated")),
        return_exceptions=True,
    )
    assert results[0] is None
    assert isinstance(results[1], StaleWrite)
    assert results[1].what == "letter is draft"
    assert results[2] is None
    assert await count(runtime, schema.events, dedup_key="alone") == 1
    assert await count(runtime, schema.events, dedup_key="with-the-missed-guard") == 0
    assert await count(runtime, schema.shipments, subject="updated") == 1
    await runtime.close()


async def test_closing_while_a_document_is_added_never_sends_an_unplanned_document(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    for round_ in range(4):
        draft = await start_draft(letter(sender, documents=()), runtime)
        await add_draft_document(
            AddDraftDocument(sender, draft.id, pdf_document("main"), primary=True), runtime
        )
        late = AddDraftDocument(sender, draft.id, pdf_document(f"late {round_}"))
        closed, added = await asyncio.gather(
            close_draft(sender, draft.id, runtime), add_draft_document(late, runtime), return_exceptions=True
        )
        stored_documents = await count(runtime, schema.documents, shipment_id=draft.id)
        if isinstance(closed, Conflict):  # the document came first: the draft is still open
            assert closed.code is ConflictCode.WRONG_STATE
            assert not isinstance(added, BaseException)
            assert stored_documents == 2
            closed = await close_draft(sender, draft.id, runtime)
        else:
            assert not isinstance(closed, BaseException)
        if isinstance(added, Conflict):
            assert added.code is ConflictCode.WRONG_STATE
        assert not isinstance(closed, BaseException)
        assert len(closed.shipment.documents) == await count(runtime, schema.documents, shipment_id=draft.id)
        assert closed.shipment.status is ShipmentStatus.DELIVERED
    await runtime.close()

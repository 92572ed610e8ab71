"""The send use case on real SQLite and PostgreSQL: durable, routed, evented, grouped."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict, ValidationFailed
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import PrintInstructions
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.send_letter import Undeliverable, send_letter
from postbud.storage import schema
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    pdf_document,
    runtime_for,
)

pytestmark = pytest.mark.anyio


async def count(runtime, table) -> int:  # type: ignore[no-untyped-def]
    async with runtime.reader() as uow:
        return int((await uow.conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_letter_to_a_mailbox_is_delivered_and_survives_a_restart(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    accepted = await send_letter(letter(sender, external_id="m-1"), runtime)
    assert accepted.decision.channel is Channel.DIGITAL_MAILBOX
    assert accepted.shipment.status is ShipmentStatus.DELIVERED
    await runtime.close()

    runtime = await runtime_for(tmp_path, database_url)
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(accepted.shipment.id)
        assert stored is not None
        events = [e.type for e in await uow.events.for_shipment(stored.id)]
    assert stored.status is ShipmentStatus.DELIVERED
    assert events == [EventType.CREATED, EventType.ROUTED, EventType.DELIVERED]
    assert await runtime.blobs.get(stored.primary.sha256) == letter(sender).documents[0].content
    await runtime.close()


async def test_unknown_recipient_is_refused_and_nothing_is_written(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    with pytest.raises(Undeliverable) as caught:
        await send_letter(
            letter(sender, recipient=parse_party_id(PERSON_WITHOUT_MAILBOX), reject_if_undeliverable=True),
            runtime,
        )
    assert "not registered" in caught.value.decision.reason
    assert await count(runtime, schema.shipments) == 0
    assert await count(runtime, schema.events) == 0
    await runtime.close()


async def test_print_fallback_and_pdf_rule(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    fallback = PrintInstructions(recipient=ADDRESS)
    accepted = await send_letter(
        letter(sender, recipient=parse_party_id(PERSON_WITHOUT_MAILBOX), print_instructions=fallback), runtime
    )
    assert accepted.decision.channel is Channel.PRINT
    assert accepted.shipment.status is ShipmentStatus.ROUTED

    not_pdf = pdf_document()
    not_pdf = type(not_pdf)(content=b"hello", file_type="txt", mime="text/plain", title="x")
    with pytest.raises(ValidationFailed) as caught:
        await send_letter(
            letter(
                sender,
                recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
                print_instructions=fallback,
                documents=(not_pdf,),
            ),
            runtime,
        )
    assert caught.value.errors[0].field == "documents[0].file_type"
    assert await count(runtime, schema.shipments) == 1
    await runtime.close()


async def test_duplicate_ids_are_refused_even_when_racing(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    results = await asyncio.gather(
        *(send_letter(letter(sender, external_id="same"), runtime) for _ in range(5)), return_exceptions=True
    )
    assert sum(1 for r in results if not isinstance(r, BaseException)) == 1
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, BaseException))
    with pytest.raises(Conflict):
        await send_letter(letter(sender, external_id="same"), runtime)
    assert await count(runtime, schema.shipments) == 1
    await runtime.close()


async def test_concurrent_sends_share_commits(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    sends = [
        send_letter(letter(sender, external_id=f"m-{i}", documents=(pdf_document(f"doc {i}"),)), runtime)
        for i in range(200)
    ]
    await asyncio.gather(*sends)
    assert await count(runtime, schema.shipments) == 200
    assert await count(runtime, schema.events) == 600
    assert runtime.writer.committed == 200
    assert runtime.writer.batches < 100, "concurrent requests should share transactions"
    await runtime.close()


async def test_letter_with_future_publish_time_is_held_then_delivered(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    publish_at = runtime.clock.now() + timedelta(hours=2)
    accepted = await send_letter(letter(sender, publish_at=publish_at), runtime)
    assert accepted.held
    assert accepted.shipment.status is ShipmentStatus.SCHEDULED

    worker = Worker(runtime, core_handlers())
    assert await worker.run_once() == 0, "nothing is due yet"
    runtime.clock.advance(timedelta(hours=2, seconds=1))
    assert await worker.run_once() == 1
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(accepted.shipment.id)
        assert stored is not None
        assert stored.status is ShipmentStatus.DELIVERED
        types = [e.type for e in await uow.events.for_shipment(stored.id)]
    assert types[-2:] == [EventType.HELD, EventType.DELIVERED]
    await runtime.close()


async def test_publish_time_in_the_past_is_refused(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    with pytest.raises(ValidationFailed) as caught:
        await send_letter(letter(sender, publish_at=runtime.clock.now() - timedelta(days=1)), runtime)
    assert caught.value.errors[0].field == "publish_at"
    await runtime.close()

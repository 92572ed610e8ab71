"""Recipient actions and batch refreshes racing each other: each thing happens once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.domain.batches import BatchState
from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.letter_actions import AsRecipient, AsSender
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.batch_state import refresh_batch_state
from postbud.services.letters.batches import complete_batch, open_batch
from postbud.services.letters.cancel import cancel_letter
from postbud.services.letters.send_letter import send_letter
from postbud.services.recipient_actions.confirm import confirm_letter
from postbud.services.recipient_actions.fetch import record_fetched
from postbud.services.recipient_actions.purge import purge_letter
from postbud.services.runtime import Runtime
from tests.integration.core_helpers import (
    PERSON_WITH_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    runtime_for,
)

pytestmark = pytest.mark.anyio

RECIPIENT = AsRecipient(str(parse_party_id(PERSON_WITH_MAILBOX)))


async def _race(attempts: list[Callable[[], Awaitable[object]]]) -> tuple[list[object], list[Conflict]]:
    """Run the attempts at once; what succeeded and which conflicts were raised."""
    results = await asyncio.gather(*(attempt() for attempt in attempts), return_exceptions=True)
    conflicts = [r for r in results if isinstance(r, Conflict)]
    others = [r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)]
    assert not others, others
    return [r for r in results if not isinstance(r, BaseException)], conflicts


async def _count(runtime: Runtime, shipment_id: object, kind: EventType) -> int:
    async with runtime.reader() as uow:
        return sum(1 for e in await uow.events.for_shipment(shipment_id) if e.type is kind)  # type: ignore[arg-type]


async def test_racing_confirms_confirm_once(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        letter_id = (await send_letter(letter(sender), runtime)).shipment.id
        await record_fetched(runtime, RECIPIENT, letter_id)
        done, conflicts = await _race(
            [lambda: confirm_letter(runtime, RECIPIENT, letter_id) for _ in range(6)]
        )
        assert len(done) == 1
        assert {c.code for c in conflicts} == {ConflictCode.ALREADY_DONE}
        assert await _count(runtime, letter_id, EventType.CONFIRMED) == 1
    finally:
        await runtime.close()


async def test_racing_fetches_are_recorded_once_within_the_debounce(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        letter_id = (await send_letter(letter(sender), runtime)).shipment.id
        done, _ = await _race([lambda: record_fetched(runtime, RECIPIENT, letter_id) for _ in range(6)])
        assert sorted(done) == [False] * 5 + [True]  # type: ignore[type-var]
        assert await _count(runtime, letter_id, EventType.FETCHED) == 1
    finally:
        await runtime.close()


async def test_a_racing_cancel_and_purge_end_the_letter_once(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        publish_at = runtime.clock.now() + timedelta(days=1)
        letter_id = (await send_letter(letter(sender, publish_at=publish_at), runtime)).shipment.id
        done, conflicts = await _race(
            [
                lambda: cancel_letter(runtime, AsSender(sender), letter_id),
                lambda: purge_letter(runtime, AsSender(sender), letter_id),
            ]
        )
        # Cancel first: the purge may follow (a cancelled letter is purgeable).
        # Purge first: too late to cancel.
        ended = await _count(runtime, letter_id, EventType.CANCELLED) + await _count(
            runtime, letter_id, EventType.PURGED
        )
        assert (len(done), len(conflicts), ended) in {(2, 0, 2), (1, 1, 1)}
        assert all(c.code is ConflictCode.WRONG_STATE for c in conflicts)
    finally:
        await runtime.close()


async def test_many_letters_moving_at_once_complete_their_batch_once(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        batch = await open_batch(runtime, sender_id=sender, dialect="ekopost", external_id="c-race")
        for _ in range(8):
            await send_letter(letter(sender, batch_id=batch.id), runtime)
        await complete_batch(runtime, batch.id)
        workers = [Worker(runtime, core_handlers(), batch=2) for _ in range(4)]

        async def drain(worker: Worker) -> None:
            while await worker.run_once():
                pass

        await asyncio.gather(*(drain(w) for w in workers))
        await asyncio.gather(*(refresh_batch_state(batch.id, runtime) for _ in range(4)))
        async with runtime.reader() as uow:
            log = [e.type for e in await uow.batches.events(batch.id)]
        assert log == [BatchState.OPENED, BatchState.CLOSED, BatchState.TRANSFERRED, BatchState.COMPLETED]
    finally:
        await runtime.close()

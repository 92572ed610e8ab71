"""Print work an operator drives: printing a failed letter again, and print-if-unread made due by the
sandbox clock. Real print house (real PDFs), real worker, both databases."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.errors import Conflict, NotFound
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import PrintInstructions
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.console import print_queue
from postbud.services.console.letter_timeline import letter_timeline
from postbud.services.inbox.open_letter import open_letter
from postbud.services.letters import reprint
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock, advance_to_next_job
from postbud.services.sandbox.faults import clear_faults, set_channel_fault
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITH_MAILBOX,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
)
from tests.integration.test_channels import pdf_input, runtime_with
from tests.real_pdf import real_pdf

pytestmark = pytest.mark.anyio


async def _work(runtime: Runtime) -> int:
    worker = Worker(runtime, core_handlers())
    total = 0
    while claimed := await worker.run_once():
        total += claimed
    return total


async def _history(runtime: Runtime, shipment_id: uuid.UUID) -> tuple[ShipmentStatus, list[ShipmentEvent]]:
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        assert shipment is not None
        return shipment.status, await uow.events.for_shipment(shipment_id)


async def _print_letter(runtime: Runtime, sender: uuid.UUID, **changes: object) -> uuid.UUID:
    command = SendLetter(
        sender_id=sender,
        dialect="platform",
        recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
        documents=(pdf_input("Brev på papir"),),
        print_instructions=PrintInstructions(recipient=ADDRESS),
        **changes,  # type: ignore[arg-type]
    )
    return (await send_letter(command, runtime)).shipment.id


# --- Printing a failed letter again ------------------------------------------------------------------


async def test_a_failed_print_is_printed_again_with_events_of_its_own(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_with(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await set_channel_fault(runtime, Channel.PRINT, 1.0, "Papirstopp")
    letter_id = await _print_letter(runtime, sender)
    await _work(runtime)
    status, events = await _history(runtime, letter_id)
    assert status is ShipmentStatus.FAILED
    assert (await print_queue.print_letter(runtime, letter_id)).can_print_again

    # The fault is still there: the first new attempt fails as well, and says so.
    assert await reprint.print_again(runtime, letter_id) == 1
    with pytest.raises(Conflict, match="already queued"):
        await reprint.print_again(runtime, letter_id)
    queued = await print_queue.print_letter(runtime, letter_id)
    assert (queued.state, queued.can_print_again) == ("queued", False)
    assert await _work(runtime) == 1
    status, events = await _history(runtime, letter_id)
    failures = [(e.dedup_key, e.data["reason"]) for e in events if e.type is EventType.PRINT_FAILED]
    assert failures == [("print_failed", "Papirstopp"), ("print_failed:again-1", "Papirstopp")]
    assert status is ShipmentStatus.FAILED

    await clear_faults(runtime)
    assert await reprint.print_again(runtime, letter_id) == 2
    assert await _work(runtime) == 1
    status, events = await _history(runtime, letter_id)
    assert status is ShipmentStatus.POSTED
    again = [(e.type, e.dedup_key) for e in events if e.dedup_key and e.dedup_key.endswith("again-2")]
    assert again == [
        (EventType.ROUTED, "routed:print:again-2"),
        (EventType.SENT_TO_PRINT, "sent_to_print:again-2"),
        (EventType.PRINTED, "printed:again-2"),
        (EventType.POSTED, "posted:again-2"),
    ]
    requested = next(e for e in events if e.dedup_key == "routed:print:again-2")
    assert requested.data == {"channel": "print", "reason": reprint.REASON, "attempt": 2}

    printed = await print_queue.print_letter(runtime, letter_id)
    assert (printed.state, printed.failure, printed.can_print_again) == ("posted", None, False)
    assert printed.print_file is not None
    assert (await print_queue.print_pdf(runtime, letter_id)).startswith(b"%PDF")
    timeline = await letter_timeline(runtime, letter_id)
    assert [j.kind for j in timeline.jobs].count("shipment.reprint") == 2
    assert not timeline.can_print_again
    with pytest.raises(Conflict, match="whose print failed"):
        await reprint.print_again(runtime, letter_id)
    await runtime.close()


async def test_only_a_failed_print_letter_can_be_printed_again(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_with(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    digital = await send_letter(
        SendLetter(
            sender_id=sender,
            dialect="platform",
            recipient=parse_party_id(PERSON_WITH_MAILBOX),
            documents=(pdf_input(),),
        ),
        runtime,
    )
    posted = await _print_letter(runtime, sender)
    await _work(runtime)
    for letter_id in (digital.shipment.id, posted):
        with pytest.raises(Conflict):
            await reprint.print_again(runtime, letter_id)
        assert not (await letter_timeline(runtime, letter_id)).can_print_again
    with pytest.raises(NotFound):
        await reprint.print_again(runtime, uuid.uuid4())
    _, events = await _history(runtime, posted)
    assert not any(e.dedup_key and "again" in e.dedup_key for e in events), "nothing recorded"
    await runtime.close()


async def test_printing_again_is_operations_not_a_sandbox_game(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_with(tmp_path, database_url, sandbox=False)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    command = SendLetter(
        sender_id=sender,
        dialect="platform",
        recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
        # A PDF that opens (so it is accepted) but is US Letter, so the print preflight refuses it.
        documents=(DocumentInput(real_pdf("US Letter", page_size=(612, 792)), "pdf", "application/pdf"),),
        print_instructions=PrintInstructions(recipient=ADDRESS),
    )
    letter_id = (await send_letter(command, runtime)).shipment.id
    await _work(runtime)
    assert (await _history(runtime, letter_id))[0] is ShipmentStatus.FAILED

    assert await reprint.print_again(runtime, letter_id) == 1
    await _work(runtime)
    status, events = await _history(runtime, letter_id)
    assert status is ShipmentStatus.FAILED, "the same broken document fails the same way"
    assert [e.dedup_key for e in events if e.type is EventType.PRINT_FAILED] == [
        "print_failed",
        "print_failed:again-1",
    ]
    assert (await print_queue.print_letter(runtime, letter_id)).can_print_again
    await runtime.close()


# --- Print-if-unread by the sandbox clock ------------------------------------------------------------


async def test_moving_the_clock_past_print_if_unread_prints_the_unread_letter_only(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_with(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    deadline = runtime.clock.now() + timedelta(days=7)

    async def digital_with_fallback(subject: str) -> uuid.UUID:
        command = SendLetter(
            sender_id=sender,
            dialect="platform",
            recipient=parse_party_id(PERSON_WITH_MAILBOX),
            documents=(pdf_input(subject),),
            print_instructions=PrintInstructions(recipient=ADDRESS),
            print_if_unread_after=deadline,
        )
        return (await send_letter(command, runtime)).shipment.id

    unread = await digital_with_fallback("Ulest")
    read = await digital_with_fallback("Lest")
    async with runtime.reader() as uow:
        ola = await uow.recipients.by_party_id(parse_party_id(PERSON_WITH_MAILBOX))
    assert ola is not None
    await open_letter(runtime, ola.id, read, AuthenticationLevel.IDPORTEN_4)
    assert await _work(runtime) == 0, "nothing is due before the deadline"

    await advance_clock(runtime, timedelta(days=6))
    assert await _work(runtime) == 0
    assert (await _history(runtime, unread))[0] is ShipmentStatus.DELIVERED

    view = await advance_to_next_job(runtime)
    assert view.now > deadline
    assert await _work(runtime) == 3, "two print-if-unread jobs, one delivery to print"

    status, events = await _history(runtime, unread)
    assert status is ShipmentStatus.POSTED
    routed = [e for e in events if e.type is EventType.ROUTED]
    assert [(e.channel, e.data["reason"]) for e in routed][-1] == (
        Channel.PRINT,
        "not opened before the print-if-unread deadline",
    )
    posted = next(e for e in events if e.type is EventType.POSTED)
    assert posted.at > deadline, "stamped in sandbox time"
    status, events = await _history(runtime, read)
    assert status is ShipmentStatus.OPENED
    assert not any(e.type in (EventType.SENT_TO_PRINT, EventType.POSTED) for e in events)
    assert [e.type for e in events].count(EventType.ROUTED) == 1
    await runtime.close()

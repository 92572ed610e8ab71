"""The read models of migration 0014 are written by the real paths, in the event's transaction.

Letters sent concurrently share group-commit batches: their route counts are merged per batch and
added with one upsert, and the chart shows each letter once. A letter opened by its recipient puts
an ``opened`` into its sender's feed, which the Digipost poll reads; the same sender's letter of
another dialect does not reach that poll.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from postbud.domain.identifiers import parse_party_id
from postbud.domain.letter_actions import AsRecipient
from postbud.domain.shipments import PrintInstructions
from postbud.services.console.activity_chart import NOT_DELIVERED, activity
from postbud.services.letters.send_letter import send_letter
from postbud.services.recipient_actions.fetch import record_fetched
from postbud.services.recipient_actions.read import mark_read
from postbud.storage import schema
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITH_MAILBOX,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    runtime_for,
)

pytestmark = pytest.mark.anyio

DIGITAL, PRINTED, UNDELIVERED = 24, 5, 3


async def test_concurrent_sends_are_each_counted_once_and_outcomes_reach_the_feed(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    await runtime.writer.start()
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        nobody, on_paper = parse_party_id(PERSON_WITHOUT_MAILBOX), PrintInstructions(ADDRESS)
        commands = [letter(sender, dialect="digipost", external_id=f"d{i}") for i in range(DIGITAL - 1)]
        commands.append(letter(sender, external_id="platform"))  # to Ola as well, through another dialect
        commands += [
            letter(sender, external_id=f"p{i}", recipient=nobody, print_instructions=on_paper)
            for i in range(PRINTED)
        ]
        commands += [letter(sender, external_id=f"n{i}", recipient=nobody) for i in range(UNDELIVERED)]
        accepted = await asyncio.gather(*(send_letter(c, runtime) for c in commands))
        chart = await activity(runtime)
        async with runtime.reader() as uow:
            rows = await uow.conn.execute(select(func.count()).select_from(schema.routed_letters_per_hour))
            count_rows = rows.scalar_one()
        ola = AsRecipient(str(parse_party_id(PERSON_WITH_MAILBOX)))
        first, last, platform = (accepted[i].shipment for i in (0, DIGITAL - 2, DIGITAL - 1))
        for shipment in (first, platform, last):
            await record_fetched(runtime, ola, shipment.id)
            await mark_read(runtime, ola, shipment.id)
        now = runtime.clock.now()
        async with runtime.reader() as uow:
            poll = await uow.events.for_sender_on_documents(
                sender,
                since=now - timedelta(hours=1),
                until=now + timedelta(hours=1),
                kinds=[("opened", None)],
                dialect="digipost",
            )
            feed_rows = (
                await uow.conn.execute(select(func.count()).select_from(schema.event_feed))
            ).scalar_one()
    finally:
        await runtime.close()
    assert chart.total == DIGITAL + PRINTED + UNDELIVERED
    assert sum(chart.letters["digital_mailbox"]) == DIGITAL
    assert sum(chart.letters["print"]) == PRINTED
    assert sum(chart.letters[NOT_DELIVERED]) == UNDELIVERED
    assert count_rows <= 3 * 2, "one row per channel and hour (an hour may turn during the test)"
    assert platform.dialect == "platform"
    assert feed_rows == 3, "every opened letter is in its sender's feed"
    assert [p.event.shipment_id for p in poll] == [first.id, last.id], "Digipost's poll: its own letters"

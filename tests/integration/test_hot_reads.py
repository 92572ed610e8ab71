"""The send path's lookups: prepared statements on a SQLite file agree with the repositories."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from postbud.domain.identifiers import parse_party_id
from postbud.storage.hot_reads import HotReads
from postbud.webhooks.manage import add_webhook, set_active
from tests.integration.core_helpers import (
    PERSON_WITH_MAILBOX,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    runtime_for,
)

pytestmark = pytest.mark.anyio


async def test_hot_reads_return_what_the_repositories_return(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = await add_sender(runtime)
        other_sender = await add_sender(runtime, orgnr="889640782")
        await add_recipients(runtime)
        wanted, _ = await add_webhook(runtime, sender, "https://example.no/hooks", ["opened", "delivered"])
        paused, _ = await add_webhook(runtime, sender, "https://example.no/paused")
        await set_active(runtime, paused.id, False)
        await add_webhook(runtime, other_sender, "https://example.no/other")

        reads = runtime.hot_reads
        # On a SQLite file the prepared path runs; PostgreSQL goes through the repositories.
        assert (reads._prepared is not None) is runtime.database.has_plain_reads
        assert runtime.database.has_plain_reads is database_url.startswith("sqlite")

        async with runtime.reader() as uow:
            by_pin = await uow.recipients.by_party_id(parse_party_id(PERSON_WITH_MAILBOX))
            without_mailbox = await uow.recipients.by_party_id(parse_party_id(PERSON_WITHOUT_MAILBOX))
            subscriptions = await uow.events.subscriptions(sender)
        assert by_pin is not None
        assert without_mailbox is not None
        assert [s.id for s in subscriptions] == [wanted.id]

        for hot in (reads, HotReads(runtime.database)):
            recipient, subs = await hot.for_send(
                sender, party_id=parse_party_id(PERSON_WITH_MAILBOX), mailbox_address=None
            )
            assert recipient == by_pin
            assert subs == subscriptions
            assert subs[0].event_types == frozenset({"opened", "delivered"})

            recipient, _ = await hot.for_send(
                sender, party_id=parse_party_id(PERSON_WITHOUT_MAILBOX), mailbox_address=None
            )
            assert recipient == without_mailbox

            recipient, _ = await hot.for_send(sender, party_id=None, mailbox_address="OLA.Nordmann#1a2b")
            assert recipient == by_pin

            recipient, subs = await hot.for_send(
                other_sender, party_id=parse_party_id("01019010046"), mailbox_address=None
            )
            assert recipient is None
            assert [s.event_types for s in subs] == [frozenset({"*"})]

            assert await hot.for_send(sender, party_id=None, mailbox_address=None) == (None, subscriptions)
    finally:
        await runtime.close()


async def test_idle_workers_see_whether_a_job_may_be_due(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        reads = runtime.hot_reads
        now = runtime.clock.now()
        assert await reads.may_have_due_jobs(now) is not runtime.database.has_plain_reads
        async with runtime.unit_of_work() as uow:
            await uow.jobs.enqueue("deliver", {"n": 1}, now=now, run_at=now + timedelta(minutes=5))
        # Only SQLite answers exactly; elsewhere the claim itself finds out.
        exact = runtime.database.has_plain_reads
        assert await reads.may_have_due_jobs(now) is not exact
        assert await reads.may_have_due_jobs(now + timedelta(minutes=6)) is True
        async with runtime.unit_of_work() as uow:
            claimed = await uow.jobs.claim(
                "w", now=now + timedelta(minutes=6), lease=timedelta(minutes=1), limit=5
            )
        assert len(claimed) == 1
        # Running: never due again by time alone (the worker registry makes it ready if its holder dies).
        assert await reads.may_have_due_jobs(now + timedelta(minutes=6, seconds=30)) is not exact
        assert await reads.may_have_due_jobs(now + timedelta(days=8)) is not exact
    finally:
        await runtime.close()

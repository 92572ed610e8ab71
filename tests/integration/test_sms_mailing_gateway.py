"""An SMS mailing through a configured SMS gateway (a real HTTP server), on SQLite and PostgreSQL:
each number posted once from the mailing's sender name with its own idempotency key; a gateway that
fails for now leaves the rest queued for the job's retry, one that refuses fails the recipient, and
the job's last attempt fails whatever is still queued."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest

from postbud.channels.base import DeliveryFailed
from postbud.domain.sms_mailings import MailingStatus, RecipientOutcome, RecipientStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.mailings.sms import (
    SendSmsMailing,
    give_up_batch,
    mailing_report,
    send_batch,
    send_sms_mailing,
)
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime
from tests.integration.test_channels import SmsGatewayServer, gateway, runtime_with

__all__ = ["gateway"]
pytestmark = pytest.mark.anyio
NUMBERS: list[object] = ["0701234567", "+46 70 765 43 21", "+4791234567"]


async def _mailing(runtime: Runtime, numbers: list[object] = NUMBERS) -> uuid.UUID:
    sender = await register_sender(RegisterSender("Ekokunden AB", "5568384118"), runtime)
    command = SendSmsMailing(sender.sender.id, "ekopost", "Ekokunden", "Hej!", numbers, "SE")
    return (await send_sms_mailing(command, runtime)).id


async def _states(runtime: Runtime, mailing_id: uuid.UUID) -> list[RecipientStatus]:
    async with runtime.reader() as uow:
        return [r.status for r in await uow.sms_mailings.recipients(mailing_id)]


async def test_each_number_is_posted_once_from_the_mailings_name(
    tmp_path: Path, database_url: str, gateway: SmsGatewayServer
) -> None:
    runtime = await runtime_with(tmp_path, database_url, sms_gateway_url=gateway.url)
    mailing_id = await _mailing(runtime)
    assert await Worker(runtime, core_handlers()).run_once() == 1
    await send_batch(mailing_id, 0, 3, runtime)  # run again: nothing is still queued

    assert sorted((body["to"], body["from"], body["text"]) for body, _ in gateway.received) == [
        ("+46701234567", "Ekokunden", "Hej!"),
        ("+46707654321", "Ekokunden", "Hej!"),
        ("+4791234567", "Ekokunden", "Hej!"),
    ]
    assert sorted(key or "" for _, key in gateway.received) == [
        f"sms-mailing.{mailing_id}.{n}" for n in range(3)
    ]
    report = await mailing_report((await _sender_of(runtime, mailing_id)), mailing_id, runtime)
    assert report.mailing.status is MailingStatus.COMPLETED
    assert {r.status for r in report.recipients} == {RecipientStatus.SENT}
    assert all(str(r.detail.get("gateway_id", "")).startswith("sms-") for r in report.recipients)
    assert all(r.sms_sha256 is None for r in report.recipients)
    await runtime.close()


async def _sender_of(runtime: Runtime, mailing_id: uuid.UUID) -> uuid.UUID:
    async with runtime.reader() as uow:
        found = await uow.sms_mailings.get(mailing_id)
    assert found is not None
    return found.sender_id


async def test_a_gateway_down_leaves_the_batch_queued_and_the_last_attempt_fails_it(
    tmp_path: Path, database_url: str, gateway: SmsGatewayServer
) -> None:
    runtime = await runtime_with(tmp_path, database_url, sms_gateway_url=gateway.url)
    mailing_id = await _mailing(runtime)
    gateway.status = 503
    with pytest.raises(DeliveryFailed, match="503"):
        await send_batch(mailing_id, 0, 3, runtime)
    assert await _states(runtime, mailing_id) == [RecipientStatus.QUEUED] * 3

    await give_up_batch(mailing_id, 0, 3, runtime, "DeliveryFailed: gateway down")
    assert await _states(runtime, mailing_id) == [RecipientStatus.FAILED] * 3
    report = await mailing_report(await _sender_of(runtime, mailing_id), mailing_id, runtime)
    assert report.mailing.status is MailingStatus.COMPLETED
    assert {r.detail["reason"] for r in report.recipients} == {"DeliveryFailed: gateway down"}
    await runtime.close()


async def test_numbers_the_gateway_refuses_fail_for_good(
    tmp_path: Path, database_url: str, gateway: SmsGatewayServer
) -> None:
    runtime = await runtime_with(tmp_path, database_url, sms_gateway_url=gateway.url)
    mailing_id = await _mailing(runtime)
    gateway.status = 400
    await send_batch(mailing_id, 0, 3, runtime)
    assert await _states(runtime, mailing_id) == [RecipientStatus.FAILED] * 3
    report = await mailing_report(await _sender_of(runtime, mailing_id), mailing_id, runtime)
    assert all("400" in str(r.detail["reason"]) for r in report.recipients)
    await runtime.close()


async def test_the_last_of_two_batches_recording_at_once_completes_the_mailing(
    tmp_path: Path, database_url: str
) -> None:
    """On PostgreSQL two batches may record at once; holding the mailing's row (``lock``) makes the
    second wait for the first, so it sees no recipient queued. (SQLite runs one writer at a time.)"""
    runtime = await runtime_with(tmp_path, database_url)
    if runtime.database.dialect != "postgresql":
        await runtime.close()
        pytest.skip("SQLite serialises writing transactions: two cannot record at once")
    mailing_id = await _mailing(runtime, ["0701234567", "0707654321"])
    async with runtime.reader() as uow:
        mailing = await uow.sms_mailings.get(mailing_id)
    assert mailing is not None
    at = runtime.clock.now()

    def sent(position: int) -> list[RecipientOutcome]:
        return [RecipientOutcome(position, RecipientStatus.SENT, None, {})]

    second_done = asyncio.Event()

    async def second() -> bool:
        async with runtime.unit_of_work() as uow:
            await uow.sms_mailings.lock(mailing_id)
            await uow.sms_mailings.record(mailing, sent(1), at)
            completed = await uow.sms_mailings.complete_if_done(mailing, at)
        second_done.set()
        return completed

    async with runtime.unit_of_work() as first:
        await first.sms_mailings.lock(mailing_id)
        await first.sms_mailings.record(mailing, sent(0), at)
        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.3)
        assert not second_done.is_set()  # held back by the first's lock
        assert not await first.sms_mailings.complete_if_done(mailing, at)
    assert await waiting is True
    report = await mailing_report(mailing.sender_id, mailing_id, runtime)
    assert report.mailing.status is MailingStatus.COMPLETED
    await runtime.close()

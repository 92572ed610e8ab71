"""Use cases of an SMS mailing: send one (stored with its delivery jobs before it is answered),
read its status, and the delivery job that sends one batch of its recipients.

A mailing of 100,000 numbers is one transaction of its rows and 200 jobs; each job reads only its
own batch of recipients, sends them through the core's SMS channel (the sandbox captures them
when no gateway is configured) and records each outcome as the recipient's status and an appended
event. Sending is at least once: a job run again sends only the recipients still queued, and the
gateway is handed a key per recipient that lets it drop a repeat.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any, Final

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import Rejected
from postbud.channels.sms import SmsChannel
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound
from postbud.domain.ids import new_id
from postbud.domain.sms_mailings import (
    MailingRecipient,
    MailingStatus,
    RecipientOutcome,
    RecipientStatus,
    SmsMailing,
    SmsMailingRequest,
    batches,
    plan_mailing,
)
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job, job_row

__all__ = [
    "SEND_JOB",
    "MailingRecipient",
    "MailingReport",
    "SendSmsMailing",
    "SmsMailing",
    "give_up_batch",
    "give_up_send_job",
    "mailing_report",
    "run_send_job",
    "send_batch",
    "send_sms_mailing",
]

SEND_JOB: Final = "sms_mailing.send"
MAX_PAGE: Final = 1000


@dataclass(frozen=True, slots=True)
class SendSmsMailing:
    sender_id: uuid.UUID
    dialect: str
    sender_name: str | None
    text: str
    numbers: list[object]
    region: str
    """National numbers (without a country code) are this country's."""


async def send_sms_mailing(command: SendSmsMailing, runtime: Runtime) -> SmsMailing:
    """Check the mailing and store it, its recipients and its delivery jobs in one transaction."""
    request = SmsMailingRequest(command.sender_name, command.text, command.numbers, command.region)
    # Checking 100,000 numbers takes seconds of CPU: off the event loop, which serves other requests.
    plan = await asyncio.to_thread(plan_mailing, request)
    now = runtime.clock.now()
    mailing = SmsMailing(
        id=new_id(),
        sender_id=command.sender_id,
        dialect=command.dialect,
        sender_name=plan.sender_name,
        text=plan.text,
        recipient_count=len(plan.numbers),
        status=MailingStatus.SENDING,
        created_at=now,
        status_changed_at=now,
    )
    jobs = [
        job_row(
            SEND_JOB,
            {"mailing_id": str(mailing.id), "start": start, "end": end},
            now=now,
            idempotency_key=f"{SEND_JOB}:{mailing.id}:{start}",
        )
        for start, end in batches(len(plan.numbers))
    ]
    async with runtime.unit_of_work() as uow:
        await uow.sms_mailings.add(mailing, plan.numbers, jobs)
    runtime.jobs_available()
    return mailing


@dataclass(frozen=True, slots=True)
class MailingReport:
    mailing: SmsMailing
    counts: dict[RecipientStatus, int]
    recipients: list[MailingRecipient]
    """The page asked for, by position."""


async def mailing_report(
    sender_id: uuid.UUID, mailing_id: uuid.UUID, runtime: Runtime, *, start: int = 0, limit: int = MAX_PAGE
) -> MailingReport:
    """The mailing's status, its counts by recipient status and ``limit`` recipients from ``start``;
    another sender's mailing is not found."""
    async with runtime.reader() as uow:
        mailing = await uow.sms_mailings.get(mailing_id)
        if mailing is None or mailing.sender_id != sender_id:
            raise NotFound("sms_mailing", mailing_id)
        counts = await uow.sms_mailings.counts(mailing_id)
        page = await uow.sms_mailings.recipients(mailing_id, start=start, end=start + min(limit, MAX_PAGE))
    return MailingReport(mailing, counts, page)


def _channel(runtime: Runtime) -> SmsChannel:
    channel = runtime.channels.get(Channel.SMS)
    if not isinstance(channel, SmsChannel):
        raise DeliveryFailed("this deployment has no SMS channel")
    return channel


def _outcome(position: int, result: dict[str, Any] | Rejected) -> RecipientOutcome:
    if isinstance(result, Rejected):
        return RecipientOutcome(position, RecipientStatus.FAILED, None, {"reason": result.reason})
    sha256 = result.get("sms_sha256")
    detail = {k: v for k, v in result.items() if k in {"to", "captured", "gateway_id"} and v is not None}
    return RecipientOutcome(
        position, RecipientStatus.SENT, sha256 if isinstance(sha256, str) else None, detail
    )


async def send_batch(mailing_id: uuid.UUID, start: int, end: int, runtime: Runtime) -> None:
    """The delivery job: send the batch's still queued recipients and record each outcome. A gateway
    that fails for now (``DeliveryFailed``) fails the job after what was sent is recorded: the
    retry sends the rest."""
    async with runtime.reader() as uow:
        mailing = await uow.sms_mailings.get(mailing_id)
        queued = (
            await uow.sms_mailings.recipients(mailing_id, start=start, end=end, status=RecipientStatus.QUEUED)
            if mailing is not None
            else []
        )
    if mailing is None:
        return
    numbers = [(r.phone, f"sms-mailing.{mailing.id}.{r.position}") for r in queued]
    results = await _channel(runtime).send_to_numbers(numbers, mailing.text, mailing.sender_name)
    outcomes = [
        _outcome(r.position, result)
        for r, result in zip(queued, results, strict=True)
        if not isinstance(result, DeliveryFailed)
    ]
    async with runtime.unit_of_work() as uow:
        await uow.sms_mailings.lock(mailing.id)
        at = runtime.clock.now()
        await uow.sms_mailings.record(mailing, outcomes, at)
        await uow.sms_mailings.complete_if_done(mailing, at)
    for result in results:
        if isinstance(result, DeliveryFailed):
            raise result


async def give_up_batch(mailing_id: uuid.UUID, start: int, end: int, runtime: Runtime, error: str) -> None:
    """The job's last attempt failed: its recipients still queued failed, with the error."""
    async with runtime.unit_of_work() as uow:
        await uow.sms_mailings.lock(mailing_id)
        mailing = await uow.sms_mailings.get(mailing_id)
        if mailing is None:
            return
        queued = await uow.sms_mailings.recipients(
            mailing_id, start=start, end=end, status=RecipientStatus.QUEUED
        )
        failed = [
            RecipientOutcome(r.position, RecipientStatus.FAILED, None, {"reason": error}) for r in queued
        ]
        at = runtime.clock.now()
        await uow.sms_mailings.record(mailing, failed, at)
        await uow.sms_mailings.complete_if_done(mailing, at)


def _batch_of(job: Job) -> tuple[uuid.UUID, int, int]:
    return uuid.UUID(job.payload["mailing_id"]), int(job.payload["start"]), int(job.payload["end"])


async def run_send_job(job: Job, runtime: Runtime) -> None:
    await send_batch(*_batch_of(job), runtime)


async def give_up_send_job(job: Job, runtime: Runtime, error: str) -> None:
    await give_up_batch(*_batch_of(job), runtime, error)

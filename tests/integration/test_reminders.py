"""Reminders: a letter's notice sent again at the sender's times while the letter stays unread,
driven by the sandbox clock, against a real SMTP server and a real HTTP SMS gateway."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from postbud.channels.base import DeliveryFailed
from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import NotificationRequest, Shipment
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.inbox.open_letter import open_letter
from postbud.services.letters import deliver, reminders
from postbud.services.letters.reminders import LOCAL_ZONE, in_sms_hours, plan_reminders
from postbud.services.letters.send_letter import SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from postbud.storage import job_kinds, schema
from postbud.storage.repos.shipment_jobs import ShipmentJobRepository
from tests.integration.core_helpers import PERSON_WITH_MAILBOX, add_recipients, add_sender, pdf_document
from tests.integration.test_channels import (
    SmsGatewayServer,
    SmtpInbox,
    gateway,
    runtime_with,
    smtp,
)

__all__ = ["gateway", "smtp"]

pytestmark = pytest.mark.anyio

PUBLIC_URL = "https://post.example.no"


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_ZONE)  # type: ignore[misc]


# --- When reminders are due -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        (oslo(2026, 11, 23, 9, 0), oslo(2026, 11, 23, 9, 0)),
        (oslo(2026, 11, 23, 19, 59), oslo(2026, 11, 23, 19, 59)),
        (oslo(2026, 11, 23, 20, 0), oslo(2026, 11, 24, 9, 0)),
        (oslo(2026, 11, 23, 23, 30), oslo(2026, 11, 24, 9, 0)),
        (oslo(2026, 11, 24, 3, 15), oslo(2026, 11, 24, 9, 0)),
        (oslo(2026, 12, 31, 21, 0), oslo(2027, 1, 1, 9, 0)),
        # The night summer time starts (the clocks skip 02–03): still 09 local, one hour less UTC.
        (oslo(2026, 3, 28, 22, 0), oslo(2026, 3, 29, 9, 0)),
    ],
)
def test_an_sms_reminder_waits_for_nine_to_eight_in_norway(due: datetime, sent: datetime) -> None:
    moved = in_sms_hours(due.astimezone(UTC))
    assert moved == sent
    assert moved.astimezone(LOCAL_ZONE).hour == sent.hour


def _shipment(*notices: NotificationRequest) -> Shipment:
    return Shipment(
        id=uuid.uuid4(),
        sender_id=uuid.uuid4(),
        dialect="digipost",
        external_id=None,
        recipient_id=None,
        recipient_party=None,
        recipient_name=None,
        channels=(Channel.DIGITAL_MAILBOX,),
        documents=(),
        created_at=oslo(2026, 11, 23, 18, 0),
        notifications=notices,
    )


def test_plan_reminders_follows_the_senders_times() -> None:
    delivered = oslo(2026, 11, 23, 18, 0)
    shipment = _shipment(
        NotificationRequest(
            Channel.SMS,
            at=(oslo(2026, 11, 23, 17, 0), oslo(2026, 11, 25, 12, 0), datetime(2026, 11, 26, 10, 0)),
            after_hours=(0, 1, 3, 3, 48),
        ),
        NotificationRequest(Channel.EMAIL, at=(oslo(2026, 11, 24, 6, 30),)),
    )
    planned = [
        (r.index, r.label, r.run_at.astimezone(LOCAL_ZONE)) for r in plan_reminders(shipment, delivered)
    ]
    assert planned == [
        (0, "after-1h", oslo(2026, 11, 23, 19, 0)),
        # 21:00 moves to 09:00 the next morning; "after-48h" lands on its own day.
        (0, "after-3h", oslo(2026, 11, 24, 9, 0)),
        (0, "at-20261125T110000Z", oslo(2026, 11, 25, 12, 0)),
        (0, "after-48h", oslo(2026, 11, 25, 18, 0)),
        # A time without an offset is Norwegian wall-clock time.
        (0, "at-20261126T090000Z", oslo(2026, 11, 26, 10, 0)),
        # E-mail keeps the sender's time, night or not.
        (1, "at-20261124T053000Z", oslo(2026, 11, 24, 6, 30)),
    ]


def test_reminders_that_land_on_one_morning_send_one_sms_and_none_come_before_delivery() -> None:
    delivered = oslo(2026, 11, 23, 20, 30)
    shipment = _shipment(NotificationRequest(Channel.SMS, after_hours=(1, 2, 10**9), at=(delivered,)))
    assert [(r.label, r.run_at) for r in plan_reminders(shipment, delivered)] == [
        ("after-1h", oslo(2026, 11, 24, 9, 0))
    ]


# --- Sent by the worker as the sandbox clock moves ---------------------------------------------------


async def _runtime(tmp_path: Path, database_url: str, smtp: SmtpInbox, gateway: SmsGatewayServer) -> Runtime:
    runtime = await runtime_with(
        tmp_path, database_url, smtp_url=smtp.url, sms_gateway_url=gateway.url, public_url=PUBLIC_URL
    )
    await add_recipients(runtime)
    return runtime


def _letter(sender: uuid.UUID, *notices: NotificationRequest, **changes: object) -> SendLetter:
    return SendLetter(
        sender_id=sender,
        dialect="digipost",
        recipient=parse_party_id(PERSON_WITH_MAILBOX),
        documents=(pdf_document("Skattemelding"),),
        notifications=notices,
        **changes,  # type: ignore[arg-type]
    )


async def _work(runtime: Runtime) -> int:
    worker = Worker(runtime, core_handlers())
    total = 0
    while claimed := await worker.run_once():
        total += claimed
    return total


async def _events(runtime: Runtime, shipment_id: uuid.UUID) -> list[ShipmentEvent]:
    async with runtime.reader() as uow:
        return [
            e for e in await uow.events.for_shipment(shipment_id) if e.type.value.startswith("notification")
        ]


async def _reminder_jobs(runtime: Runtime, shipment_id: uuid.UUID) -> dict[str, tuple[str, datetime]]:
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        assert shipment is not None
        planned = plan_reminders(shipment, await _delivered_at(runtime, shipment_id))
        jobs = await ShipmentJobRepository(uow.conn).by_keys(r.job_key(shipment_id) for r in planned)
    return {key: (job.status, job.run_at) for key, job in jobs.items()}


async def _delivered_at(runtime: Runtime, shipment_id: uuid.UUID) -> datetime:
    async with runtime.reader() as uow:
        events = await uow.events.for_shipment(shipment_id)
    return next(e.at for e in events if e.type is EventType.DELIVERED)


async def test_an_unread_letter_is_reminded_at_each_time_and_an_opened_one_is_not(
    tmp_path: Path, database_url: str, smtp: SmtpInbox, gateway: SmsGatewayServer
) -> None:
    runtime = await _runtime(tmp_path, database_url, smtp, gateway)
    sender = await add_sender(runtime)
    email_at = runtime.clock.now() + timedelta(days=3)
    sms = NotificationRequest(Channel.SMS, address="+47 412 34 567", after_hours=(24, 72))
    email = NotificationRequest(Channel.EMAIL, at=(email_at,))
    letter_id = (await send_letter(_letter(sender, sms, email), runtime)).shipment.id

    assert await _work(runtime) == 1, "the first notices; the reminders wait for their time"
    delivered = await _delivered_at(runtime, letter_id)
    jobs = await _reminder_jobs(runtime, letter_id)
    assert sorted(jobs.values()) == sorted(
        [
            ("ready", in_sms_hours(delivered + timedelta(hours=24))),
            ("ready", in_sms_hours(delivered + timedelta(hours=72))),
            ("ready", email_at),
        ]
    )
    assert [e.dedup_key for e in await _events(runtime, letter_id)] == ["notification:0", "notification:1"]
    link = f"{PUBLIC_URL}/inbox/letters/{letter_id}"
    assert gateway.received[0][0]["text"].endswith(f"Read it at {link}")

    await advance_clock(runtime, timedelta(hours=40))  # past the first SMS reminder, whatever the hour
    assert await _work(runtime) == 1
    events = await _events(runtime, letter_id)
    reminder = events[-1]
    assert (reminder.type, reminder.dedup_key) == (
        EventType.NOTIFICATION_SENT,
        "notification:0:reminder:after-24h",
    )
    assert reminder.data["reminder"] == "after-24h"
    assert reminder.data["to"] == "+4741234567"
    text = gateway.received[-1][0]["text"]
    assert text.startswith(
        "Reminder: you have an unread letter from Skatteetaten in Postbud: “Skattemelding”."
    )
    assert text.endswith(link)
    assert gateway.received[-1][1] != gateway.received[0][1], "its own idempotency key at the gateway"

    async with runtime.reader() as uow:
        recipient = await uow.recipients.by_party_id(parse_party_id(PERSON_WITH_MAILBOX))
    assert recipient is not None
    await open_letter(runtime, recipient.id, letter_id, AuthenticationLevel.IDPORTEN_4)
    sms_sent, mails_sent = len(gateway.received), len(smtp.messages)
    await advance_clock(runtime, timedelta(days=5))
    assert await _work(runtime) == 2, "both remaining reminders ran"
    assert (len(gateway.received), len(smtp.messages)) == (sms_sent, mails_sent), "but sent nothing"
    assert len(await _events(runtime, letter_id)) == 3
    assert {status for status, _ in (await _reminder_jobs(runtime, letter_id)).values()} == {"done"}
    await runtime.close()


async def test_an_email_reminder_is_marked_and_the_senders_wording_kept(
    tmp_path: Path, database_url: str, smtp: SmtpInbox, gateway: SmsGatewayServer
) -> None:
    runtime = await _runtime(tmp_path, database_url, smtp, gateway)
    sender = await add_sender(runtime)
    own = NotificationRequest(
        Channel.EMAIL, subject="Ny skattemelding", text="Du har fått skattemeldingen.", after_hours=(2,)
    )
    default = NotificationRequest(Channel.EMAIL, address="kari@example.no", after_hours=(2,))
    letter_id = (await send_letter(_letter(sender, own, default), runtime)).shipment.id
    await _work(runtime)
    await advance_clock(runtime, timedelta(hours=2, seconds=1))
    assert await _work(runtime) == 2
    reminded = {m["To"]: m for m in smtp.messages[2:]}
    assert reminded["ola@example.no"]["Subject"] == "Reminder: Ny skattemelding"
    assert reminded["ola@example.no"].get_content().strip() == "Du har fått skattemeldingen."
    assert reminded["kari@example.no"]["Subject"] == "Reminder: unread letter from Skatteetaten"
    assert f"{PUBLIC_URL}/inbox/letters/{letter_id}" in reminded["kari@example.no"].get_content()
    keys = [e.dedup_key for e in await _events(runtime, letter_id)]
    assert keys[2:] == ["notification:0:reminder:after-2h", "notification:1:reminder:after-2h"]
    await runtime.close()


async def test_a_published_letter_gets_its_reminders_in_the_publishing_transaction(
    tmp_path: Path, database_url: str, smtp: SmtpInbox, gateway: SmsGatewayServer
) -> None:
    runtime = await _runtime(tmp_path, database_url, smtp, gateway)
    sender = await add_sender(runtime)
    publish_at = runtime.clock.now() + timedelta(days=1)
    notice = NotificationRequest(Channel.SMS, address="41234567", after_hours=(6,))
    accepted = await send_letter(_letter(sender, notice, publish_at=publish_at), runtime)
    assert await _reminder_job_count(runtime) == 0, "none before the letter is delivered"

    runtime.clock.advance(timedelta(days=1, seconds=1))
    await deliver.publish(accepted.shipment.id, runtime)  # what the publish job runs
    jobs = await _reminder_jobs(runtime, accepted.shipment.id)
    delivered = await _delivered_at(runtime, accepted.shipment.id)
    assert list(jobs.values()) == [("ready", in_sms_hours(delivered + timedelta(hours=6)))]
    assert await reminders.schedule_after_delivery(accepted.shipment.id, runtime) == 0, "queued once"

    runtime.clock.advance(timedelta(hours=30))
    await _work(runtime)
    keys = [e.dedup_key for e in await _events(runtime, accepted.shipment.id)]
    assert keys == ["notification:0", "notification:0:reminder:after-6h"]
    await runtime.close()


async def _reminder_job_count(runtime: Runtime) -> int:
    async with runtime.reader() as uow:
        query = select(func.count()).select_from(schema.jobs).where(schema.jobs.c.kind == job_kinds.REMIND)
        return int((await uow.conn.execute(query)).scalar_one())


async def test_a_reminder_that_cannot_be_sent_is_recorded_as_failed(
    tmp_path: Path, database_url: str, smtp: SmtpInbox, gateway: SmsGatewayServer
) -> None:
    runtime = await _runtime(tmp_path, database_url, smtp, gateway)
    sender = await add_sender(runtime)
    by_sms = NotificationRequest(Channel.SMS, address="41234567", after_hours=(1,))
    no_mobile = NotificationRequest(Channel.SMS, after_hours=(1,))
    letter_id = (await send_letter(_letter(sender, by_sms, no_mobile), runtime)).shipment.id
    await _work(runtime)
    gateway.status = 503

    with pytest.raises(DeliveryFailed, match="503"):
        await reminders.send_reminder(letter_id, 0, "after-1h", runtime)
    await reminders.give_up_reminder(letter_id, 0, "after-1h", runtime, "DeliveryFailed: gateway down")
    await reminders.send_reminder(letter_id, 0, "after-1h", runtime)  # its outcome is recorded: nothing
    await reminders.send_reminder(letter_id, 1, "after-1h", runtime)

    failed = [e for e in await _events(runtime, letter_id) if e.dedup_key and "reminder" in e.dedup_key]
    assert [(e.type, e.dedup_key, e.data["error"], e.data["reminder"]) for e in failed] == [
        (
            EventType.NOTIFICATION_FAILED,
            "notification:0:reminder:after-1h",
            "DeliveryFailed: gateway down",
            "after-1h",
        ),
        (
            EventType.NOTIFICATION_FAILED,
            "notification:1:reminder:after-1h",
            "no sms address for the recipient",
            "after-1h",
        ),
    ]
    await runtime.close()

"""A notice plan end to end through the job queue and the sandbox clock, on SQLite and PostgreSQL:
a held letter is published, notified by the channel the recipient has, reminded once after the plan's
delay in the reminder's own words, and not reminded once it is read."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.channel_options import ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import parse_party_id
from postbud.domain.notice_channels import NoticeChannelChoice
from postbud.domain.notice_plan import NoticePlan, ReminderPlan
from postbud.domain.notice_templates import NoticeLanguage, NoticeTemplate, NoticeTexts
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.inbox.open_letter import open_letter
from postbud.services.letters.send_letter import SendLetter, send_letter
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from tests.integration.core_helpers import add_sender, pdf_document

pytestmark = pytest.mark.anyio

KARI = "15108695088"
PLAN = NoticePlan(
    NoticeChannelChoice.SMS_PREFERRED,
    template=NoticeTemplate.OWN_TEXT,
    language=NoticeLanguage.NB,
    texts=NoticeTexts(
        email_subject="Nytt brev fra {sender_name}",
        email_body="Hei {recipient_name}, les «{title}»: {link}",
        sms_body="Nytt brev i {resource_name}: {title}",
    ),
    resource_name="Bostøtte",
    reminder=ReminderPlan(
        after=timedelta(days=1),
        choice=NoticeChannelChoice.EMAIL,
        texts=NoticeTexts(email_subject="Påminnelse", email_body="Du har ikke lest «{title}» ennå: {link}"),
    ),
)


async def runtime_for(tmp_path: Path, database_url: str) -> Runtime:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, workers=0, public_url="https://p.no"
    )
    return await build_runtime(settings)


async def work(runtime: Runtime) -> int:
    worker = Worker(runtime, core_handlers())
    total = 0
    while claimed := await worker.run_once():
        total += claimed
    return total


async def notices(runtime: Runtime, shipment_id: uuid.UUID) -> list[ShipmentEvent]:
    async with runtime.reader() as uow:
        events = await uow.events.for_shipment(shipment_id)
    return [e for e in events if e.type in (EventType.NOTIFICATION_SENT, EventType.NOTIFICATION_FAILED)]


async def send_held(runtime: Runtime, sender: uuid.UUID, title: str) -> uuid.UUID:
    accepted = await send_letter(
        SendLetter(
            sender_id=sender,
            dialect="platform",
            recipient=parse_party_id(KARI),
            documents=(pdf_document(title),),
            publish_at=runtime.clock.now() + timedelta(hours=1),
            channel_options=ChannelOptions(notice=PLAN),
        ),
        runtime,
    )
    return accepted.shipment.id


async def test_a_notice_plan_is_sent_on_publication_and_reminded_once_while_unread(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    kari = await register_recipient(
        RecipientInput(
            id=KARI, name="Kari Nordmann", mailbox=True, email="kari@example.no", mobile="91234567"
        ),
        runtime,
    )
    unread = await send_held(runtime, sender, "Vedtak")
    read = await send_held(runtime, sender, "Svar")
    assert await notices(runtime, unread) == []

    await advance_clock(runtime, timedelta(hours=2))
    await work(runtime)
    [first] = await notices(runtime, unread)
    assert (first.type, first.channel, first.dedup_key) == (
        EventType.NOTIFICATION_SENT,
        Channel.SMS,
        "notice-plan:sms",
    )
    assert first.data["to"] == "+4791234567"
    sms = json.loads(await runtime.blobs.get(first.data["sms_sha256"]))
    assert sms["text"] == "Nytt brev i Bostøtte: Vedtak"

    await open_letter(runtime, kari.recipient.id, read, AuthenticationLevel.IDPORTEN_4)
    await advance_clock(runtime, timedelta(days=1, hours=1))
    await work(runtime)
    reminded = [e for e in await notices(runtime, unread) if "reminder" in e.data]
    assert [(e.channel, e.dedup_key) for e in reminded] == [
        (Channel.EMAIL, "notice-plan:reminder:after-86400s:email")
    ]
    eml = message_from_bytes(await runtime.blobs.get(reminded[0].data["eml_sha256"]), policy=policy.default)
    assert isinstance(eml, EmailMessage)
    assert (eml["To"], eml["Subject"]) == ("kari@example.no", "Påminnelse")
    assert eml.get_content().strip() == f"Du har ikke lest «Vedtak» ennå: https://p.no/inbox/letters/{unread}"
    assert [e for e in await notices(runtime, read) if "reminder" in e.data] == [], "read: no reminder"

    await advance_clock(runtime, timedelta(days=2))
    assert await work(runtime) == 0, "one reminder only"
    await runtime.close()


async def test_a_letter_delivered_in_its_send_request_is_notified_by_its_plan(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await register_recipient(
        RecipientInput(id=KARI, name="Kari Nordmann", mailbox=True, email="kari@example.no"), runtime
    )
    accepted = await send_letter(
        SendLetter(
            sender_id=sender,
            dialect="platform",
            recipient=parse_party_id(KARI),
            documents=(pdf_document("Vedtak"),),
            channel_options=ChannelOptions(notice=PLAN),
        ),
        runtime,
    )
    assert accepted.decision.channel is Channel.DIGITAL_MAILBOX
    await work(runtime)
    [notice] = await notices(runtime, accepted.shipment.id)
    assert (notice.type, notice.channel) == (EventType.NOTIFICATION_SENT, Channel.EMAIL), "no mobile: e-mail"
    eml = message_from_bytes(await runtime.blobs.get(notice.data["eml_sha256"]), policy=policy.default)
    assert isinstance(eml, EmailMessage)
    assert eml["Subject"] == "Nytt brev fra Skatteetaten"
    await runtime.close()

"""Channels through the core use cases on SQLite and PostgreSQL: mailbox providers chosen by the
sender's preference with the reasons stored, a business inbox for a person, the deployment's and the
sender's region, notice plans with missing contacts and templates, reminders in the sender's zone."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.channel_options import ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound, NotPermitted, PermissionCode, RuleCode, ValidationFailed
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import parse_party_id
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.notice_channels import NoticeChannelChoice
from postbud.domain.notice_plan import NoticePlan, ReminderPlan
from postbud.domain.notice_templates import NoticeLanguage, NoticeTemplate, NoticeTexts
from postbud.domain.parties import PostalAddress, Sender
from postbud.domain.print_layout import PrintLayout
from postbud.domain.print_permissions import require_protected_mailing
from postbud.domain.shipments import NotificationRequest, Postage, PrintInstructions, Shipment
from postbud.services.letters import reminders
from postbud.services.letters.notify import send_notifications
from postbud.services.letters.send_letter import SendLetter, send_letter
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.parties.sender_settings import allow_protected_mailing, set_sender_region
from postbud.services.runtime import Runtime
from postbud.storage.repos.shipment_jobs import ShipmentJobRepository
from tests.integration.core_helpers import pdf_document

pytestmark = pytest.mark.anyio

SVEN = "se:198112289874"
SVEN_PARTY = parse_party_id(SVEN)
SWEDISH_ADDRESS = PostalAddress("Sven Svensson", ("Drottninggatan 1",), "111 51", "Stockholm", "SE")
HELSINKI_EVENING = datetime(2026, 12, 7, 18, 30, tzinfo=UTC)
"""19:30 in Oslo and Stockholm, 20:30 in Helsinki: inside Norway's SMS hours, outside Finland's."""


async def swedish_runtime(tmp_path: Path, database_url: str) -> Runtime:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        workers=0,
        time_zone="Europe/Stockholm",
        country="SE",
        public_url="https://post.example.se",
    )
    return await build_runtime(settings)


async def add_sender(runtime: Runtime, time_zone: str | None = None, country: str | None = None) -> uuid.UUID:
    sender_id = uuid.uuid4()
    sender = Sender(sender_id, "Skatteverket", str(sender_id.int)[:10], time_zone=time_zone, country=country)
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(sender, now=runtime.clock.now())
    return sender.id


async def events_of(runtime: Runtime, shipment_id: uuid.UUID) -> list[ShipmentEvent]:
    async with runtime.reader() as uow:
        return await uow.events.for_shipment(shipment_id)


def of_type(events: list[ShipmentEvent], kind: EventType) -> list[ShipmentEvent]:
    return [e for e in events if e.type is kind]


async def test_a_recipient_registers_providers_a_business_inbox_and_an_address_in_the_deployments_country(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await swedish_runtime(tmp_path, database_url)
    sven = await register_recipient(
        RecipientInput(
            id=SVEN,
            name="Sven Svensson",
            mailbox=True,
            kivra=True,
            business_inbox=True,
            address="Drottninggatan 1|111 51|Stockholm",
        ),
        runtime,
    )
    async with runtime.reader() as uow:
        stored = await uow.recipients.by_party_id(SVEN_PARTY)
    assert stored == sven.recipient
    caps = stored.capabilities
    assert caps.mailbox_providers == {MailboxProvider.POSTBUD, MailboxProvider.KIVRA}
    assert caps.business_inbox
    assert caps.postal_address is not None
    assert (caps.postal_address.postal_code, caps.postal_address.country) == ("111 51", "SE")

    with pytest.raises(ValidationFailed) as caught:
        await register_recipient(RecipientInput(id=SVEN, name="Sven", address="Gata 1|0155|Oslo"), runtime)
    assert (caught.value.first.field, caught.value.first.code) == (
        "address.postal_code",
        RuleCode.WRONG_FORMAT,
    )
    norwegian = RecipientInput(id=SVEN, name="Sven", address="Gata 1|0155|Oslo", country="NO")
    moved = await register_recipient(norwegian, runtime)
    assert moved.recipient.capabilities.postal_address is not None
    assert moved.recipient.capabilities.postal_address.country == "NO"
    with pytest.raises(ValidationFailed, match="only people have a Kivra-style mailbox"):
        await register_recipient(RecipientInput(id="974761076", name="Skatteetaten", kivra=True), runtime)
    await runtime.close()


async def test_the_senders_preferred_provider_carries_the_letter_and_the_reasons_are_stored(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await swedish_runtime(tmp_path, database_url)
    sender = await add_sender(runtime)
    await register_recipient(RecipientInput(id=SVEN, name="Sven Svensson", kivra=True), runtime)

    def letter(**changes: Any) -> SendLetter:
        fields: dict[str, Any] = {
            "sender_id": sender,
            "dialect": "platform",
            "recipient": SVEN_PARTY,
            "documents": (pdf_document("Beslut"),),
            "channels": (Channel.DIGITAL_MAILBOX,),
        }
        return SendLetter(**(fields | changes))

    to_kivra = await send_letter(
        letter(
            channel_options=ChannelOptions(mailbox_providers=(MailboxProvider.POSTBUD, MailboxProvider.KIVRA))
        ),
        runtime,
    )
    events = await events_of(runtime, to_kivra.shipment.id)
    [routed] = of_type(events, EventType.ROUTED)
    assert routed.data["provider"] == "kivra"
    assert routed.data["considered"] == ["digital_mailbox via postbud: recipient has no postbud mailbox"]
    [delivered] = of_type(events, EventType.DELIVERED)
    assert delivered.data == {"inbox": "digital_mailbox", "provider": "kivra"}

    digipost_style = await send_letter(letter(), runtime)
    [refused] = of_type(await events_of(runtime, digipost_style.shipment.id), EventType.NOT_DELIVERED)
    assert refused.data["considered"] == [
        "digital_mailbox: recipient's digital mailbox is with kivra, the sender delivers to postbud"
    ]
    await runtime.close()


async def test_a_person_receives_in_the_business_inbox_only_where_the_letter_allows_it(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await swedish_runtime(tmp_path, database_url)
    sender = await add_sender(runtime)
    await register_recipient(RecipientInput(id=SVEN, name="Sven Svensson", business_inbox=True), runtime)
    command = SendLetter(
        sender_id=sender,
        dialect="platform",
        recipient=SVEN_PARTY,
        documents=(pdf_document("Melding"),),
        channels=(Channel.BUSINESS_INBOX,),
    )
    refused = await send_letter(command, runtime)
    [not_delivered] = of_type(await events_of(runtime, refused.shipment.id), EventType.NOT_DELIVERED)
    assert not_delivered.data["considered"] == ["business_inbox: the business inbox is for organisations"]

    allowed = await send_letter(
        replace(command, channel_options=ChannelOptions(business_inbox_for_persons=True)), runtime
    )
    events = await events_of(runtime, allowed.shipment.id)
    assert allowed.decision.channel is Channel.BUSINESS_INBOX
    assert of_type(events, EventType.DELIVERED)[0].data == {"inbox": "business_inbox"}
    await runtime.close()


async def test_a_senders_own_zone_and_country_are_stored(tmp_path: Path, database_url: str) -> None:
    runtime = await swedish_runtime(tmp_path, database_url)
    finnish = await add_sender(runtime, time_zone="Europe/Helsinki", country="FI")
    plain = await add_sender(runtime)
    async with runtime.unit_of_work() as uow:
        got = await uow.senders.get(finnish)
        default = await uow.senders.get(plain)
        assert got is not None
        assert default is not None
        await uow.senders.update(Sender(got.id, got.name, got.organisation_number, time_zone="Europe/Riga"))
    assert (got.time_zone, got.country) == ("Europe/Helsinki", "FI")
    assert (default.time_zone, default.country) == (None, None)
    assert default.regional(runtime.settings.regional()).time_zone == "Europe/Stockholm"
    async with runtime.reader() as uow:
        updated = await uow.senders.get(finnish)
    assert updated is not None
    assert (updated.time_zone, updated.country) == ("Europe/Riga", None)
    await runtime.close()


async def test_sms_reminders_are_queued_inside_the_sms_hours_of_the_senders_zone(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await swedish_runtime(tmp_path, database_url)
    await register_recipient(
        RecipientInput(id=SVEN, name="Sven", mailbox=True, mobile="+46701234567"), runtime
    )
    run_at: dict[str, datetime] = {}
    for name, zone in {"swedish": None, "finnish": "Europe/Helsinki"}.items():
        sender = await add_sender(runtime, time_zone=zone)
        notice = NotificationRequest(Channel.SMS, after_hours=(24,))
        accepted = await send_letter(
            SendLetter(
                sender_id=sender,
                dialect="platform",
                recipient=SVEN_PARTY,
                documents=(pdf_document(name),),
                notifications=(notice,),
            ),
            runtime,
        )
        async with runtime.unit_of_work() as uow:
            added = await reminders.schedule_reminders(
                uow,
                accepted.shipment,
                HELSINKI_EVENING - timedelta(hours=24),
                now=runtime.clock.now(),
                deployment=runtime.settings.regional(),
            )
        assert added == 1
        async with runtime.reader() as uow:
            [job] = (
                await ShipmentJobRepository(uow.conn).by_keys(
                    [f"reminder:{accepted.shipment.id}:0:after-24h"]
                )
            ).values()
        run_at[name] = job.run_at
    assert run_at["swedish"] == HELSINKI_EVENING, "19:30 in Stockholm is inside the SMS hours"
    assert run_at["finnish"] == datetime(2026, 12, 8, 7, 0, tzinfo=UTC), "09:00 the next morning in Helsinki"
    await runtime.close()


async def test_a_notice_plan_tells_missing_contact_or_notifies_by_the_channel_the_recipient_has(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await swedish_runtime(tmp_path, database_url)
    sender = await add_sender(runtime)
    await register_recipient(
        RecipientInput(id=SVEN, name="Sven Svensson", mailbox=True, mobile="0701234567"), runtime
    )

    async def send(plan: NoticePlan, title: str) -> uuid.UUID:
        accepted = await send_letter(
            SendLetter(
                sender_id=sender,
                dialect="platform",
                recipient=SVEN_PARTY,
                documents=(pdf_document(title),),
                channel_options=ChannelOptions(notice=plan),
            ),
            runtime,
        )
        await send_notifications(accepted.shipment.id, runtime)
        return accepted.shipment.id

    by_email = NoticePlan(NoticeChannelChoice.EMAIL, texts=NoticeTexts("Nytt brev", "Hej {recipient_name}"))
    missing = of_type(await events_of(runtime, await send(by_email, "Beslut")), EventType.NOTIFICATION_FAILED)
    assert [(e.data["outcome"], e.data["code"], e.dedup_key) for e in missing] == [
        ("missing_contact", "no_contact", "notice-plan:missing")
    ]

    generic = NoticePlan(
        NoticeChannelChoice.EMAIL_PREFERRED,
        template=NoticeTemplate.GENERIC,
        language=NoticeLanguage.EN,
        reminder=ReminderPlan(after=timedelta(days=1), texts=NoticeTexts(sms_body="Still unread: {title}")),
    )
    letter_id = await send(generic, "Slutskattebesked")
    await send_notifications(letter_id, runtime)  # a second run sends nothing twice
    [sent] = of_type(await events_of(runtime, letter_id), EventType.NOTIFICATION_SENT)
    assert (sent.channel, sent.data["outcome"], sent.data["reason"]) == (
        Channel.SMS,
        "sent",
        "no email address, so sms",
    )
    assert sent.data["to"] == "+46701234567", "a national number is read in the deployment's country"
    sms = json.loads(await runtime.blobs.get(sent.data["sms_sha256"]))
    assert sms["text"] == (
        "Hello Sven Svensson. You have received a new message from Skatteverket: “Slutskattebesked”. "
        f"Log in to read it: https://post.example.se/inbox/letters/{letter_id}"
    )

    [reminder] = reminders.plan_reminders(
        (await _shipment(runtime, letter_id)), HELSINKI_EVENING, runtime.settings.regional()
    )
    assert reminder.index == reminders.PLAN_NOTICE
    await reminders.send_reminder(letter_id, reminder.index, reminder.label, runtime)
    await reminders.send_reminder(letter_id, reminder.index, reminder.label, runtime)
    reminded = [
        e
        for e in of_type(await events_of(runtime, letter_id), EventType.NOTIFICATION_SENT)
        if "reminder" in e.data
    ]
    assert [e.dedup_key for e in reminded] == ["notice-plan:reminder:after-86400s:sms"]
    text = json.loads(await runtime.blobs.get(reminded[0].data["sms_sha256"]))["text"]
    assert text.startswith("Reminder: Hello Sven Svensson.")
    assert "Still unread: Slutskattebesked" in text
    await runtime.close()


async def _shipment(runtime: Runtime, shipment_id: uuid.UUID) -> Shipment:
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
    assert shipment is not None
    return shipment


async def test_a_sender_gets_its_own_region_and_is_set_up_for_protected_mailing(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await swedish_runtime(tmp_path, database_url)
    sender_id = await add_sender(runtime)
    changed = await set_sender_region(runtime, sender_id, time_zone="Europe/Helsinki", country="fi")
    assert (changed.time_zone, changed.country) == ("Europe/Helsinki", "FI")
    with pytest.raises(ValidationFailed) as caught:
        await set_sender_region(runtime, sender_id, time_zone="Europe/Atlantis", country=None)
    assert caught.value.first.field == "time_zone"

    protected = ChannelOptions(print_layout=PrintLayout(protected_identity=True))
    async with runtime.reader() as uow:
        before = await uow.senders.get(sender_id)
    assert before is not None
    assert not before.may_protected_print
    with pytest.raises(NotPermitted) as refused:
        require_protected_mailing(before, protected, None)
    assert refused.value.code is PermissionCode.NOT_APPROVED
    require_protected_mailing(before, ChannelOptions(), PrintInstructions(SWEDISH_ADDRESS))

    await allow_protected_mailing(runtime, sender_id)
    async with runtime.reader() as uow:
        after = await uow.senders.get(sender_id)
    assert after is not None
    assert (after.may_protected_print, after.time_zone) == (True, "Europe/Helsinki")
    require_protected_mailing(
        after, ChannelOptions(), PrintInstructions(SWEDISH_ADDRESS, postage=Postage.PROTECTED)
    )
    with pytest.raises(NotFound):
        await allow_protected_mailing(runtime, uuid.uuid4())
    await runtime.close()

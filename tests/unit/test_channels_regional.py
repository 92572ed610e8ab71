"""No zone or country in the core: SMS hours, wall-clock times and working days follow the region."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from postbud.config import Settings
from postbud.domain.channel_options import ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.documents import Document
from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.notice_channels import NoticeChannelChoice
from postbud.domain.notice_plan import NoticePlan, ReminderPlan
from postbud.domain.notice_templates import NoticeTemplate
from postbud.domain.parties import Sender
from postbud.domain.postal_delivery import expected_arrival
from postbud.domain.regional import NORWAY, SWEDEN, Regional
from postbud.domain.shipments import NotificationRequest, Postage, Shipment
from postbud.services.letters.reminders import PLAN_NOTICE, plan_reminders

HELSINKI = Regional(time_zone="Europe/Helsinki", country="FI")
WINTER_EVENING = datetime(2026, 12, 7, 18, 30, tzinfo=UTC)
"""19:30 in Oslo and Stockholm, 20:30 in Helsinki."""


def test_sms_hours_are_kept_in_the_regions_own_zone() -> None:
    assert NORWAY.in_sms_hours(WINTER_EVENING) == WINTER_EVENING
    assert SWEDEN.in_sms_hours(WINTER_EVENING) == WINTER_EVENING
    moved = HELSINKI.in_sms_hours(WINTER_EVENING)
    assert moved == datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    assert moved == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)


def test_a_deployment_sets_its_own_hours_and_a_sender_its_own_zone() -> None:
    settings = Settings(time_zone="Europe/Stockholm", country="se", sms_from=time(8), sms_until=time(21))
    deployment = settings.regional()
    assert (deployment.time_zone, deployment.country) == ("Europe/Stockholm", "SE")
    early = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)  # 08:30 in Stockholm
    assert deployment.in_sms_hours(early) == early
    assert NORWAY.in_sms_hours(early) == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

    finnish = Sender(uuid.uuid4(), "Vero", "0245437-2", time_zone="Europe/Helsinki", country="FI")
    region = finnish.regional(deployment)
    assert (region.time_zone, region.country, region.sms_from) == ("Europe/Helsinki", "FI", time(8))
    plain = Sender(uuid.uuid4(), "Skatteverket", "2021005448")
    assert plain.regional(deployment) is deployment


def test_a_wall_clock_time_without_offset_is_the_regions() -> None:
    naive = datetime(2026, 12, 7, 10, 0)
    assert NORWAY.aware(naive).utcoffset() == timedelta(hours=1)
    assert HELSINKI.aware(naive).utcoffset() == timedelta(hours=2)
    aware = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert HELSINKI.aware(aware) is aware


def test_working_days_skip_the_weekend_or_whatever_the_region_says() -> None:
    friday = date(2026, 12, 4)
    assert NORWAY.add_working_days(friday, 1) == date(2026, 12, 7)
    assert NORWAY.add_working_days(date(2026, 12, 5), 0) == date(2026, 12, 7)
    six_days = Regional(working_days=frozenset(range(6)))
    assert six_days.add_working_days(friday, 1) == date(2026, 12, 5)


def test_a_region_refuses_what_is_not_a_zone_or_a_country() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Regional(time_zone="Mars/Olympus", country="Norway", sms_from=time(20), sms_until=time(9))
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("time_zone", RuleCode.WRONG_FORMAT),
        ("country", RuleCode.WRONG_FORMAT),
        ("sms_hours", RuleCode.INVALID),
    ]


def _letter(**changes: object) -> Shipment:
    doc = Document(uuid.uuid4(), 0, None, "Brev", "pdf", "application/pdf", "0" * 64, 10)
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "sender_id": uuid.uuid4(),
        "dialect": "platform",
        "external_id": None,
        "recipient_id": None,
        "recipient_party": None,
        "recipient_name": None,
        "channels": (Channel.DIGITAL_MAILBOX,),
        "documents": (doc,),
        "created_at": WINTER_EVENING,
    }
    fields.update(changes)
    return Shipment(**fields)  # type: ignore[arg-type]


def test_sms_reminders_wait_for_the_senders_morning() -> None:
    letter = _letter(notifications=(NotificationRequest(Channel.SMS, after_hours=(24,)),))
    delivered = WINTER_EVENING - timedelta(hours=24)
    [in_oslo] = plan_reminders(letter, delivered)
    assert in_oslo.run_at == WINTER_EVENING
    [in_helsinki] = plan_reminders(letter, delivered, HELSINKI)
    assert in_helsinki.run_at == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)


def test_a_notice_plans_reminder_is_planned_after_its_delay_in_sms_hours_when_sms_may_carry_it() -> None:
    delivered = WINTER_EVENING - timedelta(days=7)
    by_sms = NoticePlan(
        NoticeChannelChoice.EMAIL,
        template=NoticeTemplate.GENERIC,
        reminder=ReminderPlan(choice=NoticeChannelChoice.SMS),
    )
    [reminder] = plan_reminders(_letter(channel_options=ChannelOptions(notice=by_sms)), delivered, HELSINKI)
    assert (reminder.index, reminder.label) == (PLAN_NOTICE, "after-604800s")
    assert reminder.run_at == datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
    by_email = NoticePlan(NoticeChannelChoice.EMAIL, template=NoticeTemplate.GENERIC, reminder=ReminderPlan())
    [late] = plan_reminders(_letter(channel_options=ChannelOptions(notice=by_email)), delivered, HELSINKI)
    assert late.run_at == WINTER_EVENING, "e-mail keeps no SMS hours"
    no_reminder = NoticePlan(NoticeChannelChoice.SMS, template=NoticeTemplate.GENERIC)
    assert plan_reminders(_letter(channel_options=ChannelOptions(notice=no_reminder)), delivered) == []


def test_posted_letters_arrive_after_the_postages_working_days_in_the_regions_week() -> None:
    friday = date(2026, 12, 4)
    assert expected_arrival(Postage.PRIORITY, friday, NORWAY) == date(2026, 12, 7)
    assert expected_arrival(Postage.ECONOMY, friday, NORWAY) == date(2026, 12, 10)
    assert expected_arrival(Postage.REGISTERED, friday, SWEDEN) == date(2026, 12, 7)
    saturday_too = Regional(working_days=frozenset(range(6)))
    assert expected_arrival(Postage.ECONOMY, friday, saturday_too) == date(2026, 12, 9)

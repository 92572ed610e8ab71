"""No zone hard-coded in the inbox's use cases: a calendar entry is in its sender's zone.

On SQLite and PostgreSQL, through the recipient inbox: a sender with a zone of its own gets its
appointments in that zone, any other sender in the deployment's.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar

from postbud.domain.parties import Sender
from postbud.domain.regional import Regional
from postbud.services.inbox.pay_invoice import bank_today
from postbud.services.runtime import Runtime
from postbud.services.sandbox.sample_letters import example_datatypes
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]


async def _sender_in(runtime: Runtime, zone: str) -> uuid.UUID:
    sender = Sender(id=uuid.uuid4(), name="Town Hall", organisation_number="889640782", time_zone=zone)
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(sender, now=runtime.clock.now())
    return sender.id


def _calendar_of(world: World, sender_id: uuid.UUID | None) -> tuple[str, datetime, dict[str, Any]]:
    appointment = {"kind": "appointment", **example_datatypes(world.runtime.clock.now())["appointment"]}
    letter = world.send(world.ola, "Time", datatype=appointment, sender_id=sender_id)
    world.sign_in(world.ola)
    calendar = Calendar.from_ical(world.client.get(f"/inbox/letters/{letter.id}/calendar.ics").content)
    (timezone,) = calendar.walk("VTIMEZONE")
    (event,) = calendar.walk("VEVENT")
    return str(timezone["TZID"]), event.decoded("DTSTART"), appointment


def test_an_appointment_is_in_its_senders_own_zone(world: World) -> None:
    sender_id = world.run(_sender_in, world.runtime, "America/New_York")
    zone, start, appointment = _calendar_of(world, sender_id)
    assert zone == "America/New_York"
    assert start.utcoffset() != datetime.fromisoformat(appointment["start_time"]).utcoffset()
    assert start == datetime.fromisoformat(appointment["start_time"]), "the same moment"


def test_an_appointment_of_a_sender_without_a_zone_is_in_the_deployments(world: World) -> None:
    zone, start, appointment = _calendar_of(world, None)
    assert zone == world.runtime.settings.regional().time_zone
    assert start.isoformat() == appointment["start_time"]


def test_the_banks_today_is_the_regions_day() -> None:
    late_evening_utc = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert bank_today(late_evening_utc, Regional(time_zone="Europe/Oslo")).isoformat() == "2026-12-05"
    assert bank_today(late_evening_utc, Regional(time_zone="America/New_York")).isoformat() == "2026-12-04"

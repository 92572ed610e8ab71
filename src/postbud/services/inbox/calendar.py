"""Use case: "add to calendar" — an iCalendar file for a letter's appointment or event.

The file is the same every time it is downloaded (UID, DTSTAMP and content come from the letter),
so importing it twice updates one calendar entry instead of adding a second. Times are given in
the sender's time zone (its own, else the deployment's) with the zone's VTIMEZONE included, as
calendar programs expect for local meetings.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from postbud.domain.datatypes import Address, Appointment, Event, Info, datatype_from_dict
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.regional import Regional
from postbud.services.inbox.open_letter import readable_letter
from postbud.services.inbox.query import Letter
from postbud.services.runtime import Runtime

PRODUCT_ID = "-//Postbud//Recipient inbox//EN"
CALENDAR_KINDS = frozenset({Appointment.kind, Event.kind})


@dataclass(frozen=True, slots=True)
class CalendarFile:
    filename: str
    content: bytes


def address_text(address: Address | None) -> str | None:
    if address is None:
        return None
    town = " ".join(part for part in (address.postal_code, address.city) if part)
    parts = [address.street_address, address.street_address_2, town, address.country]
    return ", ".join(part for part in parts if part) or None


def _location(place: str | None, address: Address | None) -> str | None:
    parts = [part for part in (place, address_text(address)) if part]
    return ", ".join(parts) or None


def _description(*blocks: str | None, info: tuple[Info, ...] = ()) -> str | None:
    texts = [block for block in blocks if block]
    texts += ["\n".join(part for part in (i.title, i.text) if part) for i in info]
    return "\n\n".join(text for text in texts if text) or None


def _vevent(
    uid: str,
    stamp: datetime,
    start: datetime,
    end: datetime,
    summary: str,
    location: str | None,
    description: str | None,
    url: str | None,
    region: Regional,
) -> CalendarEvent:
    event = CalendarEvent()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", region.local(start))
    event.add("dtend", region.local(end))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _calendar(events: list[CalendarEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    content: bytes = calendar.to_ical()
    return content


def appointment_events(
    appointment: Appointment, uid: str, stamp: datetime, summary: str, region: Regional
) -> list[CalendarEvent]:
    description = _description(appointment.sub_title, appointment.arrival_time, info=appointment.info)
    return [
        _vevent(
            uid,
            stamp,
            appointment.start_time,
            appointment.end_time,
            summary,
            _location(appointment.place, appointment.address),
            description,
            appointment.link.url if appointment.link else None,
            region,
        )
    ]


def event_events(
    event: Event, uid: str, stamp: datetime, summary: str, region: Regional
) -> list[CalendarEvent]:
    description = _description(event.sub_title, event.description, info=event.info)
    location = _location(event.place, event.address)
    url = event.links[0].url if event.links else None
    return [
        _vevent(f"{i}.{uid}", stamp, t.start_time, t.end_time, summary, location, description, url, region)
        for i, t in enumerate(event.time_intervals, start=1)
    ]


def letter_calendar(letter: Letter, region: Regional) -> CalendarFile:
    """The letter's appointment or event as a calendar, in ``region``'s zone; Conflict if it has neither."""
    shipment = letter.shipment
    datatype = shipment.primary.datatype or {}
    kind = str(datatype.get("kind"))
    if kind not in CALENDAR_KINDS:
        raise Conflict(
            "letter", "this letter has no appointment or event to add to a calendar", ConflictCode.WRONG_STATE
        )
    model = datatype_from_dict(kind, datatype)
    uid = f"{shipment.id}.{shipment.primary.id}@postbud"
    summary = shipment.subject or letter.sender_name or "Postbud"
    if isinstance(model, Appointment):
        events = appointment_events(model, uid, shipment.created_at, summary, region)
    else:
        assert isinstance(model, Event)
        events = event_events(model, uid, shipment.created_at, summary, region)
    return CalendarFile(f"{_slug(summary)}.ics", _calendar(events))


def _slug(text: str) -> str:
    kept = "".join(c if c.isascii() and c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in kept.split("-") if part)[:60] or "appointment"


async def calendar_file(
    runtime: Runtime, recipient_id: uuid.UUID, shipment_id: uuid.UUID, level: AuthenticationLevel
) -> CalendarFile:
    letter = await readable_letter(runtime, recipient_id, shipment_id, level)
    deployment = runtime.settings.regional()
    async with runtime.reader() as uow:
        sender = await uow.senders.get(letter.shipment.sender_id)
    return letter_calendar(letter, sender.regional(deployment) if sender is not None else deployment)

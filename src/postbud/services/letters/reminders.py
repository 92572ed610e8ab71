"""Reminders: a letter's notice sent again later, as long as the letter stays unread.

A sender asks for them per notice, as Digipost's ``sms-notification`` (``at`` times and
``after-hours``) and ``email-notification`` (``at`` times) do. The first notice goes when the letter
reaches the mailbox (``channels/notify.py``); each listed time becomes a reminder job, due that many
hours after the delivery or at that time. When it runs, a letter the recipient has opened gets no
reminder. SMS reminders keep Digipost's hours: sent only 09–20 in Norway, and one due outside them
at 09 the next morning. Two reminders of one notice due at the same moment send one message.

They are scheduled in the transaction that records the delivery (``deliver.publish``). A letter
delivered in the send request itself gets them from its notify job, which that request wrote together
with the delivery. Job keys make scheduling idempotent, event keys make sending idempotent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from postbud.channels.faults import Rejected
from postbud.channels.notify import (
    failed_notice,
    letter_link,
    notice_address,
    notice_key,
    notice_text,
    send_notice,
)
from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.record_event import record_events_for
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.repos.shipment_jobs import ShipmentJobRepository
from postbud.storage.unit_of_work import SqlUnitOfWork

LOCAL_ZONE: Final = ZoneInfo("Europe/Oslo")
SMS_HOURS: Final = (time(9), time(20))
"""Digipost sends SMS notices only from 09 until 20, Norwegian time."""
HORIZON: Final = timedelta(days=3660)
"""Reminders further off than this are not kept (and would overflow a date)."""
# A letter in these states has left the inbox: nothing to remind of.
_GONE: Final = frozenset({ShipmentStatus.CANCELLED, ShipmentStatus.EXPIRED})


@dataclass(frozen=True, slots=True)
class Reminder:
    index: int
    """The notice (``Shipment.notifications[index]``) it repeats."""
    label: str
    """``after-24h`` or ``at-20261123T080000Z``: which of the sender's times asked for it."""
    run_at: datetime

    def job_key(self, shipment_id: uuid.UUID) -> str:
        return f"reminder:{shipment_id}:{self.index}:{self.label}"

    @property
    def event_key(self) -> str:
        return reminder_event_key(self.index, self.label)


def reminder_event_key(index: int, label: str) -> str:
    return f"{notice_key(index)}:reminder:{label}"


def in_sms_hours(moment: datetime) -> datetime:
    """``moment`` if it falls from 09 until 20 in Norway, else the next 09 there."""
    local = moment.astimezone(LOCAL_ZONE)
    starts, ends = SMS_HOURS
    if starts <= local.time() < ends:
        return moment
    day = local.date() if local.time() < starts else local.date() + timedelta(days=1)
    return datetime.combine(day, starts, LOCAL_ZONE).astimezone(UTC)


def _aware(moment: datetime) -> datetime:
    # A listed time without an offset is a Norwegian wall-clock time.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_ZONE)


def plan_reminders(shipment: Shipment, delivered_at: datetime) -> list[Reminder]:
    """The reminders of a letter delivered at ``delivered_at``, each notice's in time order.

    ``after-hours`` 0 and times not after the delivery are left out: the first notice covers them.
    """
    planned: list[Reminder] = []
    for index, request in enumerate(shipment.notifications):
        due: dict[str, datetime] = {}
        for hours in sorted(set(request.after_hours)):
            if 0 < hours <= HORIZON.total_seconds() // 3600:
                due[f"after-{hours}h"] = delivered_at + timedelta(hours=hours)
        for at in sorted({_aware(t) for t in request.at}):
            if delivered_at < at <= delivered_at + HORIZON:
                due[f"at-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}"] = at
        taken: set[datetime] = set()
        for label, moment in sorted(due.items(), key=lambda item: item[1]):
            run_at = in_sms_hours(moment) if request.channel is Channel.SMS else moment
            if run_at not in taken:
                taken.add(run_at)
                planned.append(Reminder(index, label, run_at))
    return planned


async def schedule_reminders(
    uow: SqlUnitOfWork, shipment: Shipment, delivered_at: datetime, *, now: datetime
) -> int:
    """Queue the letter's reminder jobs in ``uow``'s transaction; those already queued stay as they are."""
    planned = {r.job_key(shipment.id): r for r in plan_reminders(shipment, delivered_at)}
    if not planned:
        return 0
    queued = await ShipmentJobRepository(uow.conn).by_keys(planned)
    added = 0
    for key, reminder in planned.items():
        if key in queued:
            continue
        await uow.jobs.enqueue(
            job_kinds.REMIND,
            {"shipment_id": str(shipment.id), "notice": reminder.index, "reminder": reminder.label},
            now=now,
            run_at=reminder.run_at,
            idempotency_key=key,
        )
        added += 1
    return added


async def schedule_after_delivery(shipment_id: uuid.UUID, runtime: Runtime) -> int:
    """For a letter delivered in its send request: queue its reminders, if it asked for any."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or not any(n.at or n.after_hours for n in shipment.notifications):
            return 0
        events = await uow.events.for_shipment(shipment_id)
        keys = reminder_keys(shipment, events)
        if len(await ShipmentJobRepository(uow.conn).by_keys(keys)) == len(keys):
            return 0  # none asked for, or all queued already (by ``deliver.publish``, or a run before)
    delivered = next(e.at for e in events if e.type is EventType.DELIVERED)
    async with runtime.unit_of_work() as uow:
        added = await schedule_reminders(uow, shipment, delivered, now=runtime.clock.now())
    if added:
        runtime.jobs_available()
    return added


def reminder_keys(shipment: Shipment, events: list[ShipmentEvent]) -> list[str]:
    """The job keys of the letter's reminders (none before it is delivered)."""
    delivered = next((e.at for e in events if e.type is EventType.DELIVERED), None)
    if delivered is None:
        return []
    return [r.job_key(shipment.id) for r in plan_reminders(shipment, delivered)]


async def send_reminder(shipment_id: uuid.UUID, index: int, label: str, runtime: Runtime) -> None:
    """The ``shipment.remind`` job: send notice ``index`` again, unless the letter was opened."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or index >= len(shipment.notifications):
            return
        events = await uow.events.for_shipment(shipment_id)
        recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
        sender = await uow.senders.get(shipment.sender_id)
    key = reminder_event_key(index, label)
    opened = any(e.type is EventType.OPENED for e in events)
    if opened or shipment.status in _GONE or any(e.dedup_key == key for e in events):
        return
    request = shipment.notifications[index]
    address = notice_address(request, shipment, recipient)
    link = letter_link(runtime.settings.resolved_public_url, shipment.id)
    subject, text = notice_text(shipment, sender.name if sender else "a sender", link, reminder=True)
    if request.subject:
        subject = f"Reminder: {request.subject}"
    try:
        data = await send_notice(
            runtime,
            request,
            address,
            subject,
            request.text or text,
            key=f"notice.{shipment.id}.{index}.{label}",
        )
    except Rejected as exc:
        draft = failed_notice(request, address, exc.reason, key, reminder=label)
    else:
        draft = EventDraft(EventType.NOTIFICATION_SENT, request.channel, {**data, "reminder": label}, key)
    await record_events_for(runtime, shipment_id, [draft])


async def give_up_reminder(
    shipment_id: uuid.UUID, index: int, label: str, runtime: Runtime, error: str
) -> None:
    """The reminder's last attempt failed: record it as a failed notice."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or index >= len(shipment.notifications):
            return
        recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
    request = shipment.notifications[index]
    address = notice_address(request, shipment, recipient)
    draft = failed_notice(request, address, error, reminder_event_key(index, label), reminder=label)
    await record_events_for(runtime, shipment_id, [draft])


__all__ = [
    "Reminder",
    "give_up_reminder",
    "in_sms_hours",
    "plan_reminders",
    "reminder_keys",
    "schedule_after_delivery",
    "schedule_reminders",
    "send_reminder",
]

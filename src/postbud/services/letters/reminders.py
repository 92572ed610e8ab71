"""Reminders: a letter's notice sent again later, as long as the letter stays unread.

A sender asks for them per notice, as Digipost's ``sms-notification`` (``at`` times and
``after-hours``) and ``email-notification`` (``at`` times) do. The first notice goes when the letter
reaches the mailbox (``services/letters/notify.py``); each listed time becomes a reminder job, due that many
hours after the delivery or at that time. When it runs, a letter the recipient has opened gets no
reminder. SMS reminders keep to the SMS hours of the sender's region (``Regional``: the deployment's,
09–20 Europe/Oslo by default, or the sender's own zone), and one due outside them goes at the next start.
Listed times without an offset are wall-clock times there. Two reminders of one notice due at the
same moment send one message. A letter's notice plan (``ChannelOptions.notice``) may ask for one
reminder after a delay, with its own texts and channel choice: it is planned as notice ``PLAN_NOTICE``.

They are scheduled in the transaction that records the delivery (``deliver.publish``). A letter
delivered in the send request itself gets them from its notify job, which that request wrote together
with the delivery. Job keys make scheduling idempotent, event keys make sending idempotent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import Rejected
from postbud.channels.letter_options import options_of
from postbud.channels.notify import (
    PLAN_KEY,
    failed_notice,
    letter_link,
    notice_address,
    notice_facts,
    notice_key,
    notice_text,
)
from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.notice_channels import channels_of
from postbud.domain.parties import Recipient
from postbud.domain.regional import NORWAY, Regional
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.notify import send_notice, send_planned_notice
from postbud.services.letters.record_event import record_events_for
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.unit_of_work import SqlUnitOfWork

LOCAL_ZONE: Final = NORWAY.zone
"""The default deployment's zone (a deployment sets its own: ``Settings.time_zone``)."""
SMS_HOURS: Final = (NORWAY.sms_from, NORWAY.sms_until)
"""The default SMS hours, Digipost's: 09 until 20."""
PLAN_NOTICE: Final = -1
"""The ``notice`` index of a notice plan's reminder (``Shipment.notifications`` indices are ≥ 0)."""
HORIZON: Final = timedelta(days=3660)
"""Reminders further off than this are not kept (and would overflow a date)."""
# A letter in these states has left the inbox: nothing to remind of.
_GONE: Final = frozenset({ShipmentStatus.CANCELLED, ShipmentStatus.EXPIRED, ShipmentStatus.PURGED})


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


def in_sms_hours(moment: datetime, region: Regional = NORWAY) -> datetime:
    """``moment`` if it falls inside the region's SMS hours, else their next start."""
    return region.in_sms_hours(moment)


def plan_reminders(shipment: Shipment, delivered_at: datetime, region: Regional = NORWAY) -> list[Reminder]:
    """The reminders of a letter delivered at ``delivered_at``, each notice's in time order.

    ``after-hours`` 0 and times not after the delivery are left out: the first notice covers them.
    ``region`` is the sender's (``Sender.regional``): its SMS hours, and the zone of times without offset.
    """
    planned: list[Reminder] = []
    plan = options_of(shipment).notice
    if plan is not None and plan.reminder is not None:
        plan_due = delivered_at + plan.reminder.after
        may_sms = Channel.SMS in channels_of(plan.reminder_choice)
        label = f"after-{int(plan.reminder.after.total_seconds())}s"
        planned.append(Reminder(PLAN_NOTICE, label, region.in_sms_hours(plan_due) if may_sms else plan_due))
    for index, request in enumerate(shipment.notifications):
        due: dict[str, datetime] = {}
        for hours in sorted(set(request.after_hours)):
            if 0 < hours <= HORIZON.total_seconds() // 3600:
                due[f"after-{hours}h"] = delivered_at + timedelta(hours=hours)
        for at in sorted({region.aware(t) for t in request.at}):
            if delivered_at < at <= delivered_at + HORIZON:
                due[f"at-{at.astimezone(UTC):%Y%m%dT%H%M%SZ}"] = at
        taken: set[datetime] = set()
        for label, moment in sorted(due.items(), key=lambda item: item[1]):
            run_at = region.in_sms_hours(moment) if request.channel is Channel.SMS else moment
            if run_at not in taken:
                taken.add(run_at)
                planned.append(Reminder(index, label, run_at))
    return planned


def asks_for_reminders(shipment: Shipment) -> bool:
    plan = options_of(shipment).notice
    return any(n.at or n.after_hours for n in shipment.notifications) or (
        plan is not None and plan.reminder is not None
    )


async def schedule_reminders(
    uow: SqlUnitOfWork,
    shipment: Shipment,
    delivered_at: datetime,
    *,
    now: datetime,
    deployment: Regional = NORWAY,
) -> int:
    """Queue the letter's reminder jobs in ``uow``'s transaction; those already queued stay as they are.

    ``deployment`` is the deployment's region (``Settings.regional()``); the sender's own zone wins.
    """
    if not asks_for_reminders(shipment):
        return 0
    sender = await uow.senders.get(shipment.sender_id)
    region = sender.regional(deployment) if sender else deployment
    planned = {r.job_key(shipment.id): r for r in plan_reminders(shipment, delivered_at, region)}
    if not planned:
        return 0
    queued = await uow.shipment_jobs.by_keys(planned)
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
        if shipment is None or not asks_for_reminders(shipment):
            return 0
        events = await uow.events.for_shipment(shipment_id)
        keys = reminder_keys(shipment, events)
        if len(await uow.shipment_jobs.by_keys(keys)) == len(keys):
            return 0  # none asked for, or all queued already (by ``deliver.publish``, or a run before)
    delivered = next(e.at for e in events if e.type is EventType.DELIVERED)
    async with runtime.unit_of_work() as uow:
        added = await schedule_reminders(
            uow, shipment, delivered, now=runtime.clock.now(), deployment=runtime.settings.regional()
        )
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
    if index == PLAN_NOTICE:
        await _send_plan_reminder(
            runtime, shipment, events, recipient, sender.name if sender else None, label
        )
        return
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


async def _send_plan_reminder(
    runtime: Runtime,
    shipment: Shipment,
    events: list[ShipmentEvent],
    recipient: Recipient | None,
    sender_name: str | None,
    label: str,
) -> None:
    plan = options_of(shipment).notice
    if plan is None or plan.reminder is None:
        return
    if any(e.type is EventType.OPENED for e in events) or shipment.status in _GONE:
        return
    done = {e.dedup_key for e in events}
    link = letter_link(runtime.settings.resolved_public_url, shipment.id)
    facts = notice_facts(shipment, sender_name or "a sender", recipient, link)
    drafts, deferred = await send_planned_notice(
        runtime,
        shipment,
        recipient,
        plan.reminder_choice,
        plan,
        plan.reminder.texts,
        facts,
        done,
        label=label,
    )
    await record_events_for(runtime, shipment.id, drafts)
    if deferred:
        raise DeliveryFailed("; ".join(deferred))


async def give_up_reminder(
    shipment_id: uuid.UUID, index: int, label: str, runtime: Runtime, error: str
) -> None:
    """The reminder's last attempt failed: record it as a failed notice."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or index >= len(shipment.notifications):
            return
        recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
    if index == PLAN_NOTICE:
        data = {"outcome": "failed", "error": error, "reminder": label}
        key = f"{PLAN_KEY}:reminder:{label}:failed"
        await record_events_for(
            runtime, shipment_id, [EventDraft(EventType.NOTIFICATION_FAILED, None, data, key)]
        )
        return
    request = shipment.notifications[index]
    address = notice_address(request, shipment, recipient)
    draft = failed_notice(request, address, error, reminder_event_key(index, label), reminder=label)
    await record_events_for(runtime, shipment_id, [draft])


__all__ = [
    "PLAN_NOTICE",
    "Reminder",
    "asks_for_reminders",
    "give_up_reminder",
    "in_sms_hours",
    "plan_reminders",
    "reminder_keys",
    "schedule_after_delivery",
    "schedule_reminders",
    "send_reminder",
]

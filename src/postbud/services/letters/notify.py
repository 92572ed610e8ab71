"""Use case for the ``shipment.notify`` job: tell the recipient by e-mail or SMS that a letter came.

Each notification request gets exactly one outcome event, NOTIFICATION_SENT or NOTIFICATION_FAILED,
keyed by its index. A refusal (bad address, no address) fails that request at once; a transient
error leaves it open and the job retries; when the job gives up, the open ones are failed.
Later reminders of a still unread letter (``services/letters/reminders.py``) reuse ``send_notice``.

A letter may instead carry a notice plan (``ChannelOptions.notice``, what Altinn asks for): the channels
come from the sender's choice and the recipient's contact details (``choose_notice_targets``), the words
from a template (``render_notice``). No address for the choice: one NOTIFICATION_FAILED event whose data
says ``outcome: missing_contact`` and ``code: no_contact``, for the dialect to show.

Each party a plan tells (the recipient, each of ``also_to``) is one *order*, as Altinn Notifications
has them: once its channels are known, NOTIFICATION_ORDERED is recorded (before its outcomes, so a
subscriber hears of the order first) and every outcome of it, the reminder's too, names it in
``data["order"]``. A party without contact details gets no order: the letter's one
NOTIFICATION_ORDER_FAILED says which could not be made.
"""

from __future__ import annotations

import uuid
from typing import Any

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import Rejected
from postbud.channels.letter_options import options_of
from postbud.channels.notify import (
    PLAN_KEY,
    Notifier,
    contact_details,
    failed_notice,
    letter_link,
    notice_address,
    notice_facts,
    notice_key,
    notice_text,
)
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound, RuleCode
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.notice_channels import (
    ContactDetails,
    NoticeChannelChoice,
    NoticeOutcome,
    choose_notice_targets,
)
from postbud.domain.notice_plan import NoticePlan
from postbud.domain.notice_templates import NoticeFacts, NoticeTexts, render_notice
from postbud.domain.parties import Recipient
from postbud.domain.shipments import NotificationRequest, Shipment
from postbud.domain.status import TERMINAL
from postbud.services.letters.record_event import record_events_for
from postbud.services.runtime import Runtime


async def send_notifications(shipment_id: uuid.UUID, runtime: Runtime) -> None:
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None:
            raise NotFound("shipment", shipment_id)
        recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
        sender = await uow.senders.get(shipment.sender_id)
        done = {e.dedup_key for e in await uow.events.for_shipment(shipment_id)}
    if shipment.status in TERMINAL:
        return
    link = letter_link(runtime.settings.resolved_public_url, shipment.id)
    subject, text = notice_text(shipment, sender.name if sender else "a sender", link)
    drafts: list[EventDraft] = []
    deferred: list[str] = []
    for index, request in enumerate(shipment.notifications):
        if notice_key(index) in done:
            continue
        address = notice_address(request, shipment, recipient)
        # The sender's own wording (Digipost lets senders set it) replaces the default.
        wording = (request.subject or subject, request.text or text)
        try:
            data = await send_notice(runtime, request, address, *wording, key=f"notice.{shipment.id}.{index}")
        except Rejected as exc:
            drafts.append(_failed(index, request, address, exc.reason))
        except DeliveryFailed as exc:
            deferred.append(f"notification {index} by {request.channel}: {exc.reason}")
        else:
            drafts.append(EventDraft(EventType.NOTIFICATION_SENT, request.channel, data, notice_key(index)))
    plan = options_of(shipment).notice
    if plan is not None:
        facts = notice_facts(shipment, sender.name if sender else "a sender", recipient, link)
        plan_drafts, plan_deferred = await send_planned_notice(
            runtime, shipment, recipient, plan.choice, plan, plan.texts, facts, done, label=None
        )
        drafts += plan_drafts
        deferred += plan_deferred
    await record_events_for(runtime, shipment_id, drafts)
    if deferred:
        raise DeliveryFailed("; ".join(deferred))


async def send_planned_notice(
    runtime: Runtime,
    shipment: Shipment,
    recipient: Recipient | None,
    choice: NoticeChannelChoice,
    plan: NoticePlan,
    texts: NoticeTexts,
    facts: NoticeFacts,
    done: set[str | None],
    *,
    label: str | None,
) -> tuple[list[EventDraft], list[str]]:
    """Send a plan's notice (or its reminder, with ``label``) by the channels ``choice`` finds, to
    the recipient's contact details (unless the plan says only others) and to each of ``also_to``.

    Returns the outcome events and the transient failures (left open for the job to retry).
    """
    base = PLAN_KEY if label is None else f"{PLAN_KEY}:reminder:{label}"
    extra: dict[str, Any] = {} if label is None else {"reminder": label}
    contacts: list[tuple[str, ContactDetails, dict[str, Any]]] = []
    if not plan.only_also_to:
        contacts.append((base, contact_details(shipment, recipient), {**extra, "order": PLAN_KEY}))
    for number, also in enumerate(plan.also_to):
        order = f"{PLAN_KEY}:also{number}"
        contacts.append((f"{base}:also{number}", also, {**extra, "also_to": number, "order": order}))
    drafts: list[EventDraft] = []
    deferred: list[str] = []
    for key_base, contact, data in contacts:
        more_drafts, more_deferred = await _notify(
            runtime, shipment, contact, choice, plan, texts, facts, done, key_base, data, label=label
        )
        drafts += more_drafts
        deferred += more_deferred
    if label is None:
        drafts += _orders_failed(drafts, done)
    return drafts, deferred


ORDER_FAILED_KEY = f"{PLAN_KEY}:order-failed"


def _ordered(choice: NoticeChannelChoice, data: dict[str, Any], done: set[str | None]) -> list[EventDraft]:
    """The order of one party's notices, made now unless it was in an earlier run."""
    key = f"{data['order']}:ordered"
    if key in done:
        return []
    ordered = {"order": data["order"], "choice": choice.value}
    if "also_to" in data:
        ordered["also_to"] = data["also_to"]
    return [EventDraft(EventType.NOTIFICATION_ORDERED, None, ordered, key)]


def _orders_failed(drafts: list[EventDraft], done: set[str | None]) -> list[EventDraft]:
    """One NOTIFICATION_ORDER_FAILED for the parties of this run that got no order (no contact)."""
    missing = [d for d in drafts if d.data.get("outcome") == NoticeOutcome.MISSING_CONTACT.value]
    if not missing or ORDER_FAILED_KEY in done:
        return []
    data = {
        "orders": [d.data["failed_order"] for d in missing],
        "code": RuleCode.NO_CONTACT.value,
        "error": str(missing[0].data.get("error") or "no contact details"),
    }
    return [EventDraft(EventType.NOTIFICATION_ORDER_FAILED, None, data, ORDER_FAILED_KEY)]


async def _notify(
    runtime: Runtime,
    shipment: Shipment,
    contact: ContactDetails,
    choice: NoticeChannelChoice,
    plan: NoticePlan,
    texts: NoticeTexts,
    facts: NoticeFacts,
    done: set[str | None],
    base: str,
    extra: dict[str, Any],
    *,
    label: str | None,
) -> tuple[list[EventDraft], list[str]]:
    routing = choose_notice_targets(choice, contact)
    if routing.missing_contact:
        if f"{base}:missing" in done:
            return [], []
        data = {
            "choice": choice.value,
            "outcome": NoticeOutcome.MISSING_CONTACT.value,
            "code": RuleCode.NO_CONTACT.value,
            "error": routing.reason,
            "failed_order": extra["order"],  # none was made
            **{name: value for name, value in extra.items() if name != "order"},
        }
        return [EventDraft(EventType.NOTIFICATION_FAILED, None, data, f"{base}:missing")], []
    rendered = render_notice(plan.template, plan.language, texts, facts, reminder=label is not None)
    drafts: list[EventDraft] = [] if label is not None else _ordered(choice, extra, done)
    deferred: list[str] = []
    for target in routing.targets:
        key = f"{base}:{target.channel.value}"
        if key in done:
            continue
        subject, text = rendered.for_channel(target.channel)
        outcome = {"choice": choice.value, "reason": routing.reason, **extra}
        try:
            data = await send_by(
                runtime, target.channel, target.address, subject, text, key=f"{key}.{shipment.id}"
            )
        except Rejected as exc:
            failed = {"channel": target.channel.value, "address": target.address, "error": exc.reason}
            failed |= {"outcome": NoticeOutcome.FAILED.value, **outcome}
            drafts.append(EventDraft(EventType.NOTIFICATION_FAILED, target.channel, failed, key))
        except DeliveryFailed as exc:
            deferred.append(f"notice by {target.channel}: {exc.reason}")
        else:
            sent = {**data, "outcome": NoticeOutcome.SENT.value, **outcome}
            drafts.append(EventDraft(EventType.NOTIFICATION_SENT, target.channel, sent, key))
    return drafts, deferred


async def give_up_notifications(shipment_id: uuid.UUID, runtime: Runtime, error: str) -> None:
    """The job's last attempt failed: every request still without an outcome failed."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None:
            return
        recipient = await uow.recipients.get(shipment.recipient_id) if shipment.recipient_id else None
    drafts = [
        _failed(i, request, notice_address(request, shipment, recipient), error)
        for i, request in enumerate(shipment.notifications)
    ]
    plan = options_of(shipment).notice
    if plan is not None:
        routing = choose_notice_targets(plan.choice, contact_details(shipment, recipient))
        data = {"outcome": NoticeOutcome.FAILED.value, "error": error, "order": PLAN_KEY}
        drafts += [
            EventDraft(
                EventType.NOTIFICATION_FAILED,
                t.channel,
                {"channel": t.channel.value, "address": t.address, **data},
                f"{PLAN_KEY}:{t.channel.value}",
            )
            for t in routing.targets
        ]
    await record_events_for(runtime, shipment_id, drafts)


async def send_notice(
    runtime: Runtime,
    request: NotificationRequest,
    address: str | None,
    subject: str,
    text: str,
    *,
    key: str,
) -> dict[str, Any]:
    """Send one notice by the request's channel; ``key`` makes a resend of the same notice a no-op."""
    return await send_by(runtime, request.channel, address, subject, text, key=key)


async def send_by(
    runtime: Runtime, channel: Channel, address: str | None, subject: str, text: str, *, key: str
) -> dict[str, Any]:
    """Send one notice by ``channel``; ``key`` makes a resend of the same notice a no-op."""
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise Rejected(f"notices go by e-mail or SMS, not {channel}")
    if not address:
        raise Rejected(f"no {channel} address for the recipient")
    notifier = runtime.channels.get(channel)
    if not isinstance(notifier, Notifier):
        raise Rejected(f"the {channel} channel cannot send notices in this deployment")
    return await notifier.send_notice(address, subject, text, key)


def _failed(index: int, request: NotificationRequest, address: str | None, reason: str) -> EventDraft:
    return failed_notice(request, address, reason, notice_key(index))

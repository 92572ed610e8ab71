"""Use case for the ``shipment.notify`` job: tell the recipient by e-mail or SMS that a letter came.

Each notification request gets exactly one outcome event, NOTIFICATION_SENT or NOTIFICATION_FAILED,
keyed by its index. A refusal (bad address, no address) fails that request at once; a transient
error leaves it open and the job retries; when the job gives up, the open ones are failed.
A notice for a SENSITIVE letter names neither the sender nor the subject. Every notice links to
the letter in the recipient's web inbox (which asks them to sign in first).

Later reminders of a still unread letter (``services/letters/reminders.py``) reuse ``send_notice``.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol, runtime_checkable

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import Rejected
from postbud.domain.channels import Channel
from postbud.domain.documents import Sensitivity
from postbud.domain.errors import NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.shipments import NotificationRequest, Shipment
from postbud.domain.status import TERMINAL
from postbud.services.letters.record_event import record_events_for
from postbud.services.runtime import Runtime

NOTIFY_JOB = "shipment.notify"
INBOX_LETTER_PATH = "/inbox/letters/{letter_id}"
"""Where the web inbox shows a letter (``web/inbox/paths.letter``); a test keeps the two in step."""


@runtime_checkable
class Notifier(Protocol):
    """A channel that can carry a short notice. Raises DeliveryFailed (retry) or Rejected."""

    async def send_notice(self, address: str, subject: str, text: str, key: str) -> dict[str, Any]: ...


def notice_key(index: int) -> str:
    return f"notification:{index}"


def letter_link(public_url: str, shipment_id: uuid.UUID) -> str:
    return public_url.rstrip("/") + INBOX_LETTER_PATH.format(letter_id=shipment_id)


def notice_text(
    shipment: Shipment, sender_name: str, link: str, *, reminder: bool = False
) -> tuple[str, str]:
    """Default subject and text of a notice; sensitive letters give nothing away."""
    if shipment.primary.sensitivity is Sensitivity.SENSITIVE:
        if reminder:
            return (
                "Reminder: unread letter in Postbud",
                f"Reminder: you have an unread letter in Postbud. Log in to read it: {link}",
            )
        return "New letter in Postbud", f"You have a new letter in Postbud. Log in to read it: {link}"
    if reminder:
        subject = f"Reminder: unread letter from {sender_name}"
        text = f"Reminder: you have an unread letter from {sender_name} in Postbud"
    else:
        subject = f"New letter from {sender_name}"
        text = f"You have a new letter from {sender_name} in Postbud"
    if shipment.subject:
        text += f": “{shipment.subject}”"
    return subject, f"{text}. Read it at {link}"


def notice_address(
    request: NotificationRequest, shipment: Shipment, recipient: Recipient | None
) -> str | None:
    if request.address:
        return request.address
    caps = recipient.capabilities if recipient else None
    if request.channel is Channel.EMAIL:
        return (caps.email if caps else None) or shipment.email_address
    return caps.mobile if caps and request.channel is Channel.SMS else None


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
    await record_events_for(runtime, shipment_id, drafts)
    if deferred:
        raise DeliveryFailed("; ".join(deferred))


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
    if request.channel not in (Channel.EMAIL, Channel.SMS):
        raise Rejected(f"notices go by e-mail or SMS, not {request.channel}")
    if not address:
        raise Rejected(f"no {request.channel} address for the recipient")
    notifier = runtime.channels.get(request.channel)
    if not isinstance(notifier, Notifier):
        raise Rejected(f"the {request.channel} channel cannot send notices in this deployment")
    return await notifier.send_notice(address, subject, text, key)


def failed_notice(
    request: NotificationRequest, address: str | None, reason: str, dedup_key: str, **data: Any
) -> EventDraft:
    details = {"channel": request.channel.value, "address": address, "error": reason, **data}
    return EventDraft(EventType.NOTIFICATION_FAILED, request.channel, details, dedup_key)


def _failed(index: int, request: NotificationRequest, address: str | None, reason: str) -> EventDraft:
    return failed_notice(request, address, reason, notice_key(index))

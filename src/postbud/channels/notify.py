"""Notices that a letter came, the channel side: which address, which words, which event keys.

A notice goes by a channel that can carry one (``Notifier``: e-mail, SMS). A notice for a SENSITIVE
letter names neither the sender nor the subject; every notice links to the letter in the recipient's
web inbox. A letter's notice plan (``ChannelOptions.notice``) names its words by template and the
recipient's contact details decide its channels (``notice_facts``, ``contact_details``).

The use cases that send notices and record their outcomes (the ``shipment.notify`` job, reminders)
are in ``services/letters/notify.py`` and ``services/letters/reminders.py``.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol, runtime_checkable

from postbud.channels.letter_options import options_of
from postbud.domain.channels import Channel
from postbud.domain.documents import Sensitivity
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.notice_channels import ContactDetails
from postbud.domain.notice_templates import NoticeFacts
from postbud.domain.parties import Recipient
from postbud.domain.shipments import NotificationRequest, Shipment

NOTIFY_JOB = "shipment.notify"
INBOX_LETTER_PATH = "/inbox/letters/{letter_id}"
"""Where the web inbox shows a letter (``web/inbox/paths.letter``); a test keeps the two in step."""


@runtime_checkable
class Notifier(Protocol):
    """A channel that can carry a short notice. Raises DeliveryFailed (retry) or Rejected."""

    async def send_notice(self, address: str, subject: str, text: str, key: str) -> dict[str, Any]: ...


def notice_key(index: int) -> str:
    return f"notification:{index}"


PLAN_KEY = "notice-plan"
"""Event keys of a notice plan's notices start with this (``notice-plan:email``, ``notice-plan:sms``)."""


def wants_notice(shipment: Shipment) -> bool:
    """Whether delivering the letter to an inbox should queue the ``shipment.notify`` job."""
    return bool(shipment.notifications) or options_of(shipment).notice is not None


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


def notice_facts(shipment: Shipment, sender_name: str, recipient: Recipient | None, link: str) -> NoticeFacts:
    """What a template may name; a sensitive letter's title is left out."""
    sensitive = shipment.primary.sensitivity is Sensitivity.SENSITIVE
    plan = options_of(shipment).notice
    return NoticeFacts(
        sender_name=sender_name,
        recipient_name=recipient.name if recipient else shipment.recipient_name,
        title=None if sensitive else shipment.subject,
        resource_name=plan.resource_name if plan else None,
        link=link,
    )


def contact_details(shipment: Shipment, recipient: Recipient | None) -> ContactDetails:
    caps = recipient.capabilities if recipient else None
    return ContactDetails(
        email=(caps.email if caps else None) or shipment.email_address, mobile=caps.mobile if caps else None
    )


def failed_notice(
    request: NotificationRequest, address: str | None, reason: str, dedup_key: str, **data: Any
) -> EventDraft:
    details = {"channel": request.channel.value, "address": address, "error": reason, **data}
    return EventDraft(EventType.NOTIFICATION_FAILED, request.channel, details, dedup_key)

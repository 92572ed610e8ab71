"""A correspondence's events as Altinn Events' CloudEvents (reference §8), for webhook subscriptions
in the ``cloudevents`` format: type ``no.altinn.correspondence.<name>``, the resource and the
correspondence as ``resource``/``resourceinstance``, and the subject party the table gives (the
sender for most, the recipient for published and the due-date events). No data, as Altinn sends none.

A notification order made (``notificationcreated``) is about the order: its ``resourceinstance`` is
the order's id, the ``notificationOrderId`` the correspondence's overview shows, and its ``source``
is ``…/correspondence/api/v1/notification``. A notice that could not be ordered (no contact details)
is ``correspondencenotificationcreationfailed``, once per correspondence, and no
``correspondencenotificationfailed`` besides: Altinn sends that only for an order that was made.

Events of other dialects' letters, and core events Altinn has no name for (routed, fetched, …), are
declined: the core's neutral CloudEvent is sent for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from postbud.dialects.altinn.recipients import ORGANISATION_URN, PERSON_URN, urn_of
from postbud.dialects.altinn.stored import record_of
from postbud.domain.attachments import AttachmentStatus
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.notice_channels import NoticeOutcome
from postbud.webhooks.cloudevents import cloud_event
from postbud.webhooks.formats import RenderContext
from postbud.webhooks.notices import AttachmentNotice, LetterNotice, Notice

PREFIX: Final = "no.altinn.correspondence."
SENDER, RECIPIENT = "sender", "recipient"
MISSING_CONTACT: Final = NoticeOutcome.MISSING_CONTACT.value
NAMES: Final[Mapping[EventType, tuple[str, str]]] = {
    EventType.CREATED: ("correspondenceinitialized", SENDER),
    EventType.DELIVERED: ("correspondencepublished", RECIPIENT),
    EventType.DELIVERY_FAILED: ("correspondencepublishfailed", SENDER),
    EventType.NOT_DELIVERED: ("correspondencepublishfailed", SENDER),
    EventType.OPENED: ("correspondencereceiverread", SENDER),
    EventType.CONFIRMED: ("correspondencereceiverconfirmed", SENDER),
    EventType.PURGED: ("correspondencepurged", SENDER),
    EventType.NEVER_READ: ("correspondencereceiverneverread", RECIPIENT),
    EventType.NEVER_CONFIRMED: ("correspondencereceiverneverconfirmed", RECIPIENT),
    EventType.NOTIFICATION_SENT: ("correspondencenotificationdelivered", SENDER),
    EventType.NOTIFICATION_FAILED: ("correspondencenotificationfailed", SENDER),
    EventType.NOTIFICATION_ORDERED: ("notificationcreated", SENDER),
    EventType.NOTIFICATION_ORDER_FAILED: ("correspondencenotificationcreationfailed", SENDER),
}


ATTACHMENT_NAMES: Final[Mapping[AttachmentStatus, str]] = {
    AttachmentStatus.INITIALIZED: "attachmentinitialized",
    AttachmentStatus.PUBLISHED: "attachmentpublished",
    AttachmentStatus.FAILED: "attachmentuploadfailed",
    AttachmentStatus.EXPIRED: "attachmentexpired",
}
"""The attachment steps Altinn emits events for (upload processing and purged: declared, never sent)."""


def _name(event: ShipmentEvent) -> tuple[str, str] | None:
    found = NAMES.get(event.type)
    if found and event.type is EventType.NOTIFICATION_SENT and "reminder" in event.data:
        return "correspondencenotificationreminderdelivered", SENDER
    if event.type is EventType.NOTIFICATION_FAILED and event.data.get("outcome") == MISSING_CONTACT:
        return None  # never ordered: the letter's NOTIFICATION_ORDER_FAILED tells it
    return found


def _alternative(urn: str) -> str | None:
    if urn.startswith(ORGANISATION_URN):
        return "/organisation/" + urn[len(ORGANISATION_URN) :]
    if urn.startswith(PERSON_URN):
        return "/person/" + urn[len(PERSON_URN) :]
    return None


def _attachment_event(notice: AttachmentNotice, context: RenderContext) -> Mapping[str, Any] | None:
    """An Altinn attachment's step, as §8 names those it emits (the sender is the subject)."""
    attachment = notice.attachment
    name = ATTACHMENT_NAMES.get(notice.event.status)
    resource_id = attachment.properties.get("resourceId")
    if attachment.dialect != "altinn" or name is None or not resource_id:
        return None
    organisation = notice.sender_organisation_number or ""
    return cloud_event(
        id=str(notice.event.id),
        source=f"{context.public_url.rstrip('/')}/correspondence/api/v1/attachment",
        type=PREFIX + name,
        time=notice.event.at,
        subject=ORGANISATION_URN + organisation,
        resource=f"urn:altinn:resource:{resource_id}",
        resourceinstance=str(attachment.id),
        alternativesubject=f"/organisation/{organisation}",
    )


def render(notice: Notice, context: RenderContext) -> Mapping[str, Any] | None:
    if isinstance(notice, AttachmentNotice):
        return _attachment_event(notice, context)
    if not isinstance(notice, LetterNotice):
        return None
    record = record_of(notice.shipment)
    named = _name(notice.event)
    if record is None or named is None:
        return None
    name, party = named
    subject = record.sender_urn if party == SENDER else urn_of(notice.shipment.recipient_party)
    ordered = notice.event.type is EventType.NOTIFICATION_ORDERED
    extensions = {
        "resource": f"urn:altinn:resource:{record.resource_id}",
        "resourceinstance": str(notice.event.id if ordered else notice.shipment.id),
    }
    alternative = _alternative(subject) if subject else None
    if alternative:
        extensions["alternativesubject"] = alternative
    about = "notification" if ordered else "correspondence"
    return cloud_event(
        id=str(notice.event.id),
        source=f"{context.public_url.rstrip('/')}/correspondence/api/v1/{about}",
        type=PREFIX + name,
        time=notice.event.at,
        subject=subject,
        **extensions,
    )

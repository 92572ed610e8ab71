"""The notices the core sent for a correspondence, as Altinn's notification models: the overview's
``[{notificationOrderId, isReminder}]`` and the details' ``NotificationExt`` (§3.8). Pure.

A notification is one order of the letter's notice plan (the core's NOTIFICATION_ORDERED: one per
party told) in one phase (the first notice, or a reminder), with its outcomes by e-mail and SMS; its
``notificationOrderId`` (overview) and ``id`` (details) are the order event's id, the
``resourceinstance`` of the ``notificationcreated`` event subscribers got. An outcome without an
order (a party without contact details, whose order could not be made; a letter sent before orders
were recorded) is a notification of its own, its event id its id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from postbud.dialects.altinn.notification import CHANNEL_NAMES
from postbud.dialects.altinn.stored import CorrespondenceRecord
from postbud.dialects.altinn.wire import time_out
from postbud.domain.channels import Channel
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import InvalidIdentifier, PartyIdKind, parse_party_id
from postbud.domain.notice_channels import NoticeChannelChoice, NoticeOutcome
from postbud.domain.shipments import Shipment

_NOTICES = frozenset({EventType.NOTIFICATION_SENT, EventType.NOTIFICATION_FAILED})


def notice_events(events: Iterable[ShipmentEvent]) -> list[ShipmentEvent]:
    """The letter's notice plan outcomes (Digipost-style notices carry no ``outcome``)."""
    return [e for e in events if e.type in _NOTICES and "outcome" in e.data]


@dataclass(frozen=True, slots=True)
class _Notification:
    """One order in one phase, with its outcomes (or one outcome that had no order)."""

    id: uuid.UUID
    created: datetime
    outcomes: list[ShipmentEvent]

    @property
    def is_reminder(self) -> bool:
        return "reminder" in self.outcomes[0].data


def _notifications(events: Iterable[ShipmentEvent]) -> list[_Notification]:
    listed = list(events)
    orders = {e.data.get("order"): e for e in listed if e.type is EventType.NOTIFICATION_ORDERED}
    found: dict[tuple[str, str | None] | uuid.UUID, _Notification] = {}
    for event in notice_events(listed):
        order = orders.get(event.data.get("order"))
        if order is None:
            found[event.id] = _Notification(event.id, event.at, [event])
            continue
        phase = (str(order.data["order"]), event.data.get("reminder"))
        if phase in found:
            found[phase].outcomes.append(event)
        else:
            found[phase] = _Notification(order.id, order.at, [event])
    return list(found.values())


def summaries(events: Iterable[ShipmentEvent]) -> list[dict[str, Any]]:
    return [{"notificationOrderId": str(n.id), "isReminder": n.is_reminder} for n in _notifications(events)]


def _recipient(shipment: Shipment, event: ShipmentEvent) -> dict[str, Any]:
    organisation = person = None
    try:
        party = parse_party_id(shipment.recipient_party or "", allow_synthetic=True)
        organisation = party.value if party.kind is PartyIdKind.NO_ORGANISATION else None
        person = party.value if party.kind is PartyIdKind.NO_PERSON else None
    except InvalidIdentifier:
        pass
    if "also_to" in event.data:  # a custom recipient: told at its own address
        organisation = person = None
    address = event.data.get("address")
    return {
        "emailAddress": address if event.channel is Channel.EMAIL else None,
        "mobileNumber": address if event.channel is Channel.SMS else None,
        "organizationNumber": organisation,
        "nationalIdentityNumber": person,
        "isReserved": None,
    }


def _send_status(event: ShipmentEvent) -> tuple[bool, str, str]:
    outcome = event.data.get("outcome")
    sms = event.channel is Channel.SMS
    if outcome == NoticeOutcome.SENT.value:
        return True, "SMS_Accepted" if sms else "Email_Succeeded", "The notification was sent"
    if outcome == NoticeOutcome.MISSING_CONTACT.value:
        return False, "Failed_RecipientNotIdentified", str(event.data.get("error") or "No contact details")
    return False, "SMS_Failed" if sms else "Email_Failed", str(event.data.get("error") or "Sending failed")


def _detail(shipment: Shipment, event: ShipmentEvent) -> dict[str, Any]:
    succeeded, status, description = _send_status(event)
    return {
        "id": str(event.id),
        "succeeded": succeeded,
        "recipient": _recipient(shipment, event),
        "sendStatus": {"status": status, "description": description, "lastUpdate": time_out(event.at)},
    }


def details(
    shipment: Shipment, record: CorrespondenceRecord, events: Iterable[ShipmentEvent]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for notification in _notifications(events):
        first = notification.outcomes[0]
        choice = first.data.get("choice")
        channel = CHANNEL_NAMES.get(NoticeChannelChoice(choice)) if choice else None
        smses = [_detail(shipment, e) for e in notification.outcomes if e.channel is Channel.SMS]
        emails = [_detail(shipment, e) for e in notification.outcomes if e.channel is not Channel.SMS]
        found.append(
            {
                "id": str(notification.id),
                "sendersReference": f"corr-{shipment.senders_reference or ''}",
                "creator": record.sender_urn.rsplit(":", 1)[-1],
                "created": time_out(notification.created),
                "isReminder": notification.is_reminder,
                "notificationChannel": channel,
                "ignoreReservation": record.ignore_reservation,
                "resourceId": record.resource_id,
                "processingStatus": {
                    "status": "Completed",
                    "description": "The order has been processed",
                    "lastUpdate": time_out(notification.outcomes[-1].at),
                },
                "notificationStatusDetails": {
                    "email": emails[0] if emails else None,
                    "sms": smses[0] if smses else None,
                    "emails": emails,
                    "smses": smses,
                },
            }
        )
    return found

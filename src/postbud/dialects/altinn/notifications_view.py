"""The notices the core sent for a correspondence, as Altinn's notification models: the overview's
``[{notificationOrderId, isReminder}]`` and the details' ``NotificationExt`` (§3.8). Pure.

Each notice outcome event of the letter (sent, failed, missing contact) is one notification; its
event id is the order id.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def summaries(events: Iterable[ShipmentEvent]) -> list[dict[str, Any]]:
    return [
        {"notificationOrderId": str(e.id), "isReminder": "reminder" in e.data} for e in notice_events(events)
    ]


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
    for event in notice_events(events):
        choice = event.data.get("choice")
        channel = CHANNEL_NAMES.get(NoticeChannelChoice(choice)) if choice else None
        detail = _detail(shipment, event)
        sms = event.channel is Channel.SMS
        found.append(
            {
                "id": str(event.id),
                "sendersReference": f"corr-{shipment.senders_reference or ''}",
                "creator": record.sender_urn.rsplit(":", 1)[-1],
                "created": time_out(event.at),
                "isReminder": "reminder" in event.data,
                "notificationChannel": channel,
                "ignoreReservation": record.ignore_reservation,
                "resourceId": record.resource_id,
                "processingStatus": {
                    "status": "Completed",
                    "description": "The order has been processed",
                    "lastUpdate": time_out(event.at),
                },
                "notificationStatusDetails": {
                    "email": None if sms else detail,
                    "sms": detail if sms else None,
                    "emails": [] if sms else [detail],
                    "smses": [detail] if sms else [],
                },
            }
        )
    return found

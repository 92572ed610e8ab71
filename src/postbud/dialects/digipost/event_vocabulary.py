"""Core events and channels in Digipost's words.

Which core event a Digipost client sees as which document event, with which metadata. Core events
without a Digipost counterpart (created, held, routed, sent_to_print, printed, not_delivered,
confirmed, notification_sent, payment_registered, data_added, sharing_stopped, cancelled, expired,
rejected, registration_requested, and delivered/delivery_failed by an inbox or SMS) are not
document events. A request for registration ends in REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST
(core: registered) or REQUEST_FOR_REGISTRATION_EXPIRED (registration_expired, with the fallback
channel, none when the letter is not delivered); REQUEST_FOR_REGISTRATION_FAILED
(registration_failed) says the request to register could not be sent by a channel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from postbud.domain.channels import Channel
from postbud.domain.events import EventType, ShipmentEvent

CHANNEL_NAME: Mapping[Channel, str] = MappingProxyType(
    {
        Channel.DIGITAL_MAILBOX: "DIGIPOST",
        Channel.BUSINESS_INBOX: "DIGIPOST",
        Channel.PRINT: "PRINT",
        Channel.EMAIL: "EPOST",
        Channel.EINVOICE: "PEPPOL",
    }
)
"""Digipost's `channel` for each core channel; SMS has none (Digipost does not carry letters by SMS)."""

PENDING = "PENDING"
"""The channel of a letter whose channel is not decided yet (v8 only)."""

# Postmarks are dates in the print house's country; Digipost reports them as a dateTime.
_POSTMARK_ZONE = ZoneInfo("Europe/Oslo")


def xml_time(moment: datetime) -> str:
    """An xs:dateTime with milliseconds, as both clients' formatters read it."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class Metadata:
    xsi_type: str
    attributes: dict[str, str]


@dataclass(frozen=True, slots=True)
class DigipostEvent:
    type: str
    metadata: Metadata | None = None


def _text(data: Mapping[str, Any], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if value:
            return str(value)
    return ""


def _error_code(data: Mapping[str, Any]) -> str:
    # The core keeps the reason as text; Digipost's codes for these failures are not public.
    return _text(data, "error_code", "error", "reason") or "UNKNOWN"


def _email_notification_failed(event: ShipmentEvent) -> Metadata:
    attributes = {"email-address": _text(event.data, "address"), "error-code": _error_code(event.data)}
    return Metadata("email-notification-failed-metadata", attributes)


def _sms_notification_failed(event: ShipmentEvent) -> Metadata:
    attributes = {"mobile-number": _text(event.data, "address"), "error-code": _error_code(event.data)}
    return Metadata("sms-notification-failed-metadata", attributes)


def _email_delivered(event: ShipmentEvent) -> Metadata:
    return Metadata("email-delivered-metadata", {"email-address": _text(event.data, "to", "address")})


def _failed_print(event: ShipmentEvent) -> Metadata:
    return Metadata("failed-print-metadata", {"error-code": _error_code(event.data)})


def _failed_peppol(event: ShipmentEvent) -> Metadata:
    return Metadata("failed-peppol-metadata", {"error-code": _error_code(event.data)})


def _postmarked(event: ShipmentEvent) -> Metadata:
    raw = event.data.get("postmarked")
    try:
        day = datetime.combine(date.fromisoformat(str(raw)), time(), _POSTMARK_ZONE)
    except ValueError:
        return Metadata("postmarked-metadata", {"postmarked-date": xml_time(event.at)})
    # Local midnight with its own offset, so the date part reads as the postmark's date.
    return Metadata("postmarked-metadata", {"postmarked-date": day.isoformat(timespec="milliseconds")})


def _registration_expired(event: ShipmentEvent) -> Metadata:
    fallback = _text(event.data, "fallback_channel")
    if fallback in {c.value for c in Channel}:  # the core's name; Digipost's own is kept
        fallback = CHANNEL_NAME.get(Channel(fallback), fallback.upper())
    return Metadata(
        "request-for-registration-expired-metadata", {"fallback-channel": fallback} if fallback else {}
    )


def _no_metadata(_: ShipmentEvent) -> Metadata | None:
    return None


@dataclass(frozen=True, slots=True)
class _Rule:
    core: EventType
    channels: frozenset[Channel] | None
    """The event counts only when it happened on one of these channels; None: on any."""
    name: str
    metadata: Callable[[ShipmentEvent], Metadata | None] = field(default=_no_metadata)
    since_version: int = 7


_RULES: tuple[_Rule, ...] = (
    _Rule(EventType.OPENED, None, "OPENED"),
    _Rule(
        EventType.NOTIFICATION_FAILED,
        frozenset({Channel.EMAIL}),
        "EMAIL_NOTIFICATION_FAILED",
        _email_notification_failed,
    ),
    _Rule(
        EventType.NOTIFICATION_FAILED,
        frozenset({Channel.SMS}),
        "SMS_NOTIFICATION_FAILED",
        _sms_notification_failed,
    ),
    _Rule(EventType.DELIVERED, frozenset({Channel.EMAIL}), "EMAIL_MESSAGE_SENT", _email_delivered),
    _Rule(EventType.DELIVERY_FAILED, frozenset({Channel.EMAIL}), "EMAIL_MESSAGE_FAILED"),
    _Rule(EventType.DELIVERED, frozenset({Channel.EINVOICE}), "PEPPOL_DELIVERED"),
    _Rule(EventType.DELIVERY_FAILED, frozenset({Channel.EINVOICE}), "PEPPOL_FAILED", _failed_peppol),
    _Rule(EventType.POSTED, None, "POSTMARKED", _postmarked),
    _Rule(EventType.PRINT_FAILED, None, "PRINT_FAILED", _failed_print),
    _Rule(EventType.DOCUMENTS_SHARED, None, "SHARE_DOCUMENTS_REQUEST_DOCUMENTS_SHARED", since_version=8),
    _Rule(EventType.SHARING_WITHDRAWN, None, "SHARE_DOCUMENTS_REQUEST_SHARING_WITHDRAWN", since_version=8),
    _Rule(
        EventType.REGISTRATION_EXPIRED,
        None,
        "REQUEST_FOR_REGISTRATION_EXPIRED",
        _registration_expired,
        since_version=8,
    ),
    _Rule(EventType.REGISTERED, None, "REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST", since_version=8),
    _Rule(EventType.REGISTRATION_FAILED, None, "REQUEST_FOR_REGISTRATION_FAILED", since_version=8),
)


def _rules(version: int) -> list[_Rule]:
    return [rule for rule in _RULES if version >= rule.since_version]


def event_kinds(version: int) -> list[tuple[str, list[str] | None]]:
    """The (core type, channels) pairs that are document events in this API version, for the query."""
    return [
        (rule.core.value, None if rule.channels is None else sorted(c.value for c in rule.channels))
        for rule in _rules(version)
    ]


def digipost_event(event: ShipmentEvent, version: int) -> DigipostEvent | None:
    """The Digipost document event ``event`` is, or None if Digipost has no such event."""
    for rule in _rules(version):
        if rule.core is event.type and (rule.channels is None or event.channel in rule.channels):
            return DigipostEvent(rule.name, rule.metadata(event))
    return None

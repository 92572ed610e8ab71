"""A notification's custom recipients (§3.5, §7): others told besides the correspondence's recipient
(or instead of it, with ``overrideRegisteredContactInformation``), each by an e-mail address, a
mobile number, or an organisation or person whose registered contact details are used. The
deprecated ``customRecipient`` and ``customNotificationRecipients`` (its first list) are read as
``customRecipients``. The checks in the real service's order: 3022, 3017, 3019, 3018, 3015, 3011,
3012; then the core's notice plan carries them (``NoticePlan.also_to``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import phonenumbers

from postbud.dialects.altinn.errors import AltinnError, error
from postbud.dialects.altinn.initialize_in import Notification
from postbud.dialects.altinn.wire import lower_keys
from postbud.domain.identifiers import InvalidIdentifier, parse_party_id
from postbud.domain.notice_channels import ContactDetails
from postbud.services.runtime import Runtime

RECIPIENT_NAME: Final = "$recipientName$"
_TEXTS: Final = (
    "emailsubject",
    "emailbody",
    "smsbody",
    "reminderemailsubject",
    "reminderemailbody",
    "remindersmsbody",
)
# Altinn's check: one "@", something on each side, a dot in the domain, no spaces and no ";".
_EMAIL: Final = re.compile(r"^[^@\s;]+@[^@\s;]+\.[^@\s;]+$")


@dataclass(frozen=True, slots=True)
class CustomRecipient:
    email: str | None = None
    mobile: str | None = None
    organisation: str | None = None
    person: str | None = None

    @property
    def identifiers(self) -> int:
        return sum(v is not None for v in (self.email, self.mobile, self.organisation, self.person))


def _text(item: Mapping[str, Any], name: str) -> str | None:
    value = item.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _recipient(raw: object) -> CustomRecipient:
    item = lower_keys(raw) if isinstance(raw, Mapping) else {}
    return CustomRecipient(
        email=_text(item, "emailaddress"),
        mobile=_text(item, "mobilenumber"),
        organisation=_text(item, "organizationnumber"),
        person=_text(item, "nationalidentitynumber"),
    )


def custom_recipients(notification: Notification | None) -> list[CustomRecipient]:
    if notification is None:
        return []
    raw = notification.raw
    items = raw.get("customrecipients")
    if not items and isinstance(raw.get("customrecipient"), Mapping):
        items = [raw["customrecipient"]]
    if not items and isinstance(raw.get("customnotificationrecipients"), list):
        first = next(iter(raw["customnotificationrecipients"]), None)
        items = lower_keys(first).get("recipients") if isinstance(first, Mapping) else None
    return [_recipient(i) for i in items] if isinstance(items, list) else []


def overrides(notification: Notification | None) -> bool:
    return notification is not None and notification.raw.get("overrideregisteredcontactinformation") is True


def _valid_mobile(number: str) -> bool:
    if not (number.startswith("+") or number.startswith("00")):
        return False
    try:
        parsed = phonenumbers.parse("+" + number[2:] if number.startswith("00") else number)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed)


def check_custom_recipients(notification: Notification | None, recipients: int) -> AltinnError | None:
    if notification is None:
        return None
    found = custom_recipients(notification)
    if overrides(notification) and not found:
        return error(3022)
    if not found:
        return None
    if recipients > 1:
        return error(3017)
    for item in found:
        if item.identifiers == 0:
            return error(3019)
        if item.identifiers > 1:
            return error(3018)
    texts = [t for name in _TEXTS if isinstance(t := notification.raw.get(name), str)]
    if any(i.email or i.mobile for i in found) and any(RECIPIENT_NAME in t for t in texts):
        return error(3015)
    for item in found:
        if item.email is not None and not _EMAIL.match(item.email):
            return error(3011)
        if item.mobile is not None and not _valid_mobile(item.mobile):
            return error(3012)
    return None


async def custom_contacts(runtime: Runtime, notification: Notification | None) -> tuple[ContactDetails, ...]:
    """Each custom recipient's address: its own, or its party's registered e-mail and mobile."""
    contacts: list[ContactDetails] = []
    for item in custom_recipients(notification):
        if item.email or item.mobile:
            mobile = "+" + item.mobile[2:] if item.mobile and item.mobile.startswith("00") else item.mobile
            contacts.append(ContactDetails(email=item.email, mobile=mobile))
            continue
        contacts.append(await _registered(runtime, item.organisation or item.person or ""))
    return tuple(contacts)


async def _registered(runtime: Runtime, number: str) -> ContactDetails:
    try:
        party = parse_party_id(number)
    except InvalidIdentifier:
        return ContactDetails()
    async with runtime.reader() as uow:
        found = await uow.recipients.by_party_id(party)
    if found is None or found.capabilities.reserved:
        return ContactDetails()
    return ContactDetails(email=found.capabilities.email, mobile=found.capabilities.mobile)

"""An SMS mailing: one text, from one sender name, to many phone numbers (up to 100,000).

Pure: the rules a mailing must keep, the statuses of the mailing and of each of its recipients,
and how its numbers are cut into the batches its delivery jobs send. The numbers are normalised to
E.164 here; a national number (without a country code) is read as the sender's region's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

import phonenumbers

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed

MAX_RECIPIENTS: Final = 100_000
MAX_TEXT_CHARS: Final = 1600
"""Ten concatenated SMS of 160 GSM characters; a longer text is refused, not cut."""
MAX_ALPHANUMERIC_NAME: Final = 11
"""An alphanumeric sender id has at most 11 characters on every network."""
MAX_NUMERIC_NAME: Final = 15
"""A numeric sender id is a phone number: at most 15 characters, a leading + counted."""
BATCH_SIZE: Final = 500
"""Recipients one delivery job sends: a 100,000-number mailing is 200 jobs, none holding it all."""
_NUMERIC_NAME = re.compile(r"\+?[0-9]{1,15}")

# Field names of the core's errors, which a dialect maps onto its own codes.
FIELD_TEXT: Final = "text"
FIELD_SENDER_NAME: Final = "sender_name"
FIELD_RECIPIENTS: Final = "recipients"


class MailingStatus(StrEnum):
    SENDING = "sending"
    """Accepted and stored; its recipients are being sent to."""
    COMPLETED = "completed"
    """Every recipient is sent or failed."""


class RecipientStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    """Handed to the SMS gateway (or captured by the sandbox)."""
    FAILED = "failed"
    """Refused for good (the gateway said no, or the sandbox's fault injection)."""


class MailingEventType(StrEnum):
    CREATED = "created"
    SENT = "sent"
    FAILED = "failed"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class SmsMailingRequest:
    """What a sender asks for, before any rule is checked."""

    sender_name: str | None
    text: str
    numbers: Sequence[object]
    region: str
    """The country whose national numbers these are (``SE``, ``NO``)."""


@dataclass(frozen=True, slots=True)
class SmsMailingPlan:
    sender_name: str
    text: str
    numbers: list[str]
    """E.164, each once, in the order first given."""


@dataclass(frozen=True, slots=True)
class SmsMailing:
    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    sender_name: str
    text: str
    recipient_count: int
    status: MailingStatus
    created_at: datetime
    status_changed_at: datetime


@dataclass(frozen=True, slots=True)
class MailingRecipient:
    position: int
    phone: str
    status: RecipientStatus
    status_at: datetime
    sms_sha256: str | None = None
    detail: Mapping[str, object] = field(default_factory=dict)
    """The gateway's id, or why the SMS failed."""


@dataclass(frozen=True, slots=True)
class RecipientOutcome:
    """What sending one recipient's SMS came to, as the delivery job records it."""

    position: int
    status: RecipientStatus
    sms_sha256: str | None
    detail: Mapping[str, object]


def recipient_field(index: int) -> str:
    return f"{FIELD_RECIPIENTS}[{index}]"


def _sender_name(value: str | None) -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationFailed.of(FIELD_SENDER_NAME, "the SMS needs a sender name", RuleCode.REQUIRED)
    if _NUMERIC_NAME.fullmatch(name):
        if len(name) > MAX_NUMERIC_NAME:
            rule = f"a numeric sender name has at most {MAX_NUMERIC_NAME} characters, not {len(name)}"
            raise ValidationFailed.of(FIELD_SENDER_NAME, rule, RuleCode.TOO_LONG)
        return name
    if len(name) > MAX_ALPHANUMERIC_NAME:
        raise ValidationFailed.of(
            FIELD_SENDER_NAME,
            f"an alphanumeric sender name has at most {MAX_ALPHANUMERIC_NAME} characters, not {len(name)}",
            RuleCode.TOO_LONG,
        )
    return name


def _text(text: str) -> str:
    if not text.strip():
        raise ValidationFailed.of(FIELD_TEXT, "the SMS text is empty", RuleCode.EMPTY)
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationFailed.of(
            FIELD_TEXT,
            f"an SMS text has at most {MAX_TEXT_CHARS} characters, not {len(text)}",
            RuleCode.TOO_LONG,
        )
    return text


def mobile_number(raw: object, index: int, region: str) -> str:
    """One recipient in E.164; a number that cannot take an SMS (a landline) is refused. The number
    is parsed once: a mailing has up to 100,000 of them."""
    field = recipient_field(index)
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise ValidationFailed(FieldError(field, "must be a phone number as a string", RuleCode.WRONG_FORMAT))
    try:
        parsed = phonenumbers.parse(str(raw).strip(), region)
    except phonenumbers.NumberParseException:
        rule = f"{raw!s}: cannot be read as a phone number"
        raise ValidationFailed(FieldError(field, rule, RuleCode.WRONG_FORMAT)) from None
    kind = phonenumbers.number_type(parsed)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        rule = f"{raw!s}: is not a valid number in its country's numbering plan"
        raise ValidationFailed(FieldError(field, rule, RuleCode.WRONG_FORMAT))
    if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
        rule = f"{raw!s}: a landline number cannot take an SMS"
        raise ValidationFailed(FieldError(field, rule, RuleCode.WRONG_FORMAT))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def plan_mailing(request: SmsMailingRequest) -> SmsMailingPlan:
    """Check every rule; the first broken one is raised as ``ValidationFailed`` naming its field."""
    text = _text(request.text)
    sender_name = _sender_name(request.sender_name)
    if not request.numbers:
        raise ValidationFailed.of(FIELD_RECIPIENTS, "the SMS has no recipients", RuleCode.REQUIRED)
    if len(request.numbers) > MAX_RECIPIENTS:
        rule = f"{len(request.numbers)} recipients; at most {MAX_RECIPIENTS}"
        raise ValidationFailed.of(FIELD_RECIPIENTS, rule, RuleCode.TOO_MANY)
    seen: dict[object, str] = {}
    numbers: dict[str, None] = {}
    for index, raw in enumerate(request.numbers):
        key = (type(raw), raw) if isinstance(raw, str | int) else None
        number = seen.get(key) if key is not None else None
        if number is None:
            number = mobile_number(raw, index, request.region)
            if key is not None:
                seen[key] = number
        numbers[number] = None
    return SmsMailingPlan(sender_name, text, list(numbers))


def batches(count: int, size: int = BATCH_SIZE) -> Iterator[tuple[int, int]]:
    """``[start, end)`` positions of each delivery job's recipients."""
    for start in range(0, count, size):
        yield start, min(start + size, count)

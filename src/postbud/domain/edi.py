"""EDI senders and their invitations to connect with a receiver of EDI invoices.

A customer registers the company that sends EDI invoices (an EDI sender). When it names the
receiver's GLN, an invitation goes to that receiver, who answers it: the connection approved or
denied, or more information asked for; an invitation nobody answers gets a reminder and expires.

Postbud has no EDI operator behind it: its sandbox plays the receiver, on the business clock, so
a test can move an invitation along with ``postbud clock advance``. Which answer a receiver gives
is decided by its GLN (``sandbox_outcome``), the way payment sandboxes use test card numbers.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
from postbud.domain.identifiers import InvalidIdentifier
from postbud.domain.identifiers.contact import e164_phone, email_address
from postbud.domain.identifiers.giro import bankgiro, plusgiro
from postbud.domain.identifiers.international import gln, iban
from postbud.domain.identifiers.norway import organisasjonsnummer
from postbud.domain.identifiers.sweden import swedish_orgnr

MAX_TEXT: Final = 255
_COUNTRY = re.compile(r"[A-Z]{2}")
_BIC = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")


class InvitationStatus(StrEnum):
    REGISTERED = "registered"
    SENT = "sent"
    RECEIVED = "received"
    ANSWERED = "answered"
    CONNECTION_APPROVED = "connection_approved"
    CONNECTION_DENIED = "connection_denied"
    REMINDER_SENT = "reminder_sent"
    INSUFFICIENT_INFORMATION = "insufficient_information"
    UNKNOWN = "unknown"
    """The operator cannot tell; Postbud's sandbox never gives it."""
    EXPIRED = "expired"


FINAL: Final = frozenset(
    {
        InvitationStatus.CONNECTION_APPROVED,
        InvitationStatus.CONNECTION_DENIED,
        InvitationStatus.INSUFFICIENT_INFORMATION,
        InvitationStatus.EXPIRED,
    }
)


class Outcome(StrEnum):
    """How the sandbox's receiver answers an invitation."""

    APPROVE = "approve"
    DENY = "deny"
    NO_ANSWER = "no_answer"
    INSUFFICIENT = "insufficient"


@dataclass(frozen=True, slots=True)
class EdiSenderDetails:
    """The company that sends EDI invoices, under the core's names."""

    name: str
    cin: str
    """Its organisation number (Swedish or Norwegian)."""
    gln: str | None = None
    """The GLN of the receiver to invite."""
    address1: str | None = None
    address2: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country_code: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    vat: str | None = None
    bankgiro: str | None = None
    plusgiro: str | None = None
    iban: str | None = None
    bic: str | None = None

    def extras(self) -> dict[str, str]:
        """Every detail besides name, cin and gln that is given, for storing."""
        return {
            f.name: value
            for f in fields(self)
            if f.name not in {"name", "cin", "gln"} and isinstance(value := getattr(self, f.name), str)
        }

    @property
    def can_be_paid(self) -> bool:
        return bool(self.bankgiro or self.plusgiro or self.iban)


@dataclass(frozen=True, slots=True)
class EdiSender:
    id: uuid.UUID
    sender_id: uuid.UUID
    """The customer who registered it."""
    details: EdiSenderDetails
    created_at: datetime


@dataclass(frozen=True, slots=True)
class EdiInvitation:
    id: uuid.UUID
    sender_id: uuid.UUID
    edi_sender_id: uuid.UUID
    receiver_cin: str | None
    receiver_gln: str | None
    status: InvitationStatus
    date_sent: datetime | None
    status_changed_at: datetime
    created_at: datetime


def _organisation_number(value: str) -> str:
    digits = value.replace("-", "").replace(" ", "")
    return organisasjonsnummer(digits) if len(digits) == 9 else swedish_orgnr(digits)


def _checked(field: str, value: str | None, check: object) -> str | None:
    if value is None or not value.strip():
        return None
    assert callable(check)
    try:
        return str(check(value.strip()))
    except InvalidIdentifier as exc:
        raise ValidationFailed(FieldError(field, f"{value}: {exc.rule}", RuleCode.WRONG_FORMAT)) from None


def _pattern(pattern: re.Pattern[str], rule: str) -> object:
    def check(value: str) -> str:
        if not pattern.fullmatch(value.upper()):
            raise InvalidIdentifier("value", value, rule)
        return value.upper()

    return check


def validate_sender(details: EdiSenderDetails) -> EdiSenderDetails:
    """The details with every identifier normalised; the first broken rule as ``ValidationFailed``."""
    if not details.name.strip():
        raise ValidationFailed.of("name", "the sender's company name is required", RuleCode.REQUIRED)
    for f in fields(details):
        value = getattr(details, f.name)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise ValidationFailed.of(f.name, f"at most {MAX_TEXT} characters", RuleCode.TOO_LONG)
    if not details.cin.strip():
        raise ValidationFailed.of("cin", "the sender's organisation number is required", RuleCode.REQUIRED)
    cin = _checked("cin", details.cin, _organisation_number)
    assert cin is not None
    return EdiSenderDetails(
        name=details.name.strip(),
        cin=cin,
        gln=_checked("gln", details.gln, gln),
        address1=details.address1,
        address2=details.address2,
        zip_code=details.zip_code,
        city=details.city,
        country_code=_checked("country_code", details.country_code, _pattern(_COUNTRY, "ISO 3166-1 alpha-2")),
        contact_name=details.contact_name,
        phone=_checked("phone", details.phone, lambda v: e164_phone(v, default_region="SE")),
        email=_checked("email", details.email, email_address),
        vat=details.vat,
        bankgiro=_checked("bankgiro", details.bankgiro, bankgiro),
        plusgiro=_checked("plusgiro", details.plusgiro, plusgiro),
        iban=_checked("iban", details.iban, iban),
        bic=_checked("bic", details.bic, _pattern(_BIC, "a BIC has 8 or 11 letters and digits")),
    )


def sandbox_outcome(receiver_gln: str | None, sender_can_be_paid: bool) -> Outcome:
    """The sandbox receiver's answer: a sender without a payment account is asked for more
    information; otherwise the GLN's last digit before its check digit decides: 7 denies, 8 never
    answers, 9 asks for more information, any other approves."""
    if not sender_can_be_paid:
        return Outcome.INSUFFICIENT
    digit = receiver_gln[-2] if receiver_gln and len(receiver_gln) == 13 else "0"
    return {"7": Outcome.DENY, "8": Outcome.NO_ANSWER, "9": Outcome.INSUFFICIENT}.get(digit, Outcome.APPROVE)


@dataclass(frozen=True, slots=True)
class Step:
    status: InvitationStatus
    after: timedelta
    """Business time after the invitation reached its current status."""


_ANSWERS: Final = {
    Outcome.APPROVE: InvitationStatus.CONNECTION_APPROVED,
    Outcome.DENY: InvitationStatus.CONNECTION_DENIED,
    Outcome.INSUFFICIENT: InvitationStatus.INSUFFICIENT_INFORMATION,
}
SENT_AFTER: Final = timedelta()
RECEIVED_AFTER: Final = timedelta(hours=1)
ANSWERED_AFTER: Final = timedelta(days=1)
DECIDED_AFTER: Final = timedelta(hours=1)
REMINDER_AFTER: Final = timedelta(days=7)
EXPIRED_AFTER: Final = timedelta(days=23)
"""After the reminder: thirty days after the invitation was received, it expires."""


def next_step(current: InvitationStatus, outcome: Outcome) -> Step | None:
    """What the sandbox's operator does next to an invitation, and when; None when it is final."""
    if current is InvitationStatus.REGISTERED:
        return Step(InvitationStatus.SENT, SENT_AFTER)
    if current is InvitationStatus.SENT:
        return Step(InvitationStatus.RECEIVED, RECEIVED_AFTER)
    if current is InvitationStatus.RECEIVED:
        if outcome is Outcome.NO_ANSWER:
            return Step(InvitationStatus.REMINDER_SENT, REMINDER_AFTER)
        return Step(InvitationStatus.ANSWERED, ANSWERED_AFTER)
    if current is InvitationStatus.ANSWERED:
        return Step(_ANSWERS[outcome], DECIDED_AFTER)
    if current is InvitationStatus.REMINDER_SENT:
        return Step(InvitationStatus.EXPIRED, EXPIRED_AFTER)
    return None

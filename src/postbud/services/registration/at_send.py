"""Request for registration, at send time: a letter that waits for its recipient to get a mailbox.

A letter to a person without a digital mailbox may carry a registration request. It is then
accepted without a channel (status ``scheduled``), and two jobs are written with it: one asks the
person to register (``registration_request.py``), one wakes at the deadline
(``registration_outcome.py``). Getting a mailbox before then delivers it digitally; otherwise it
is printed by its print instructions, or not delivered.
"""

from __future__ import annotations

from datetime import datetime

from postbud.domain.errors import FieldError, RuleCode
from postbud.domain.identifiers import (
    InvalidIdentifier,
    PartyId,
    e164_phone,
    email_address,
    parse_party_id,
)
from postbud.domain.parties import PERSON_KINDS, Recipient
from postbud.domain.shipments import RegistrationRequest, Shipment
from postbud.domain.status import ShipmentStatus
from postbud.storage import job_kinds
from postbud.storage.repos.jobs import enqueue_into
from postbud.storage.repos.parties import RecipientRepository
from postbud.storage.writeset import WriteSet


def request_key(shipment: Shipment) -> str:
    return f"registration-request:{shipment.id}"


def deadline_key(shipment: Shipment) -> str:
    return f"registration-deadline:{shipment.id}"


def registration_errors(
    registration: RegistrationRequest | None, recipient: PartyId | None, now: datetime
) -> list[FieldError]:
    """What is wrong with a registration request (nothing without one)."""
    if registration is None:
        return []
    errors: list[FieldError] = []
    if recipient is None or recipient.kind not in PERSON_KINDS:
        errors.append(
            FieldError(
                "registration", "needs a recipient identified by national identity number", RuleCode.INVALID
            )
        )
    if registration.deadline.tzinfo is None:
        errors.append(FieldError("registration.deadline", "needs a UTC offset", RuleCode.WRONG_FORMAT))
    elif registration.deadline <= now:
        errors.append(FieldError("registration.deadline", "must be in the future", RuleCode.IN_PAST))
    for name, value, check in (
        ("registration.mobile", registration.mobile, e164_phone),
        ("registration.email", registration.email, email_address),
    ):
        if value is not None:
            try:
                check(value)
            except InvalidIdentifier as exc:
                errors.append(FieldError(name, exc.rule, RuleCode.WRONG_FORMAT))
    return errors


def awaits_registration(shipment: Shipment) -> bool:
    """Still waiting: no channel chosen, and neither registered, expired nor cancelled."""
    return (
        shipment.registration is not None
        and shipment.channel is None
        and shipment.status is ShipmentStatus.SCHEDULED
    )


async def recipient_of(recipients: RecipientRepository, shipment: Shipment) -> Recipient | None:
    """The person the letter is for, as now registered: possibly unknown when it was sent."""
    if shipment.recipient_id is not None:
        return await recipients.get(shipment.recipient_id)
    if shipment.recipient_party is None:
        return None
    try:
        party = parse_party_id(shipment.recipient_party, allow_synthetic=True)
    except InvalidIdentifier:
        return None
    return await recipients.by_party_id(party)


def enqueue_registration_jobs(ws: WriteSet, shipment: Shipment, *, now: datetime) -> None:
    """In the send's own write: ask the person now, and decide at the deadline."""
    assert shipment.registration is not None
    payload = {"shipment_id": str(shipment.id)}
    enqueue_into(ws, job_kinds.REGISTRATION_REQUEST, payload, now=now, idempotency_key=request_key(shipment))
    enqueue_into(
        ws,
        job_kinds.REGISTRATION_DEADLINE,
        payload,
        now=now,
        run_at=shipment.registration.deadline,
        idempotency_key=deadline_key(shipment),
    )

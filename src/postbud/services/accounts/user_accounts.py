"""Use case: a sender creates or activates a person's digital mailbox (Digipost's user accounts).

A person already known keeps what is known of them (name, postal address) and gets a mailbox with
the given mobile number and e-mail address; a new person is registered under a placeholder name,
since the request carries none. Letters waiting for this person to register are delivered now.
"""

from __future__ import annotations

from dataclasses import dataclass

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
from postbud.domain.identifiers import (
    InvalidIdentifier,
    PartyId,
    PartyIdKind,
    e164_phone,
    email_address,
    fodselsnummer,
)
from postbud.domain.parties import Recipient
from postbud.domain.recipient_keys import RecipientKey
from postbud.services.inbox.recipient_keys import encryption_key_for
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.runtime import Runtime

NEW_PERSON_NAME = "Ny Digipost-bruker"


@dataclass(frozen=True, slots=True)
class UserAccount:
    recipient: Recipient
    encryption_key: RecipientKey


def _checked(personal_id: str, phone: str, email: str) -> tuple[str, str, str]:
    errors: list[FieldError] = []
    checked: list[str] = []
    for field, value, check in (
        ("national-identity-number", personal_id, lambda v: fodselsnummer(v, allow_synthetic=True)),
        ("phone-number", phone, e164_phone),
        ("email-address", email, email_address),
    ):
        try:
            checked.append(check(value))
        except (InvalidIdentifier, ValueError) as exc:
            errors.append(FieldError(field, str(exc), RuleCode.INVALID))
    if errors:
        raise ValidationFailed(errors)
    return checked[0], checked[1], checked[2]


async def create_or_activate(runtime: Runtime, personal_id: str, phone: str, email: str) -> UserAccount:
    person, mobile, mail = _checked(personal_id, phone, email)
    async with runtime.reader() as uow:
        known = await uow.recipients.by_party_id(PartyId(PartyIdKind.NO_PERSON, person))
    address = country = None
    if known is not None and (postal := known.capabilities.postal_address) is not None:
        address = "|".join([*postal.lines, postal.postal_code, postal.city])
        country = postal.country or None
    registered = await register_recipient(
        RecipientInput(
            id=person,
            name=known.name if known is not None else NEW_PERSON_NAME,
            mailbox=True,
            reserved=known.capabilities.reserved if known is not None else False,
            email=mail,
            mobile=mobile,
            address=address,
            mailbox_address=known.capabilities.mailbox_address if known is not None else None,
            business_inbox=known.capabilities.business_inbox if known is not None else False,
            kivra=known.capabilities.kivra if known is not None else False,
            country=country,
        ),
        runtime,
    )
    key = await encryption_key_for(runtime, registered.recipient.id)
    return UserAccount(registered.recipient, key)

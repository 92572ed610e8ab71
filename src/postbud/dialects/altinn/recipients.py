"""Recipients as Altinn writes them (reference §3.1): the accepted forms, the national id check, and
the lower-case URN each is normalised to; and the core's party id for each."""

from __future__ import annotations

import re
from dataclasses import dataclass

from postbud.domain.identifiers import InvalidIdentifier, PartyId, PartyIdKind, fodselsnummer, parse_party_id

ORGANISATION_URN = "urn:altinn:organization:identifier-no:"
PERSON_URN = "urn:altinn:person:identifier-no:"
IDPORTEN_EMAIL_URN = "urn:altinn:person:idporten-email:"
SELF_IDENTIFIED_URN = "urn:altinn:person:legacy-selfidentified:"

_ORGANISATION = re.compile(r"(?:0192:|urn:altinn:organization:identifier-no:)(\d{9})", re.IGNORECASE)
_PERSON = re.compile(r"(?:urn:altinn:person:identifier-no:)?(\d{11})", re.IGNORECASE)

NOT_A_RECIPIENT = (
    "Recipient should be an organization number in the format '0192:orgnumber' or "
    "'urn:altinn:organization:identifier-no:orgnumber', or a national identity number"
)
BAD_NATIONAL_ID = "The given Recipient national identity number is not valid"


class RecipientInvalid(ValueError):
    """The recipient's form is not one Altinn accepts; the message is the real service's."""


@dataclass(frozen=True, slots=True)
class AltinnRecipient:
    urn: str
    """As the service writes it back: ``urn:altinn:organization:identifier-no:123456789``."""
    party: PartyId | None
    """The core's party; None for the e-mail and self-identified forms, which Postbud cannot reach."""


def parse_recipient(raw: str) -> AltinnRecipient:
    text = raw.strip()
    organisation = _ORGANISATION.fullmatch(text)
    if organisation:
        number = organisation[1]
        return AltinnRecipient(ORGANISATION_URN + number, PartyId(PartyIdKind.NO_ORGANISATION, number))
    person = _PERSON.fullmatch(text)
    if person:
        try:
            number = fodselsnummer(person[1], allow_synthetic=True)
        except InvalidIdentifier:
            raise RecipientInvalid(BAD_NATIONAL_ID) from None
        return AltinnRecipient(PERSON_URN + number, PartyId(PartyIdKind.NO_PERSON, number))
    lowered = text.lower()
    for prefix in (IDPORTEN_EMAIL_URN, SELF_IDENTIFIED_URN):
        if lowered.startswith(prefix):
            rest = text[len(prefix) :]
            valid = rest and ":" not in rest
            if prefix == IDPORTEN_EMAIL_URN:
                valid = valid and rest.count("@") == 1 and not rest.startswith("@") and not rest.endswith("@")
            if valid:
                return AltinnRecipient(prefix + rest.lower(), None)
    raise RecipientInvalid(NOT_A_RECIPIENT)


def urn_of(party: str | None) -> str | None:
    """The Altinn URN of a letter's recipient as the core records it (``str(PartyId)``)."""
    if party is None:
        return None
    try:
        parsed = parse_party_id(party, allow_synthetic=True)
    except InvalidIdentifier:
        return party
    if parsed.kind is PartyIdKind.NO_ORGANISATION:
        return ORGANISATION_URN + parsed.value
    if parsed.kind is PartyIdKind.NO_PERSON:
        return PERSON_URN + parsed.value
    return party

"""Party identifiers: recognise a raw sender or recipient id and normalise it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import assert_never

from postbud.domain.identifiers._digits import is_digits
from postbud.domain.identifiers.contact import email_address
from postbud.domain.identifiers.errors import InvalidIdentifier
from postbud.domain.identifiers.international import gln
from postbud.domain.identifiers.norway import fodselsnummer, organisasjonsnummer
from postbud.domain.identifiers.sweden import swedish_orgnr, swedish_personnummer


class PartyIdKind(StrEnum):
    """What a party identifier names; the value is also its prefix in ``str(PartyId)``."""

    NO_PERSON = "no-person"
    NO_ORGANISATION = "no-org"
    SE_PERSON = "se-person"
    SE_ORGANISATION = "se-org"
    GLN = "gln"
    PEPPOL = "peppol"
    DIGIPOST_ADDRESS = "digipost"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class PartyId:
    """A recognised, normalised party identifier; ``str()`` gives a form ``parse_party_id`` reads back."""

    kind: PartyIdKind
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


_KIND = "party identifier"
_PEPPOL = "Peppol participant id"
_DIGIPOST = "Digipost address"

_SWEDISH_PREFIX = "se:"
_ALTINN_ORGANISATION = "urn:altinn:organization:identifier-no:"
_ALTINN_PERSON = "urn:altinn:person:identifier-no:"
_PEPPOL_SCHEME = "iso6523-actorid-upis::"
_NORWEGIAN_ORGANISATION_ICD = "0192"

_ICD_AND_VALUE = re.compile(r"(?P<icd>[0-9]{4}):(?P<value>\S+)")
_DIGIPOST_ADDRESS = re.compile(r"[\w.\-]+#[0-9A-Za-z]{4,6}")
_SWEDISH_SEPARATED = re.compile(r"[0-9]{6}(?:[0-9]{2})?[-+][0-9]{4}")
_PEPPOL_VALUE_CHECKS: dict[str, Callable[[str], str]] = {
    "0192": organisasjonsnummer,
    "0007": swedish_orgnr,
    "0088": gln,
}
_BY_DIGIT_COUNT = {
    11: PartyIdKind.NO_PERSON,
    9: PartyIdKind.NO_ORGANISATION,
    12: PartyIdKind.SE_PERSON,
    13: PartyIdKind.GLN,
}


@lru_cache(maxsize=16384)  # the same people get letter after letter; a PartyId is immutable
def parse_party_id(raw: str, *, allow_synthetic: bool = False) -> PartyId:
    """Recognise ``raw`` as one of the party identifier forms, validate it and normalise it.

    ``allow_synthetic`` is passed on to :func:`fodselsnummer`.
    """
    text = raw.strip()
    lowered = text.lower()
    for kind in PartyIdKind:
        if lowered.startswith(f"{kind}:"):
            return _parse_as(kind, text[len(kind) + 1 :], allow_synthetic=allow_synthetic)
    if lowered.startswith(_SWEDISH_PREFIX):
        return _swedish(text[len(_SWEDISH_PREFIX) :])
    if lowered.startswith(_ALTINN_ORGANISATION):
        return _parse_as(PartyIdKind.NO_ORGANISATION, text[len(_ALTINN_ORGANISATION) :])
    if lowered.startswith(_ALTINN_PERSON):
        value = text[len(_ALTINN_PERSON) :]
        return _parse_as(PartyIdKind.NO_PERSON, value, allow_synthetic=allow_synthetic)
    if lowered.startswith(_PEPPOL_SCHEME):
        return _parse_as(PartyIdKind.PEPPOL, text)
    if "@" in text:
        return _parse_as(PartyIdKind.EMAIL, text)
    if _DIGIPOST_ADDRESS.fullmatch(text):
        return _parse_as(PartyIdKind.DIGIPOST_ADDRESS, text)
    icd = _ICD_AND_VALUE.fullmatch(text)
    if icd is not None:
        if icd["icd"] == _NORWEGIAN_ORGANISATION_ICD:
            return _parse_as(PartyIdKind.NO_ORGANISATION, icd["value"])
        return _parse_as(PartyIdKind.PEPPOL, text)
    if _SWEDISH_SEPARATED.fullmatch(text):
        return _swedish(text)
    digits = "".join(text.split()).replace(".", "")
    if is_digits(digits):
        if len(digits) in _BY_DIGIT_COUNT:
            return _parse_as(_BY_DIGIT_COUNT[len(digits)], text, allow_synthetic=allow_synthetic)
        if len(digits) == 10:
            raise InvalidIdentifier(
                _KIND, raw, "10 digits may be Swedish: write YYMMDD-NNNN or prefix 'se:' to say so"
            )
    raise InvalidIdentifier(
        _KIND,
        raw,
        "not a recognised form (9, 11, 12 or 13 digits, YYMMDD-NNNN, ICD:value, name#CODE, "
        "an e-mail address, or a prefix such as 'no-person:')",
    )


def _parse_as(kind: PartyIdKind, value: str, *, allow_synthetic: bool = False) -> PartyId:
    match kind:
        case PartyIdKind.NO_PERSON:
            normalised = fodselsnummer(value, allow_synthetic=allow_synthetic)
        case PartyIdKind.NO_ORGANISATION:
            normalised = organisasjonsnummer(value)
        case PartyIdKind.SE_PERSON:
            normalised = swedish_personnummer(value)
        case PartyIdKind.SE_ORGANISATION:
            normalised = swedish_orgnr(value)
        case PartyIdKind.GLN:
            normalised = gln(value)
        case PartyIdKind.PEPPOL:
            normalised = _peppol(value)
        case PartyIdKind.DIGIPOST_ADDRESS:
            normalised = _digipost_address(value)
        case PartyIdKind.EMAIL:
            normalised = email_address(value)
        case _:
            assert_never(kind)
    return PartyId(kind, normalised)


def _swedish(value: str) -> PartyId:
    """A Swedish personnummer, else an organisationsnummer if its third digit (a month) is 2 or more."""
    try:
        return _parse_as(PartyIdKind.SE_PERSON, value)
    except InvalidIdentifier as not_a_person:
        number = "".join(value.split()).replace("-", "")
        if len(number) == 10 and is_digits(number) and number[2] >= "2":
            return _parse_as(PartyIdKind.SE_ORGANISATION, value)
        raise not_a_person


def _peppol(value: str) -> str:
    text = value.strip()
    if text.lower().startswith(_PEPPOL_SCHEME):
        text = text[len(_PEPPOL_SCHEME) :]
    match = _ICD_AND_VALUE.fullmatch(text)
    if match is None:
        raise InvalidIdentifier(_PEPPOL, value, "must be a 4-digit ICD scheme, ':' and the identifier")
    icd, identifier = match["icd"], match["value"]
    check = _PEPPOL_VALUE_CHECKS.get(icd)
    # Peppol participant identifiers are case-insensitive; lower case is the canonical SMP form.
    return f"{icd}:{check(identifier) if check else identifier.lower()}"


def _digipost_address(value: str) -> str:
    text = value.strip()
    if not _DIGIPOST_ADDRESS.fullmatch(text):
        raise InvalidIdentifier(_DIGIPOST, value, "must be a name, '#' and a 4–6 character code")
    return text

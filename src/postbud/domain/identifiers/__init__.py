"""Validation, normalisation and generation of Nordic and international identifiers (no I/O)."""

from __future__ import annotations

from postbud.domain.identifiers.contact import e164_phone, email_address
from postbud.domain.identifiers.errors import InvalidIdentifier
from postbud.domain.identifiers.giro import bankgiro, ocr_reference, plusgiro
from postbud.domain.identifiers.international import gln, iban
from postbud.domain.identifiers.kid import kid, kid_mod10, kid_mod11
from postbud.domain.identifiers.norway import fodselsnummer, norwegian_account, organisasjonsnummer
from postbud.domain.identifiers.party import PartyId, PartyIdKind, parse_party_id
from postbud.domain.identifiers.sweden import swedish_orgnr, swedish_personnummer
from postbud.domain.identifiers.synthetic import (
    generate_fodselsnummer,
    generate_kid,
    generate_norwegian_account,
    generate_organisasjonsnummer,
    generate_swedish_orgnr,
    generate_swedish_personnummer,
)

__all__ = [
    "InvalidIdentifier",
    "PartyId",
    "PartyIdKind",
    "bankgiro",
    "e164_phone",
    "email_address",
    "fodselsnummer",
    "generate_fodselsnummer",
    "generate_kid",
    "generate_norwegian_account",
    "generate_organisasjonsnummer",
    "generate_swedish_orgnr",
    "generate_swedish_personnummer",
    "gln",
    "iban",
    "kid",
    "kid_mod10",
    "kid_mod11",
    "norwegian_account",
    "ocr_reference",
    "organisasjonsnummer",
    "parse_party_id",
    "plusgiro",
    "swedish_orgnr",
    "swedish_personnummer",
]

"""`residence` (a dwelling and its cadastre id) and `boligdetaljer` (details about a residence)."""

from __future__ import annotations

from typing import Annotated, ClassVar, TypeAlias

from pydantic import StringConstraints

from .common import (
    DataTypeBase,
    DatatypeModel,
    Int64,
    Language,
    NonNegativeInt32,
    String10,
    String20,
    String50,
    String75,
    String100,
    ZonedDateTime,
)
from .external_link import ExternalLink

UnitNumber: TypeAlias = Annotated[str, StringConstraints(max_length=5, pattern=r"^[UKHL][0-9]{4}$")]
"""Norwegian bruksenhetsnummer, e.g. ``H0101``."""
ShortNumber: TypeAlias = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,4}$")]
Digits: TypeAlias = Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]


class ResidenceAddress(DatatypeModel):
    unit_number: UnitNumber | None = None
    house_number: String20 | None = None
    """Number with optional letter, e.g. ``11A``."""
    street_name: String100 | None = None
    postal_code: String10 | None = None
    city: String100 | None = None


class Matrikkel(DatatypeModel):
    """Cadastre identifier (kommune-, gårds-, bruks-, feste- and seksjonsnummer)."""

    kommunenummer: ShortNumber
    gaardsnummer: ShortNumber
    bruksnummer: Digits
    festenummer: Digits | None = None
    seksjonsnummer: Digits | None = None


class Residence(DataTypeBase):
    kind: ClassVar[str] = "residence"

    address: ResidenceAddress
    matrikkel: Matrikkel | None = None
    source: String50 | None = None
    external_id: String50 | None = None


class Hjemmelshaver(DatatypeModel):
    """A registered owner."""

    name: String75
    email: String50 | None = None


class Omsetningshistorikk(DatatypeModel):
    """One sale of the residence."""

    dato: ZonedDateTime
    beskrivelse: String50 | None = None
    selger: str | None = None
    kjoeper: str | None = None
    beloep: Int64 | None = None


class Heftelse(DatatypeModel):
    """An encumbrance (mortgage) on the residence."""

    panthaver: String100
    type_pant: str
    beloep: str
    """Free text in Digipost, not a number."""


class Boligdetaljer(DataTypeBase):
    kind: ClassVar[str] = "boligdetaljer"

    residence: Residence
    hjemmelshavere: tuple[Hjemmelshaver, ...] = ()
    bruksareal: NonNegativeInt32 | None = None
    antall_oppholdsrom: NonNegativeInt32 | None = None
    antall_baderom: NonNegativeInt32 | None = None
    omsetningshistorikk: tuple[Omsetningshistorikk, ...] = ()
    organisasjonsnummer: String20 | None = None
    bruksenhet: String10 | None = None
    andelsnummer: str | None = None
    heftelser: tuple[Heftelse, ...] = ()
    call_to_action: ExternalLink | None = None
    language: Language = Language.NB

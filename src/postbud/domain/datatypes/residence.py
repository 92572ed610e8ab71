"""`residence` (a dwelling and its cadastre id) and `boligdetaljer` (details about a residence)."""

from __future__ import annotations

from typing import Annotated, ClassVar, TypeAlias

from pydantic import Field, StringConstraints

from .common import (
    DataTypeBase,
    DigipostModel,
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


class ResidenceAddress(DigipostModel):
    unit_number: UnitNumber | None = Field(default=None, alias="unit-number")
    house_number: String20 | None = Field(default=None, alias="house-number")
    """Number with optional letter, e.g. ``11A``."""
    street_name: String100 | None = Field(default=None, alias="street-name")
    postal_code: String10 | None = Field(default=None, alias="postal-code")
    city: String100 | None = None


class Matrikkel(DigipostModel):
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
    external_id: String50 | None = Field(default=None, alias="external-id")


class Hjemmelshaver(DigipostModel):
    """A registered owner."""

    name: String75
    email: String50 | None = None


class Omsetningshistorikk(DigipostModel):
    """One sale of the residence."""

    dato: ZonedDateTime
    beskrivelse: String50 | None = None
    selger: str | None = None
    kjoeper: str | None = None
    beloep: Int64 | None = None


class Heftelse(DigipostModel):
    """An encumbrance (mortgage) on the residence."""

    panthaver: String100
    type_pant: str = Field(alias="type-pant")
    beloep: str
    """Free text in Digipost, not a number."""


class Boligdetaljer(DataTypeBase):
    kind: ClassVar[str] = "boligdetaljer"

    residence: Residence
    hjemmelshavere: tuple[Hjemmelshaver, ...] = ()
    bruksareal: NonNegativeInt32 | None = None
    antall_oppholdsrom: NonNegativeInt32 | None = Field(default=None, alias="antall-oppholdsrom")
    antall_baderom: NonNegativeInt32 | None = Field(default=None, alias="antall-baderom")
    omsetningshistorikk: tuple[Omsetningshistorikk, ...] = ()
    organisasjonsnummer: String20 | None = None
    bruksenhet: String10 | None = None
    andelsnummer: str | None = None
    heftelser: tuple[Heftelse, ...] = ()
    call_to_action: ExternalLink | None = Field(default=None, alias="callToAction")
    language: Language = Language.NB

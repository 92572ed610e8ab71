"""Physical mail: print addresses, print details, print-if-unread and request-for-registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeAlias

__all__ = [
    "ForeignAddress",
    "NondeliverableHandling",
    "NorwegianAddress",
    "PrintAddress",
    "PrintColors",
    "PrintDetails",
    "PrintIfUnread",
    "PrintInstruction",
    "PrintRecipient",
    "RequestForRegistration",
]


class PrintColors(StrEnum):
    MONOCHROME = "MONOCHROME"
    COLORS = "COLORS"


class NondeliverableHandling(StrEnum):
    SHRED = "SHRED"
    RETURN_TO_SENDER = "RETURN_TO_SENDER"


@dataclass(frozen=True, slots=True)
class NorwegianAddress:
    zip_code: str
    city: str
    addressline1: str | None = None
    addressline2: str | None = None
    addressline3: str | None = None


@dataclass(frozen=True, slots=True)
class ForeignAddress:
    """An address abroad: give ``country`` (a name) or ``country_code`` (ISO 3166-1 alpha-2)."""

    addressline1: str
    addressline2: str | None = None
    addressline3: str | None = None
    addressline4: str | None = None
    country: str | None = None
    country_code: str | None = None

    def __post_init__(self) -> None:
        if (self.country is None) == (self.country_code is None):
            raise ValueError("a foreign address has exactly one of country and country_code")


PrintAddress: TypeAlias = NorwegianAddress | ForeignAddress


@dataclass(frozen=True, slots=True)
class PrintRecipient:
    name: str
    address: PrintAddress


@dataclass(frozen=True, slots=True)
class PrintInstruction:
    """A key/value agreed with the print provider, e.g. ``returkonvolutt`` = ``true``."""

    key: str
    value: str


@dataclass(frozen=True, slots=True)
class PrintDetails:
    """How to print and post the letter: used for print fallback and for direct print."""

    recipient: PrintRecipient
    return_address: PrintRecipient
    color: PrintColors | None = None
    nondeliverable_handling: NondeliverableHandling | None = None
    print_instructions: tuple[PrintInstruction, ...] = ()


@dataclass(frozen=True, slots=True)
class PrintIfUnread:
    """Deliver digitally, and print if still unread at ``print_if_unread_after``."""

    print_if_unread_after: datetime
    print_details: PrintDetails


@dataclass(frozen=True, slots=True)
class RequestForRegistration:
    """Ask a non-user to register before ``registration_deadline``; print (if given) otherwise."""

    registration_deadline: datetime
    phone_number: str | None = None
    email_address: str | None = None
    print_details: PrintDetails | None = None

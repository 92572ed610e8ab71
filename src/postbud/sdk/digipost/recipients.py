"""Who a message goes to or who to identify: the ``message-recipient`` / ``identification`` choices."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TypeAlias

__all__ = [
    "BankAccountNumber",
    "DigipostAddress",
    "EmailRecipient",
    "IdentificationTarget",
    "NameAndAddress",
    "OrganisationNumber",
    "PeppolAddress",
    "PeppolAddresses",
    "PersonalIdentificationNumber",
    "RecipientIdentifier",
]


def _require_digits(value: str, length: int, what: str) -> None:
    if re.fullmatch(rf"[0-9]{{{length}}}", value) is None:
        raise ValueError(f"a {what} is {length} digits, not {value!r}")


@dataclass(frozen=True, slots=True)
class PersonalIdentificationNumber:
    """Fødselsnummer or D-nummer (11 digits)."""

    value: str

    def __post_init__(self) -> None:
        _require_digits(self.value, 11, "personal identification number")


@dataclass(frozen=True, slots=True)
class OrganisationNumber:
    """Norwegian organisation number (9 digits)."""

    value: str

    def __post_init__(self) -> None:
        _require_digits(self.value, 9, "organisation number")


@dataclass(frozen=True, slots=True)
class DigipostAddress:
    """A Digipost address such as ``ola.nordmann#1234``."""

    value: str

    def __post_init__(self) -> None:
        if not self.value.strip():
            raise ValueError("a Digipost address must not be blank")


@dataclass(frozen=True, slots=True)
class BankAccountNumber:
    """Bank account number (11 digits); sending to one needs a special permission."""

    value: str

    def __post_init__(self) -> None:
        _require_digits(self.value, 11, "bank account number")


@dataclass(frozen=True, slots=True)
class NameAndAddress:
    """A person found by name and postal address."""

    fullname: str
    addressline1: str
    postalcode: str
    city: str
    addressline2: str | None = None
    birth_date: date | None = None
    phone_number: str | None = None
    email_address: str | None = None


@dataclass(frozen=True, slots=True)
class EmailRecipient:
    """Delivery by e-mail (``email-details``): one to fifty addresses."""

    addresses: tuple[str, ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.addresses) <= 50:
            raise ValueError("an e-mail recipient has between 1 and 50 addresses")


@dataclass(frozen=True, slots=True)
class PeppolAddress:
    """A Peppol participant: ISO 6523 scheme (``0192`` for a Norwegian organisation) and endpoint."""

    scheme_id: str
    endpoint_id: str

    @classmethod
    def parse(cls, value: str) -> PeppolAddress:
        """``"0192:123456789"``: the scheme is the first four characters, the endpoint follows the ``:``."""
        scheme, separator, endpoint = value.partition(":")
        if not separator:
            raise ValueError(f"a Peppol address is 'scheme:endpoint', not {value!r}")
        return cls(scheme, endpoint)

    def __post_init__(self) -> None:
        _require_digits(self.scheme_id, 4, "Peppol scheme id")
        if not self.endpoint_id.strip():
            raise ValueError("a Peppol endpoint id must not be blank")


@dataclass(frozen=True, slots=True)
class PeppolAddresses:
    """Delivery through Peppol (``peppol-addresses``): the content must be XML, e.g. an EHF invoice."""

    receiver: PeppolAddress
    sender: PeppolAddress


RecipientIdentifier: TypeAlias = (
    PersonalIdentificationNumber
    | OrganisationNumber
    | DigipostAddress
    | NameAndAddress
    | BankAccountNumber
    | EmailRecipient
    | PeppolAddresses
)
IdentificationTarget: TypeAlias = (
    PersonalIdentificationNumber | OrganisationNumber | DigipostAddress | NameAndAddress | BankAccountNumber
)

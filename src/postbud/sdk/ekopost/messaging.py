"""SMS mailings and EDI (invoice integration): what is sent, and the EDI invitations read back.

The seed names these calls' fields but not their paths or answers; the paths are listed in
docs/sdk/ekopost.md, and answers the seed does not describe are returned as parsed JSON.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .wire import as_object, read_int, read_text, without_nones

__all__ = ["EdiInvitation", "EdiSender", "SmsMailing"]


@dataclass(frozen=True, kw_only=True)
class SmsMailing:
    """An SMS to up to 100,000 phone numbers; the text goes base64 encoded as ``text/plain``."""

    text: str
    from_name: str
    recipients: Sequence[str]

    def to_wire(self) -> dict[str, Any]:
        return {
            "mime": "text/plain",
            "data": base64.b64encode(self.text.encode("utf-8")).decode("ascii"),
            "FromName": self.from_name,
            "recipients": list(self.recipients),
        }


@dataclass(frozen=True, kw_only=True)
class EdiSender:
    """A sender of EDI invoices, with the seed's PascalCase-with-underscores keys."""

    name: str
    address1: str | None = None
    address2: str | None = None
    zip_code: str | None = None
    city: str | None = None
    country_code: str | None = None
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    cin: str | None = None
    """The sender's organisation number."""
    gln: str | None = None
    vat: str | None = None
    bank_giro: str | None = None
    plus_giro: str | None = None
    iban: str | None = None
    bic: str | None = None

    def to_wire(self) -> dict[str, Any]:
        return without_nones(
            {
                "Name": self.name,
                "Address1": self.address1,
                "Address2": self.address2,
                "Zip_Code": self.zip_code,
                "City": self.city,
                "Country_Code": self.country_code,
                "Contact_Name": self.contact_name,
                "Phone": self.phone,
                "Email": self.email,
                "CIN": self.cin,
                "GLN": self.gln,
                "VAT": self.vat,
                "Bank_Giro": self.bank_giro,
                "Plus_Giro": self.plus_giro,
                "IBAN": self.iban,
                "BIC": self.bic,
            }
        )


@dataclass(frozen=True, kw_only=True)
class EdiInvitation:
    receiver_cin: str | None
    receiver_gln: str | None
    date_sent: str | None
    status: int | None
    """One of :class:`~postbud.sdk.ekopost.values.EdiInvitationStatus` (1001–1010)."""

    @classmethod
    def from_wire(cls, wire: object) -> EdiInvitation:
        data = as_object(wire, "an EDI invitation")
        return cls(
            receiver_cin=read_text(data.get("ReceiverCin")),
            receiver_gln=read_text(data.get("ReceiverGln")),
            date_sent=read_text(data.get("DateSent")),
            status=read_int(data.get("Status")),
        )

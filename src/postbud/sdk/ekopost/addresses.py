"""One class per address object of the seed; ``to_wire()`` writes ``$type`` first, as Ekopost
requires, and :func:`address_from_wire` reads one back wherever ``$type`` stands.

Fields are the seed's names. A field left ``None`` is not sent. Keys the SDK does not know are kept
in ``extra`` (read) and written after the known ones (sent), so a newer service's fields survive a
round trip. An envelope whose address is ``None`` is postal, with the address read from the document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from .errors import UnexpectedResponseError
from .values import DocumentType, EinvoiceFormat, IdentifierType, KivraType, PaymentType, ReferenceType
from .wire import read_bool

__all__ = [
    "Address",
    "EbankAddress",
    "EinboxAddress",
    "EinboxKivraAddress",
    "EinboxSignerAddress",
    "EinvoiceAddress",
    "EmailAddress",
    "LookupAddress",
    "MastercardAddress",
    "PostalAddress",
    "ProtectedAddress",
    "Signer",
    "UnknownAddress",
    "address_from_wire",
]


def _wire_value(value: Any) -> Any:
    if isinstance(value, Signer):
        return value.to_wire()
    if isinstance(value, (list, tuple)):
        return [_wire_value(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)  # ebank's amount is a string on the wire; the Mastercard object says otherwise
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, kw_only=True)
class Address:
    """Base of the address objects: ``$type`` is the class's ``TYPE``."""

    TYPE: ClassVar[str] = ""
    extra: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"$type": self.TYPE}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if item.name != "extra" and value is not None:
                wire[item.name] = _wire_value(value)
        wire.update({k: v for k, v in self.extra.items() if k not in wire})
        return wire


@dataclass(frozen=True, kw_only=True)
class PostalAddress(Address):
    """Printed and posted. The address must also be in the document's address window unless
    ``use_coverpage`` is true. For ``rek``: rows of at most 35 characters, a five-digit postal code."""

    TYPE: ClassVar[str] = "postal"
    name: Sequence[str] | None = None
    street: Sequence[str] | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    """ISO 3166-1 alpha-2, e.g. ``SE``."""
    use_coverpage: bool | None = None


@dataclass(frozen=True, kw_only=True)
class EmailAddress(Address):
    """The document attached to an e-mail to ``email``."""

    TYPE: ClassVar[str] = "email"
    email: str | None = None
    subject: str | None = None


@dataclass(frozen=True, kw_only=True)
class EinboxAddress(Address):
    """The recipient's digital mailbox (Digipost, Mina meddelanden), else printed and posted."""

    TYPE: ClassVar[str] = "einbox"
    recipient: str | None = None
    """The recipient's personal identity number."""
    subject: str | None = None
    content: str | None = None
    template: str | None = None
    sender_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class EinboxKivraAddress(Address):
    """The recipient's Kivra inbox, else printed and posted."""

    TYPE: ClassVar[str] = "einbox_kivra"
    recipient: str | None = None
    subject: str | None = None
    sender_id: str | None = None
    kivra_type: KivraType | int | None = None
    booking: Mapping[str, Any] | None = None
    invoice: Mapping[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class Signer:
    email: str | None = None
    recipient: str | None = None
    """The signer's personal identity number."""
    issuer: bool | None = None
    """True for at most one signer."""

    def to_wire(self) -> dict[str, Any]:
        fields = {"email": self.email, "recipient": self.recipient, "issuer": self.issuer}
        return {key: value for key, value in fields.items() if value is not None}

    @classmethod
    def from_wire(cls, wire: object) -> Signer:
        if not isinstance(wire, Mapping):
            raise UnexpectedResponseError(f"a signer is not an object: {wire!r}")
        return cls(
            email=wire.get("email"), recipient=wire.get("recipient"), issuer=read_bool(wire.get("issuer"))
        )


@dataclass(frozen=True, kw_only=True)
class EinboxSignerAddress(Address):
    """The document signed by every signer; ``info_mail`` gets it when all have signed."""

    TYPE: ClassVar[str] = "einbox_signer"
    info_mail: str | None = None
    sender_id: str | None = None
    signers: Sequence[Signer] | None = None


@dataclass(frozen=True, kw_only=True)
class EinvoiceAddress(Address):
    """An electronic invoice (Svefaktura or Peppol BIS Billing 3.0, sent as ``markup`` content)."""

    TYPE: ClassVar[str] = "einvoice"
    format: EinvoiceFormat | str | None = None
    sender: str | None = None
    sender_type: IdentifierType | str | None = None
    recipient: str | None = None
    recipient_type: IdentifierType | str | None = None
    intermediator: str | None = None
    """``"peppol"``, or None when the recipient receives through Ekopost or it is unknown."""


@dataclass(frozen=True, kw_only=True)
class LookupAddress(Address):
    """The postal address looked up in the population register by personal identity number."""

    TYPE: ClassVar[str] = "lookup"
    recipient: str | None = None


@dataclass(frozen=True, kw_only=True)
class EbankAddress(Address):
    """An invoice in the recipient's internet bank; ``recipient`` is the FUI."""

    TYPE: ClassVar[str] = "ebank"
    recipient: str | None = None
    customer_number: str | None = None
    customer_name: str | None = None
    invoice_number: str | None = None
    reference_type: ReferenceType | str | None = None
    reference_value: str | None = None
    giro_number: str | None = None
    """Digits only, no dashes."""
    autogiro: bool | None = None
    amount: Decimal | str | None = None
    """Sent as a string (``"1250.50"``), as the wire has it; read back as a ``Decimal``."""
    invoice_date: date | str | None = None
    due_date: date | str | None = None
    issuer: str | None = None
    presentation_reference: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProtectedAddress(Address):
    """A recipient with a protected identity (with postage ``protected``); needs the customer's setup."""

    TYPE: ClassVar[str] = "protected"
    recipient: str | None = None
    use_coverpage: bool | None = None


@dataclass(frozen=True, kw_only=True)
class MastercardAddress(Address):
    """The seed's "mastercard" object: a Norwegian eFaktura / AvtaleGiro invoice."""

    TYPE: ClassVar[str] = "einvoice_mastercard"
    sender_id: str | None = None
    kid: str | None = None
    credit_account: str | None = None
    issuer: str | None = None
    shipment_id: str | None = None
    account_number: str | None = None
    amount: Decimal | None = None
    """Sent as a JSON number, as the wire's Double (two decimals survive it exactly); read back as a
    ``Decimal``."""
    due_date: date | str | None = None
    payment_type: PaymentType | str | None = None
    document_type: DocumentType | int | None = None
    efaktura_identifier: str | None = None
    social_security_number: str | None = None
    e_faktura_reference: str | None = None
    minimum_amount: Decimal | None = None
    brand_name: str | None = None
    """Required for the EFAKTURA payment types."""
    e_faktura_url: str | None = None
    collection_notice_notification_email: str | None = None
    collection_notice_notification_mobile_phone: str | None = None
    atg_notification: bool | None = None
    atg_notification_text: str | None = None
    atg_abbreviated_name: str | None = None
    atg_external_reference: str | None = None

    def to_wire(self) -> dict[str, Any]:
        wire = super().to_wire()
        for key in _NUMBERS:
            value = getattr(self, key)
            if value is not None:
                # JSON has no decimal type; a float's shortest form writes two decimals back exactly.
                wire[key] = float(Decimal(str(value)))
        return wire


@dataclass(frozen=True, kw_only=True)
class UnknownAddress(Address):
    """An address object of a ``$type`` this SDK does not know; every key is kept in ``extra``."""

    type: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {"$type": self.type, **{k: v for k, v in self.extra.items() if k != "$type"}}


ADDRESS_TYPES: dict[str, type[Address]] = {
    cls.TYPE: cls
    for cls in (
        PostalAddress,
        EmailAddress,
        EinboxAddress,
        EinboxKivraAddress,
        EinboxSignerAddress,
        EinvoiceAddress,
        LookupAddress,
        EbankAddress,
        ProtectedAddress,
        MastercardAddress,
    )
}
_BOOLEANS = frozenset({"use_coverpage", "autogiro", "atg_notification"})
_NUMBERS = ("amount", "minimum_amount")
"""Amounts: a Decimal in the SDK, whatever the wire writes them as."""
_LINES = frozenset({"name", "street"})


def _read_field(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _BOOLEANS:
        return read_bool(value)
    if name in _LINES:
        return [value] if isinstance(value, str) else [str(line) for line in value]
    if name == "signers":
        return [Signer.from_wire(signer) for signer in value]
    if name in _NUMBERS:
        return _decimal(value)
    return value


def _decimal(value: Any) -> Any:
    """An amount as a Decimal (from its JSON text, never through arithmetic); unreadable: as it came."""
    if isinstance(value, bool):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def address_from_wire(wire: object) -> Address | None:
    """The address object in ``wire`` (``None`` stays ``None``: a postal envelope)."""
    if wire is None:
        return None
    if not isinstance(wire, Mapping):
        raise UnexpectedResponseError(f"an address is not a JSON object: {wire!r}")
    kind = str(wire.get("$type") or "postal")
    cls = ADDRESS_TYPES.get(kind)
    if cls is None:
        return UnknownAddress(type=kind, extra=dict(wire))
    known = {item.name for item in dataclasses.fields(cls)} - {"extra"}
    values = {name: _read_field(name, wire[name]) for name in known if name in wire}
    extra = {k: v for k, v in wire.items() if k not in known and k != "$type"}
    return cls(**values, extra=extra)

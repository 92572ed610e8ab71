"""The 21 "smart post" datatypes (Digipost's catalogue) as immutable, validated values.

Each datatype is a pydantic model whose fields have the core's names only (no wire names, no XML);
`kind` on each class names the datatype. Persist with `datatype_to_dict` / `datatype_from_dict`
(JSON-safe, keyed by those core names). A dialect maps the names onto its wire in its own table.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

from pydantic import ValidationError

from .appointment import Appointment
from .common import (
    Address,
    Barcode,
    DataTypeBase,
    DatatypeModel,
    Info,
    Language,
    Link,
    TimeInterval,
)
from .credentials import VerifiableCredentialNotice, VerifiablePresentationNotice
from .errors import DataTypeInvalid, FieldError, field_errors
from .event import Event
from .external_link import ExternalLink
from .invoice import Inkasso, Invoice, InvoicePayment, PaymentBank
from .payslip import Payslip
from .pickup import (
    PickupCost,
    PickupNotice,
    PickupNoticeStatus,
    PickupPackage,
    PickupPlace,
    PickupRecipient,
    PickupSender,
    PickupStatus,
    PickupTag,
)
from .proof import CalendarDate, Period, Proof, ProofHolder, ValidPeriod, YearlyRepeatingPeriod
from .receipt import (
    ForeignCurrencyPayment,
    Receipt,
    ReceiptCustomer,
    ReceiptDelivery,
    ReceiptLine,
    ReceiptPayment,
    TaxiDetails,
    VatDetails,
    VatLevel,
)
from .receipts_opening import OpeningReceipt, OpeningReceiptAccepted
from .residence import (
    Boligdetaljer,
    Heftelse,
    Hjemmelshaver,
    Matrikkel,
    Omsetningshistorikk,
    Residence,
    ResidenceAddress,
)
from .sharing import (
    ShareDocumentsRequest,
    ShareDocumentsRequestDocumentsShared,
    ShareDocumentsRequestSharingStopped,
)
from .signed_document import SignedDocument

DataType: TypeAlias = (
    Appointment
    | Boligdetaljer
    | Event
    | ExternalLink
    | Inkasso
    | Invoice
    | InvoicePayment
    | OpeningReceipt
    | OpeningReceiptAccepted
    | Payslip
    | PickupNotice
    | PickupNoticeStatus
    | Proof
    | Receipt
    | Residence
    | ShareDocumentsRequest
    | ShareDocumentsRequestDocumentsShared
    | ShareDocumentsRequestSharingStopped
    | SignedDocument
    | VerifiableCredentialNotice
    | VerifiablePresentationNotice
)

_ALL: tuple[type[DataType], ...] = (
    Appointment,
    Boligdetaljer,
    Event,
    ExternalLink,
    Inkasso,
    Invoice,
    InvoicePayment,
    OpeningReceipt,
    OpeningReceiptAccepted,
    Payslip,
    PickupNotice,
    PickupNoticeStatus,
    Proof,
    Receipt,
    Residence,
    ShareDocumentsRequest,
    ShareDocumentsRequestDocumentsShared,
    ShareDocumentsRequestSharingStopped,
    SignedDocument,
    VerifiableCredentialNotice,
    VerifiablePresentationNotice,
)

DATATYPE_KINDS: Mapping[str, type[DataType]] = MappingProxyType({cls.kind: cls for cls in _ALL})
"""Datatype model by kind."""

_FOLLOW_UPS: dict[type[DataType], tuple[type[DataType], ...]] = {
    Invoice: (InvoicePayment,),
    Inkasso: (InvoicePayment,),
    InvoicePayment: (InvoicePayment,),
    Boligdetaljer: (Boligdetaljer,),
    PickupNotice: (PickupNotice, PickupNoticeStatus),
    ShareDocumentsRequest: (ShareDocumentsRequestSharingStopped,),
}
COMPLEMENTED_BY: Mapping[str, frozenset[str]] = MappingProxyType(
    {cls.kind: frozenset(follow.kind for follow in _FOLLOW_UPS.get(cls, ())) for cls in _ALL}
)
"""For each datatype kind, the kinds that may later be added to the same document as additional data."""


def datatype_to_dict(dt: DataType) -> dict[str, Any]:
    """JSON-safe ``{"kind": <root element name>, <snake_case field>: …}``; money and times as strings."""
    return {"kind": dt.kind, **dt.model_dump(mode="json", exclude_none=True)}


def datatype_from_dict(kind: str, data: Mapping[str, Any]) -> DataType:
    """Inverse of `datatype_to_dict`; a ``"kind"`` key in `data` is optional but must agree with `kind`."""
    model = DATATYPE_KINDS.get(kind)
    if model is None:
        raise DataTypeInvalid([(kind, "unknown-datatype")])
    fields = dict(data)
    if fields.pop("kind", kind) != kind:
        raise DataTypeInvalid([(f"{kind}/kind", f"enumeration={kind}")])
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise DataTypeInvalid(field_errors(kind, exc)) from exc


__all__ = [
    "COMPLEMENTED_BY",
    "DATATYPE_KINDS",
    "Address",
    "Appointment",
    "Barcode",
    "Boligdetaljer",
    "CalendarDate",
    "DataType",
    "DataTypeBase",
    "DataTypeInvalid",
    "DatatypeModel",
    "Event",
    "ExternalLink",
    "FieldError",
    "ForeignCurrencyPayment",
    "Heftelse",
    "Hjemmelshaver",
    "Info",
    "Inkasso",
    "Invoice",
    "InvoicePayment",
    "Language",
    "Link",
    "Matrikkel",
    "Omsetningshistorikk",
    "OpeningReceipt",
    "OpeningReceiptAccepted",
    "PaymentBank",
    "Payslip",
    "Period",
    "PickupCost",
    "PickupNotice",
    "PickupNoticeStatus",
    "PickupPackage",
    "PickupPlace",
    "PickupRecipient",
    "PickupSender",
    "PickupStatus",
    "PickupTag",
    "Proof",
    "ProofHolder",
    "Receipt",
    "ReceiptCustomer",
    "ReceiptDelivery",
    "ReceiptLine",
    "ReceiptPayment",
    "Residence",
    "ResidenceAddress",
    "ShareDocumentsRequest",
    "ShareDocumentsRequestDocumentsShared",
    "ShareDocumentsRequestSharingStopped",
    "SignedDocument",
    "TaxiDetails",
    "TimeInterval",
    "ValidPeriod",
    "VatDetails",
    "VatLevel",
    "VerifiableCredentialNotice",
    "VerifiablePresentationNotice",
    "YearlyRepeatingPeriod",
    "datatype_from_dict",
    "datatype_to_dict",
    "field_errors",
]

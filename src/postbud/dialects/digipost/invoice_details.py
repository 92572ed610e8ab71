"""Digipost's ``invoice`` and ``inkasso`` datatypes as the core's neutral ``InvoiceDetails``.

The edge mapping: Digipost keeps its own shape on the wire and in the document's datatype; what the
core needs to know about paying (amount, due date, account, KID) is this one value. Digipost's XSD has
already checked the shapes (an 11-digit account, a KID of at most 25 characters) and Digipost accepts
them without check digits, so they are carried as given: a KID whose check digit does not hold is kept
as a payment message rather than refused. Digipost invoices are in Norwegian kroner and due on a
Norwegian calendar day.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from postbud.domain.datatypes import Inkasso, Invoice, datatype_from_dict
from postbud.domain.errors import ValidationFailed
from postbud.domain.invoices import (
    AccountKind,
    InvoiceDetails,
    PaymentAccount,
    PaymentReference,
    PaymentType,
    ReferenceKind,
)

DIGIPOST_CURRENCY = "NOK"
DUE_ZONE = ZoneInfo("Europe/Oslo")
"""Digipost is Norwegian: a due date-time is a day in Norway."""


def invoice_details(datatype: Invoice | Inkasso) -> InvoiceDetails:
    amount: Decimal | None
    account: str | None
    if isinstance(datatype, Invoice):
        amount, account, kind = datatype.sum, datatype.creditor_account, PaymentType.INVOICE
    else:
        amount, account, kind = datatype.sum, datatype.account, PaymentType.DEBT_COLLECTION
    return InvoiceDetails(
        due_date=datatype.due_date.astimezone(DUE_ZONE).date(),
        amount=amount,
        currency=DIGIPOST_CURRENCY,
        reference=_reference(datatype.kid),
        account=PaymentAccount(AccountKind.NORWEGIAN_ACCOUNT, account) if account else None,
        payment_type=kind,
    )


def invoice_details_of_document(datatype: Mapping[str, Any] | None) -> InvoiceDetails | None:
    """From a document's stored datatype (``{"kind": "invoice", …}``); None for any other kind."""
    kind = (datatype or {}).get("kind")
    if datatype is None or kind not in (Invoice.kind, Inkasso.kind):
        return None
    model = datatype_from_dict(str(kind), datatype)
    assert isinstance(model, Invoice | Inkasso)
    return invoice_details(model)


def _reference(value: str | None) -> PaymentReference | None:
    if not value:
        return None
    try:
        return PaymentReference.of(ReferenceKind.KID, value)
    except ValidationFailed:
        return PaymentReference.of(ReferenceKind.MESSAGE, value)

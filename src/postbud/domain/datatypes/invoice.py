"""`invoice`, `inkasso` (debt collection) and `invoice-payment` (a payment reported afterwards)."""

from __future__ import annotations

from typing import ClassVar

from .common import BankAccount, DataTypeBase, DatatypeModel, Money, String25, ZonedDateTime
from .external_link import ExternalLink


class Invoice(DataTypeBase):
    kind: ClassVar[str] = "invoice"

    link: ExternalLink | None = None
    due_date: ZonedDateTime
    sum: Money
    creditor_account: BankAccount
    kid: String25 | None = None


class Inkasso(DataTypeBase):
    kind: ClassVar[str] = "inkasso"

    link: ExternalLink | None = None
    due_date: ZonedDateTime
    sum: Money | None = None
    account: BankAccount | None = None
    kid: String25 | None = None


class PaymentBank(DatatypeModel):
    id: str | None = None
    name: str | None = None


class InvoicePayment(DataTypeBase):
    kind: ClassVar[str] = "invoice-payment"

    payment_id: str
    payment_status: str
    """Free text; ISO 20022 status codes such as ``PDNG`` may be used."""
    payment_time: ZonedDateTime
    debtor_account: BankAccount
    debtor_account_name: str | None = None
    payment_channel: str
    payment_bank: PaymentBank

"""`invoice`, `inkasso` (debt collection) and `invoice-payment` (a payment reported afterwards)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .common import BankAccount, DataTypeBase, DigipostModel, Money, String25, ZonedDateTime
from .external_link import ExternalLink


class Invoice(DataTypeBase):
    kind: ClassVar[str] = "invoice"

    link: ExternalLink | None = None
    due_date: ZonedDateTime = Field(alias="due-date")
    sum: Money
    creditor_account: BankAccount = Field(alias="creditor-account")
    kid: String25 | None = None


class Inkasso(DataTypeBase):
    kind: ClassVar[str] = "inkasso"

    link: ExternalLink | None = None
    due_date: ZonedDateTime = Field(alias="due-date")
    sum: Money | None = None
    account: BankAccount | None = None
    kid: String25 | None = None


class PaymentBank(DigipostModel):
    id: str | None = None
    name: str | None = None


class InvoicePayment(DataTypeBase):
    kind: ClassVar[str] = "invoice-payment"

    payment_id: str = Field(alias="payment-id")
    payment_status: str = Field(alias="payment-status")
    """Free text; ISO 20022 status codes such as ``PDNG`` may be used."""
    payment_time: ZonedDateTime = Field(alias="payment-time")
    debtor_account: BankAccount = Field(alias="debtor-account")
    debtor_account_name: str | None = Field(default=None, alias="debtor-account-name")
    payment_channel: str = Field(alias="payment-channel")
    payment_bank: PaymentBank = Field(alias="payment-bank")

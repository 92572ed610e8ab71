"""Invoice details in the core's own shape: what to pay, by when, to which account, with which reference.

Every dialect maps its own invoice onto this one value: Digipost's ``invoice``/``inkasso`` datatypes,
Ekopost's ebank and Kivra invoice fields. The account and the reference are checked by their national
rules (``domain.identifiers``): a Norwegian account number, Bankgiro, PlusGiro or IBAN; a KID, a
Swedish OCR reference or a free-text message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
from postbud.domain.identifiers import (
    InvalidIdentifier,
    bankgiro,
    iban,
    kid,
    norwegian_account,
    ocr_reference,
    plusgiro,
)

MAX_MESSAGE_REFERENCE = 140
"""A free-text payment message fits an ISO 20022 unstructured remittance line."""


class AccountKind(StrEnum):
    NORWEGIAN_ACCOUNT = "norwegian_account"
    BANKGIRO = "bankgiro"
    PLUSGIRO = "plusgiro"
    IBAN = "iban"


class ReferenceKind(StrEnum):
    KID = "kid"
    """Norwegian customer identification (MOD10 or MOD11)."""
    OCR = "ocr"
    """Swedish OCR reference (Luhn)."""
    MESSAGE = "message"
    """Free text the payer writes in the payment's message field."""


class PaymentType(StrEnum):
    INVOICE = "invoice"
    DEBT_COLLECTION = "debt_collection"
    """Inkasso: the claim has gone to a collector."""
    DIRECT_DEBIT = "direct_debit"
    """AvtaleGiro / Autogiro: paid by the bank, not by hand."""
    CREDIT_NOTE = "credit_note"


_ACCOUNT_CHECKS = {
    AccountKind.NORWEGIAN_ACCOUNT: norwegian_account,
    AccountKind.BANKGIRO: bankgiro,
    AccountKind.PLUSGIRO: plusgiro,
    AccountKind.IBAN: iban,
}


@dataclass(frozen=True, slots=True)
class PaymentAccount:
    kind: AccountKind
    number: str
    """Normalised: digits only (IBAN: compact, upper case)."""

    @classmethod
    def of(cls, kind: AccountKind, number: str, *, field: str = "account") -> PaymentAccount:
        try:
            return cls(kind, _ACCOUNT_CHECKS[kind](number))
        except InvalidIdentifier as exc:
            raise ValidationFailed.of(field, str(exc), RuleCode.WRONG_FORMAT) from exc


@dataclass(frozen=True, slots=True)
class PaymentReference:
    kind: ReferenceKind
    value: str

    @classmethod
    def of(cls, kind: ReferenceKind, value: str, *, field: str = "reference") -> PaymentReference:
        try:
            if kind is ReferenceKind.KID:
                return cls(kind, kid(value))
            if kind is ReferenceKind.OCR:
                return cls(kind, ocr_reference(value))
        except InvalidIdentifier as exc:
            raise ValidationFailed.of(field, str(exc), RuleCode.WRONG_FORMAT) from exc
        text = value.strip()
        if not text:
            raise ValidationFailed.of(field, "a payment message must not be empty", RuleCode.EMPTY)
        if len(text) > MAX_MESSAGE_REFERENCE:
            raise ValidationFailed.of(
                field, f"a payment message has at most {MAX_MESSAGE_REFERENCE} characters", RuleCode.TOO_LONG
            )
        return cls(kind, text)


@dataclass(frozen=True, slots=True)
class InvoiceDetails:
    due_date: date
    amount: Decimal | None
    """None where the amount is not known to the letter (an inkasso notice may leave it out)."""
    currency: str = "NOK"
    reference: PaymentReference | None = None
    account: PaymentAccount | None = None
    payment_type: PaymentType = PaymentType.INVOICE
    invoice_number: str | None = None

    def __post_init__(self) -> None:
        errors: list[FieldError] = []
        if self.amount is not None and (not self.amount.is_finite() or self.amount < 0):
            errors.append(FieldError("amount", "a finite amount of at least 0", RuleCode.INVALID))
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            errors.append(
                FieldError("currency", "an ISO 4217 code such as NOK or SEK", RuleCode.WRONG_FORMAT)
            )
        if errors:
            raise ValidationFailed(errors)

    @property
    def payable_by_hand(self) -> bool:
        """Whether the recipient pays it themselves (a pay button makes sense)."""
        return (
            self.payment_type in (PaymentType.INVOICE, PaymentType.DEBT_COLLECTION)
            and self.amount is not None
            and self.account is not None
        )

    def as_data(self) -> dict[str, Any]:
        """JSON-safe, for event data and storage (amounts as strings, dates in ISO form)."""
        return {
            "due_date": self.due_date.isoformat(),
            "amount": str(self.amount) if self.amount is not None else None,
            "currency": self.currency,
            "reference": [self.reference.kind.value, self.reference.value] if self.reference else None,
            "account": [self.account.kind.value, self.account.number] if self.account else None,
            "payment_type": self.payment_type.value,
            "invoice_number": self.invoice_number,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> InvoiceDetails:
        """Inverse of ``as_data``; account and reference were checked when they came in."""
        reference, account, amount = data.get("reference"), data.get("account"), data.get("amount")
        return cls(
            due_date=date.fromisoformat(data["due_date"]),
            amount=Decimal(amount) if amount is not None else None,
            currency=data.get("currency", "NOK"),
            reference=PaymentReference(ReferenceKind(reference[0]), reference[1]) if reference else None,
            account=PaymentAccount(AccountKind(account[0]), account[1]) if account else None,
            payment_type=PaymentType(data.get("payment_type", PaymentType.INVOICE.value)),
            invoice_number=data.get("invoice_number"),
        )

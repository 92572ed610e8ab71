"""Use case: a recipient pays an invoice or debt-collection notice from the inbox (once).

What is payable: a letter whose datatype is an invoice or inkasso notice (Digipost, in NOK), or a
bank e-invoice (``ChannelOptions.bank_invoice``: Ekopost's ebank in SEK, Norwegian eFaktura in NOK)
that the payer pays by hand. The payer pays from an account of the invoice's currency's country.

The sandbox has no bank: paying records a ``payment_registered`` event with the amount, the
currency, the payment date, the reference and both accounts, and the same data as an
``invoice-payment`` datatype, the shape in which a sender would report a payment. The event reaches
the sender's webhooks. A second payment of the same letter is refused, also when two arrive at the
same moment (the letter row is locked, and the dedup key is unique).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from postbud.domain.datatypes import (
    Inkasso,
    Invoice,
    InvoicePayment,
    PaymentBank,
    datatype_from_dict,
    datatype_to_dict,
)
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.errors import Conflict, ConflictCode, FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import InvalidIdentifier, norwegian_account
from postbud.domain.identifiers.swedish_account import swedish_bank_account
from postbud.domain.invoices import AccountKind, InvoiceDetails, ReferenceKind
from postbud.domain.regional import Regional
from postbud.domain.shipments import Shipment
from postbud.services.inbox.open_letter import readable_letter
from postbud.services.inbox.query import Letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime

PAYMENT_KEY = "payment"
PAYABLE_KINDS = frozenset({Invoice.kind, Inkasso.kind})
CURRENCY = "NOK"
MAX_AMOUNT = Decimal("999999999.99")
LATEST_PAYMENT_DAYS = 365
PAYMENT_CHANNEL = "postbud-inbox"
SANDBOX_BANK = PaymentBank(name="Postbud Sandbox Bank")
PAYER_ACCOUNTS: Final[dict[str, Callable[[str], str]]] = {
    "NOK": norwegian_account,
    "SEK": swedish_bank_account,
}
"""The account a payer pays an invoice of each currency from: one of a bank of that country."""


@dataclass(frozen=True, slots=True)
class PaymentOrder:
    from_account: str
    pay_on: date
    amount: Decimal | None = None
    """Only for a notice without a sum; for an invoice it must be absent or equal to the sum."""


@dataclass(frozen=True, slots=True)
class Bill:
    """What the letter asks to be paid."""

    amount: Decimal | None
    due: date
    account: str | None
    reference: str | None
    """The payment reference: a KID, or for a bank e-invoice one of its ``reference_kind``."""
    currency: str = CURRENCY
    account_kind: AccountKind = AccountKind.NORWEGIAN_ACCOUNT
    reference_kind: ReferenceKind = ReferenceKind.KID
    invoice: InvoiceDetails | None = None
    """The bank e-invoice it was read from; None for an invoice or inkasso datatype."""


def bank_invoice_of(shipment: Shipment) -> InvoiceDetails | None:
    """The invoice of a bank e-invoice letter (ebank, eFaktura), payable by hand or not."""
    options = shipment.channel_options
    return options.invoice if options.bank_invoice else None


def _bank_bill(invoice: InvoiceDetails) -> Bill | None:
    if not invoice.payable_by_hand or invoice.currency not in PAYER_ACCOUNTS:
        return None  # AvtaleGiro / Autogiro, a credit note, or no account named: nothing to pay here
    assert invoice.account is not None
    reference = invoice.reference
    return Bill(
        invoice.amount,
        invoice.due_date,
        invoice.account.number,
        reference.value if reference else None,
        currency=invoice.currency,
        account_kind=invoice.account.kind,
        reference_kind=reference.kind if reference else ReferenceKind.MESSAGE,
        invoice=invoice,
    )


def bill_of(shipment: Shipment) -> Bill | None:
    datatype = shipment.primary.datatype or {}
    kind = datatype.get("kind")
    if kind not in PAYABLE_KINDS:
        invoice = bank_invoice_of(shipment)
        return _bank_bill(invoice) if invoice is not None else None
    model = datatype_from_dict(str(kind), datatype)
    if isinstance(model, Invoice):
        return Bill(model.sum, model.due_date, model.creditor_account, model.kid)
    assert isinstance(model, Inkasso)
    return Bill(model.sum, model.due_date, model.account, model.kid)


def payment_of(letter: Letter) -> ShipmentEvent | None:
    """The recipient's own payment of this letter, if made."""
    return next((e for e in letter.events if e.dedup_key == PAYMENT_KEY), None)


def bank_today(now: datetime, region: Regional | None = None) -> date:
    """Today where the payer's bank is: the deployment's region (``Settings.regional``)."""
    return (region or Regional()).local(now).date()


def _amount(bill: Bill, order: PaymentOrder) -> Decimal:
    if bill.amount is not None:
        if order.amount is not None and order.amount != bill.amount:
            raise ValidationFailed.of(
                "amount", f"must be the amount the letter asks for, {bill.amount}", RuleCode.INVALID
            )
        return bill.amount
    if order.amount is None:
        raise ValidationFailed.of(
            "amount", "is required: the letter does not say how much to pay", RuleCode.REQUIRED
        )
    return order.amount


def _check(bill: Bill, order: PaymentOrder, today: date) -> tuple[Decimal, str]:
    errors: list[FieldError] = []
    try:
        amount = _amount(bill, order)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
        amount = Decimal(0)
    if not errors and not (0 < amount <= MAX_AMOUNT and amount == amount.quantize(Decimal("0.01"))):
        errors.append(FieldError("amount", "must be a positive amount in kroner and øre", RuleCode.INVALID))
    try:
        account = PAYER_ACCOUNTS[bill.currency](order.from_account)
    except InvalidIdentifier as exc:
        errors.append(FieldError("from_account", exc.rule, RuleCode.WRONG_FORMAT))
        account = ""
    if order.pay_on < today:
        errors.append(FieldError("pay_on", "must be today or later", RuleCode.IN_PAST))
    elif order.pay_on > today + timedelta(days=LATEST_PAYMENT_DAYS):
        errors.append(FieldError("pay_on", f"must be within {LATEST_PAYMENT_DAYS} days", RuleCode.INVALID))
    if bill.account is None:
        errors.append(FieldError("account", "the letter names no account to pay to", RuleCode.REQUIRED))
    if errors:
        raise ValidationFailed(errors)
    return amount, account


def _payment_data(
    shipment: Shipment,
    bill: Bill,
    amount: Decimal,
    account: str,
    order: PaymentOrder,
    today: date,
    now: datetime,
) -> dict[str, Any]:
    scheduled = order.pay_on > today
    status = "PDNG" if scheduled else "ACSC"  # ISO 20022: pending / settlement completed
    payment_id = str(uuid.uuid4())
    data: dict[str, Any] = {
        "document_id": str(shipment.primary.id),
        "position": 0,
        "kind": InvoicePayment.kind,
        "by": "recipient",
        "amount": str(amount),
        "currency": bill.currency,
        "payment_date": order.pay_on.isoformat(),
        "due_date": bill.due.isoformat(),
        "kid": bill.reference if bill.reference_kind is ReferenceKind.KID else None,
        "creditor_account": bill.account,
        "debtor_account": account,
    }
    if bill.currency == CURRENCY:  # Digipost's invoice-payment datatype knows Norwegian accounts only
        payment = InvoicePayment(
            payment_id=payment_id,
            payment_status=status,
            payment_time=now,
            debtor_account=account,
            payment_channel=PAYMENT_CHANNEL,
            payment_bank=SANDBOX_BANK,
        )
        data["datatype"] = datatype_to_dict(payment)
    else:
        data |= {"payment_id": payment_id, "payment_status": status, "payment_channel": PAYMENT_CHANNEL}
    if bill.invoice is not None:  # a bank e-invoice: its reference and account by kind
        data["reference"] = [bill.reference_kind.value, bill.reference] if bill.reference else None
        data["creditor_account_kind"] = bill.account_kind.value
        data["invoice_number"] = bill.invoice.invoice_number
    return data


async def pay_invoice(
    runtime: Runtime,
    recipient_id: uuid.UUID,
    shipment_id: uuid.UUID,
    order: PaymentOrder,
    level: AuthenticationLevel,
) -> ShipmentEvent:
    letter = await readable_letter(runtime, recipient_id, shipment_id, level)
    bill = bill_of(letter.shipment)
    if bill is None:
        raise Conflict("letter", "this letter is not an invoice", ConflictCode.WRONG_STATE)
    if payment_of(letter) is not None:
        raise Conflict("payment", "this invoice has already been paid", ConflictCode.ALREADY_DONE)
    now = runtime.clock.now()
    today = bank_today(now, runtime.settings.regional())
    amount, account = _check(bill, order, today)
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is None:
            raise NotFound("letter", shipment_id)
        data = _payment_data(shipment, bill, amount, account, order, today, now)
        draft = EventDraft(EventType.PAYMENT_REGISTERED, data=data, dedup_key=PAYMENT_KEY)
        recorded = await record_events(uow, shipment, [draft], now=now)
    if not recorded:
        raise Conflict("payment", "this invoice has already been paid", ConflictCode.ALREADY_DONE)
    return recorded[0]

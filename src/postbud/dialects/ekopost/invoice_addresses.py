"""The address types that carry an invoice or a look-up: einvoice (Svefaktura / Peppol BIS Billing
3.0), ebank (the internet bank's e-invoice), einvoice_mastercard (Norwegian eFaktura/AvtaleGiro)
and lookup (the population register's address).

Pure: the registry look-ups these need (is the FUI registered, what is the person's address) are
made by the envelope handler (``resolve.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from postbud.dialects.ekopost.envelope_address import (
    EBANK,
    EINVOICE,
    LOOKUP,
    MASTERCARD,
    EnvelopeAddress,
    recipient_id,
)
from postbud.dialects.ekopost.errors import EkopostError, invalid
from postbud.dialects.ekopost.wire_in import boolean, date_time, text
from postbud.domain.channels import Channel
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.errors import ValidationFailed
from postbud.domain.identifiers import InvalidIdentifier, PartyId, parse_party_id
from postbud.domain.invoices import (
    AccountKind,
    InvoiceDetails,
    PaymentAccount,
    PaymentReference,
    PaymentType,
    ReferenceKind,
)

FORMATS: Final = {f.value: f for f in EInvoiceFormat if f is not EInvoiceFormat.EFAKTURA}
FORMAT_ALIASES: Final = {"svefaktura": EInvoiceFormat.SVEFAKTURA_1.value}
"""Older clients name Svefaktura 1.0 without its version."""
IDENTIFIER_TYPES: Final = ("SE.REGNO", "SE.SSNNO", "GS1.GLN")
INTERMEDIATORS: Final = ("peppol",)
MASTERCARD_PAYMENT_TYPES: Final = (
    "EFAKTURA", "EFAKTURA_AND_AVTALEGIRO", "EFAKTURA_AND_EXTERNAL_AVTALEGIRO", "AVTALEGIRO",
)  # fmt: skip
MASTERCARD_DOCUMENT_TYPES: Final = {
    0: "INVOICE", 1: "CREDIT_NOTE", 2: "REMINDER", 3: "COLLECTION_NOTICE", 4: "DUNNING",
    5: "PAYMENT_REQUEST", 6: "ENFORCEMENT_WARNING",
}  # fmt: skip
_W = "address."
MAX_AMOUNT: Final = Decimal("999999999.99")
MINOR_UNIT: Final = Decimal("0.01")
BANK_INVOICE_CHANNELS: Final = (Channel.DIGITAL_MAILBOX,)
"""ebank and eFaktura invoices: Postbud's inbox plays the payer's internet bank
(``RoutingRequest.bank_invoice``)."""


def invoice_address(raw: Mapping[str, Any], kind: str) -> EnvelopeAddress:
    if kind == EINVOICE:
        return _einvoice(raw)
    if kind == EBANK:
        return _ebank(raw)
    if kind == MASTERCARD:
        return _mastercard(raw)
    assert kind == LOOKUP
    return _lookup(raw)


def _identifier(value: str, kind: str, field: str) -> PartyId:
    """An identifier of a type of Ekopost's list: SE.REGNO, SE.SSNNO or GS1.GLN."""
    try:
        if kind == "GS1.GLN":
            return parse_party_id("gln:" + value)
        if kind == "SE.REGNO":
            return parse_party_id("se-org:" + value)
        return parse_party_id("se-person:" + value)
    except InvalidIdentifier as exc:
        raise EkopostError("139", f"{field}: {exc.rule}") from None


def _choice(raw: Mapping[str, Any], key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = text(raw, key, where=_W) or default
    if value is None:
        raise invalid(_W + key, f"required; one of {', '.join(allowed)}")
    matched = next((a for a in allowed if a.lower() == value.lower()), None)
    if matched is None:
        raise invalid(_W + key, f"{value!r} is not one of {', '.join(allowed)}")
    return matched


def _einvoice(raw: Mapping[str, Any]) -> EnvelopeAddress:
    named = (text(raw, "format", where=_W) or "").lower()
    fmt = FORMAT_ALIASES.get(named) or _choice(raw, "format", tuple(FORMATS))
    recipient_raw = text(raw, "recipient", max_length=40, where=_W)
    if recipient_raw is None:
        raise EkopostError("119", "address.recipient: required for $type 'einvoice'")
    recipient_type = _choice(raw, "recipient_type", IDENTIFIER_TYPES, "SE.REGNO")
    recipient = _identifier(recipient_raw, recipient_type, "address.recipient")
    sender = text(raw, "sender", max_length=40, where=_W)
    sender_type = _choice(raw, "sender_type", IDENTIFIER_TYPES, "SE.REGNO")
    if sender is not None:
        _identifier(sender, sender_type, "address.sender")
        if sender.replace("-", "") == recipient_raw.replace("-", ""):
            raise EkopostError("138", "address.recipient: the same as address.sender")
    intermediator = text(raw, "intermediator", where=_W)
    if intermediator is not None and intermediator.lower() not in INTERMEDIATORS:
        raise invalid(
            _W + "intermediator", f"{intermediator!r} is not one of {', '.join(INTERMEDIATORS)} or null"
        )
    wire = {
        "$type": EINVOICE,
        "format": fmt,
        "sender": sender,
        "sender_type": sender_type,
        "recipient": recipient_raw,
        "recipient_type": recipient_type,
        "intermediator": intermediator.lower() if intermediator else None,
    }
    return EnvelopeAddress(
        EINVOICE,
        wire,
        (Channel.EINVOICE,),
        recipient=recipient,
        einvoice_format=FORMATS[fmt],
        needs_markup=True,
    )


def _amount(raw: Mapping[str, Any], key: str, *, required: bool) -> Decimal | None:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise invalid(_W + key, "required")
        return None
    if isinstance(value, bool):
        raise invalid(_W + key, "must be an amount such as 1234.50")
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise invalid(_W + key, f"{value!r} is not an amount such as 1234.50") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise invalid(_W + key, f"must be an amount from 0 to {MAX_AMOUNT}")
    if amount != amount.quantize(MINOR_UNIT):
        raise invalid(_W + key, f"{value!r} has more than two decimals (öre, øre)")
    return amount


def _date(raw: Mapping[str, Any], key: str, *, required: bool) -> date | None:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise invalid(_W + key, "required")
        return None
    return date_time(value, _W + key).date()


def _details(build: Any) -> InvoiceDetails:
    """Build invoice details; the core's rules are reported naming the address's field."""
    try:
        result: InvoiceDetails = build()
    except ValidationFailed as exc:
        first = exc.first
        raise invalid(_W + first.field, first.rule) from None
    return result


_EBANK_ECHO: Final = (
    "recipient", "customer_number", "customer_name", "invoice_number", "reference_type", "reference_value",
    "giro_number", "amount", "invoice_date", "due_date", "issuer", "presentation_reference",
)  # fmt: skip


def _ebank(raw: Mapping[str, Any]) -> EnvelopeAddress:
    fui = text(raw, "recipient", max_length=40, where=_W)
    if fui is None:
        raise EkopostError("119", "address.recipient: the recipient's FUI is required for $type 'ebank'")
    recipient = recipient_id(fui, "address.recipient")
    reference_type = _choice(raw, "reference_type", ("ocr", "message"), "message")
    reference_value = text(raw, "reference_value", max_length=140, where=_W)
    giro = text(raw, "giro_number", max_length=20, where=_W)
    if giro is not None and not giro.isdigit():
        raise invalid(_W + "giro_number", "digits only, without dashes")
    autogiro = boolean(raw, "autogiro", where=_W)
    due = _date(raw, "due_date", required=True)
    amount = _amount(raw, "amount", required=True)
    invoice_number = text(raw, "invoice_number", max_length=100, where=_W)

    def build() -> InvoiceDetails:
        kind = ReferenceKind.OCR if reference_type == "ocr" else ReferenceKind.MESSAGE
        reference = (
            PaymentReference.of(kind, reference_value, field="reference_value") if reference_value else None
        )
        account = PaymentAccount.of(_giro_kind(giro), giro, field="giro_number") if giro else None
        assert due is not None
        return InvoiceDetails(
            due_date=due,
            amount=amount,
            currency="SEK",
            reference=reference,
            account=account,
            payment_type=PaymentType.DIRECT_DEBIT if autogiro else PaymentType.INVOICE,
            invoice_number=invoice_number,
        )

    details = _details(build)
    wire = {"$type": EBANK, **{key: raw.get(key) for key in _EBANK_ECHO}, "autogiro": autogiro}
    return EnvelopeAddress(
        EBANK,
        wire,
        BANK_INVOICE_CHANNELS,
        recipient=recipient,
        einvoice_format=EInvoiceFormat.EFAKTURA,
        invoice=details,
    )


def _giro_kind(number: str) -> AccountKind:
    """A Bankgiro number has 7 or 8 digits; a PlusGiro number 2 to 8; 7–8 digits are read as Bankgiro."""
    return AccountKind.BANKGIRO if len(number) in (7, 8) else AccountKind.PLUSGIRO


def _mastercard(raw: Mapping[str, Any]) -> EnvelopeAddress:
    ssn = text(raw, "social_security_number", max_length=20, where=_W)
    identifier = text(raw, "efaktura_identifier", max_length=40, where=_W)
    if ssn is None and identifier is None:
        raise EkopostError("119", "address.social_security_number (or efaktura_identifier): required")
    recipient = recipient_id(ssn, "address.social_security_number") if ssn else None
    payment_type = _choice(raw, "payment_type", MASTERCARD_PAYMENT_TYPES)
    document_type = _document_type(raw.get("document_type"))
    brand_name = text(raw, "brand_name", max_length=100, where=_W)
    if payment_type.startswith("EFAKTURA") and brand_name is None:
        raise invalid(_W + "brand_name", f"required when payment_type is {payment_type}")
    due = _date(raw, "due_date", required=True)
    amount = _amount(raw, "amount", required=True)
    _amount(raw, "minimum_amount", required=False)
    kid = text(raw, "kid", max_length=25, where=_W)
    account = text(raw, "credit_account", max_length=20, where=_W) or text(
        raw, "account_number", max_length=20, where=_W
    )

    def build() -> InvoiceDetails:
        assert due is not None
        direct = payment_type in ("AVTALEGIRO", "EFAKTURA_AND_AVTALEGIRO")
        kind = PaymentType.CREDIT_NOTE if document_type == 1 else PaymentType.INVOICE
        return InvoiceDetails(
            due_date=due,
            amount=amount,
            currency="NOK",
            reference=PaymentReference.of(ReferenceKind.KID, kid, field="kid") if kid else None,
            account=PaymentAccount.of(AccountKind.NORWEGIAN_ACCOUNT, account, field="credit_account")
            if account
            else None,
            payment_type=PaymentType.DIRECT_DEBIT if direct and kind is PaymentType.INVOICE else kind,
        )

    details = _details(build)
    wire = {"$type": MASTERCARD, **{k: v for k, v in raw.items() if k != "$type"}}
    wire["document_type"] = document_type
    wire["payment_type"] = payment_type
    return EnvelopeAddress(
        MASTERCARD,
        wire,
        BANK_INVOICE_CHANNELS,
        recipient=recipient,
        einvoice_format=EInvoiceFormat.EFAKTURA,
        invoice=details,
    )


def _document_type(value: object) -> int:
    """0–6 as a number, its digits or an integral number such as 1.0; absent or null: 0 (INVOICE)."""
    if value is None:
        return 0
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, float) and value.is_integer():  # 1.0, as a client's Double writes 1
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value in MASTERCARD_DOCUMENT_TYPES:
        return value
    names = ", ".join(f"{k} = {v}" for k, v in MASTERCARD_DOCUMENT_TYPES.items())
    raise invalid(_W + "document_type", f"{value!r} is not one of {names}")


def _lookup(raw: Mapping[str, Any]) -> EnvelopeAddress:
    """The address is looked up by the handler; until then the envelope is postal with a cover page."""
    ssn = text(raw, "recipient", max_length=40, where=_W)
    if ssn is None:
        raise EkopostError("119", "address.recipient: the social security number to look up is required")
    recipient = recipient_id(ssn, "address.recipient")
    return EnvelopeAddress(LOOKUP, {"$type": LOOKUP, "recipient": ssn}, recipient=recipient, cover_page=True)

"""Bank e-invoices (Ekopost's ebank, Norwegian eFaktura): routing takes them to the inbox of whoever
takes bank e-invoices, with its own reason; the payer's Swedish account; a bill's numbers written as
its country writes them."""

from __future__ import annotations

import random
import uuid
from datetime import date
from decimal import Decimal

import pytest

from postbud.domain.channel_options import ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.identifiers import InvalidIdentifier, parse_party_id
from postbud.domain.identifiers.swedish_account import generate_swedish_bank_account, swedish_bank_account
from postbud.domain.invoices import AccountKind, InvoiceDetails
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.parties import Capabilities, Recipient
from postbud.domain.routing import (
    BANK_INVOICE_DELIVERED,
    NO_BANK_INVOICES,
    RoutingRequest,
    decide_route,
    takes_bank_invoices,
)
from postbud.web.inbox.bill_text import creditor_account_text, payer_account_text

BANK = RoutingRequest((Channel.DIGITAL_MAILBOX,), bank_invoice=True)


def payer(**caps: object) -> Recipient:
    return Recipient(uuid.uuid4(), parse_party_id("201202148795"), "Bank Kund", Capabilities(**caps))  # type: ignore[arg-type]


def test_a_bank_invoice_goes_to_the_inbox_of_whoever_takes_bank_einvoices_with_its_reason() -> None:
    decision = decide_route(BANK, payer(ebank=True))
    assert decision.channel is Channel.DIGITAL_MAILBOX
    assert decision.provider is MailboxProvider.POSTBUD
    assert decision.reason == BANK_INVOICE_DELIVERED
    assert decision.as_data()["reason"] == BANK_INVOICE_DELIVERED


def test_a_reservation_does_not_stop_a_bank_invoice_the_payer_asked_for() -> None:
    assert decide_route(BANK, payer(ebank=True, reserved=True)).channel is Channel.DIGITAL_MAILBOX


@pytest.mark.parametrize("caps", [{}, {"digital_mailbox": True}, {"einvoice": True}, {"kivra": True}])
def test_a_mailbox_alone_does_not_take_a_bank_invoice(caps: dict[str, object]) -> None:
    decision = decide_route(BANK, payer(**caps))
    assert decision.channel is None
    assert NO_BANK_INVOICES in decision.reason


def test_an_unknown_payer_is_not_delivered_and_never_printed() -> None:
    decision = decide_route(RoutingRequest((Channel.DIGITAL_MAILBOX,), bank_invoice=True), None)
    assert decision.channel is None
    assert not takes_bank_invoices(None)


def test_an_ordinary_letter_to_a_bank_einvoice_receiver_is_decided_as_before() -> None:
    decision = decide_route(RoutingRequest((Channel.DIGITAL_MAILBOX,)), payer(ebank=True))
    assert decision.channel is None
    assert decision.reason == "digital_mailbox: recipient has no digital mailbox"


def test_only_an_efaktura_letter_with_invoice_details_is_a_bank_invoice() -> None:
    invoice = InvoiceDetails(due_date=date(2026, 12, 31), amount=Decimal("10.00"), currency="SEK")
    assert ChannelOptions(einvoice_format=EInvoiceFormat.EFAKTURA, invoice=invoice).bank_invoice
    assert not ChannelOptions(einvoice_format=EInvoiceFormat.EFAKTURA).bank_invoice
    assert not ChannelOptions(
        einvoice_format=EInvoiceFormat.PEPPOL_BIS_BILLING_3, invoice=invoice
    ).bank_invoice
    assert not ChannelOptions().bank_invoice


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("6123-123 456 789", "6123123456789"),
        ("8327-9, 123.456.789-0", "832791234567890"),
        ("11001234567", "11001234567"),
    ],
)
def test_a_swedish_account_is_a_clearing_number_and_an_account_number(typed: str, digits: str) -> None:
    assert swedish_bank_account(typed) == digits


@pytest.mark.parametrize(
    "typed", ["1099 1234567", "6123", "6123 1234 5678 9012", "6123-12A4567", "٦١٢٣١٢٣٤٥٦٧"]
)
def test_a_swedish_account_outside_the_rule_is_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentifier):
        swedish_bank_account(typed)


def test_the_sandbox_payer_account_keeps_the_rule() -> None:
    rng = random.Random(7)
    for _ in range(200):
        number = generate_swedish_bank_account(rng)
        assert swedish_bank_account(number) == number


@pytest.mark.parametrize(
    ("kind", "number", "shown"),
    [
        (AccountKind.BANKGIRO, "56781230", "5678-1230"),
        (AccountKind.BANKGIRO, "1234566", "123-4566"),
        (AccountKind.PLUSGIRO, "1234567", "12 34 56-7"),
        (AccountKind.PLUSGIRO, "4545451", "45 45 45-1"),
        (AccountKind.PLUSGIRO, "900122", "9 00 12-2"),
        (AccountKind.IBAN, "SE4550000000058398257466", "SE45 5000 0000 0583 9825 7466"),
        (AccountKind.NORWEGIAN_ACCOUNT, "12345678903", "1234.56.78903"),
    ],
)
def test_a_creditor_account_is_written_as_its_country_writes_it(
    kind: AccountKind, number: str, shown: str
) -> None:
    assert creditor_account_text(kind, number) == shown


def test_a_payer_account_is_written_by_the_payments_currency() -> None:
    assert payer_account_text("SEK", "6123123456789") == "6123-123 456 789"
    assert payer_account_text("NOK", "12345678903") == "1234.56.78903"

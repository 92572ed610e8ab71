"""Neutral invoice details: national account and reference rules, Digipost's invoice and inkasso
mapped onto them at the edge, and a letter's channel options as stored JSON."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from postbud.dialects.digipost.invoice_details import invoice_details, invoice_details_of_document
from postbud.domain.channel_options import ChannelOptions
from postbud.domain.datatypes import Inkasso, Invoice, datatype_to_dict
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.invoices import (
    AccountKind,
    InvoiceDetails,
    PaymentAccount,
    PaymentReference,
    PaymentType,
    ReferenceKind,
)
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.notice_channels import NoticeChannelChoice
from postbud.domain.notice_plan import NoticePlan, ReminderPlan
from postbud.domain.notice_templates import NoticeLanguage, NoticeTemplate, NoticeTexts
from postbud.domain.print_layout import RIGHT_WINDOW, AddressPlacement, PrintLayout
from postbud.storage.repos.channel_options import channel_options_from_json, channel_options_to_json

NORWEGIAN_ACCOUNT = "8601.11.17947"
BANKGIRO = "5991-2162"  # Luhn over 59912162
PLUSGIRO = "1234-4"  # Luhn over 12344
VALID_KID = "12345678903"  # MOD10


@pytest.mark.parametrize(
    ("kind", "number", "normalised"),
    [
        (AccountKind.NORWEGIAN_ACCOUNT, NORWEGIAN_ACCOUNT, "86011117947"),
        (AccountKind.BANKGIRO, BANKGIRO, "59912162"),
        (AccountKind.PLUSGIRO, PLUSGIRO, "12344"),
        (AccountKind.IBAN, "NO93 8601 1117 947", "NO9386011117947"),
    ],
)
def test_accounts_are_checked_by_their_national_rules(
    kind: AccountKind, number: str, normalised: str
) -> None:
    assert PaymentAccount.of(kind, number) == PaymentAccount(kind, normalised)


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        (AccountKind.NORWEGIAN_ACCOUNT, "8601.11.17949"),
        (AccountKind.BANKGIRO, "5991-2161"),
        (AccountKind.PLUSGIRO, "1234-5"),
        (AccountKind.IBAN, "NO93 8601 1117 948"),
    ],
)
def test_a_wrong_check_digit_is_a_wrong_format(kind: AccountKind, number: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        PaymentAccount.of(kind, number, field="giro_number")
    assert (caught.value.first.field, caught.value.first.code) == ("giro_number", RuleCode.WRONG_FORMAT)


def test_references_are_kid_ocr_or_a_message() -> None:
    assert PaymentReference.of(ReferenceKind.KID, "1234 5678 903").value == VALID_KID
    assert PaymentReference.of(ReferenceKind.OCR, "1234566").value == "1234566"
    assert PaymentReference.of(ReferenceKind.MESSAGE, "  Faktura 42 ").value == "Faktura 42"
    for kind, value, code in [
        (ReferenceKind.KID, "12345678904", RuleCode.WRONG_FORMAT),
        (ReferenceKind.OCR, "1234567", RuleCode.WRONG_FORMAT),
        (ReferenceKind.MESSAGE, " ", RuleCode.EMPTY),
        (ReferenceKind.MESSAGE, "x" * 141, RuleCode.TOO_LONG),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            PaymentReference.of(kind, value)
        assert caught.value.first.code is code, (kind, value)


def test_invoice_details_refuse_a_negative_amount_and_a_currency_that_is_no_code() -> None:
    with pytest.raises(ValidationFailed) as caught:
        InvoiceDetails(due_date=date(2027, 1, 31), amount=Decimal("-1"), currency="kr")
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("amount", RuleCode.INVALID),
        ("currency", RuleCode.WRONG_FORMAT),
    ]


def test_a_swedish_bankgiro_invoice_with_ocr_is_payable_and_autogiro_is_not() -> None:
    invoice = InvoiceDetails(
        due_date=date(2027, 1, 31),
        amount=Decimal("1250.00"),
        currency="SEK",
        reference=PaymentReference.of(ReferenceKind.OCR, "1234566"),
        account=PaymentAccount.of(AccountKind.BANKGIRO, BANKGIRO),
        invoice_number="F-1001",
    )
    assert invoice.payable_by_hand
    assert InvoiceDetails.from_data(invoice.as_data()) == invoice
    autogiro = InvoiceDetails(date(2027, 1, 31), Decimal(10), "SEK", payment_type=PaymentType.DIRECT_DEBIT)
    assert not autogiro.payable_by_hand


OSLO_EVENING = datetime.fromisoformat("2027-01-30T23:30:00+00:00")
"""Already 31 January in Norway."""


def test_digiposts_invoice_becomes_the_neutral_value() -> None:
    digipost = Invoice(
        due_date=OSLO_EVENING, sum=Decimal("1005.50"), creditor_account="86011117947", kid=VALID_KID
    )
    details = invoice_details(digipost)
    assert details == InvoiceDetails(
        due_date=date(2027, 1, 31),
        amount=Decimal("1005.50"),
        currency="NOK",
        reference=PaymentReference(ReferenceKind.KID, VALID_KID),
        account=PaymentAccount(AccountKind.NORWEGIAN_ACCOUNT, "86011117947"),
        payment_type=PaymentType.INVOICE,
    )
    assert invoice_details_of_document(datatype_to_dict(digipost)) == details


def test_digiposts_inkasso_is_debt_collection_and_may_leave_out_sum_and_account() -> None:
    notice = invoice_details(Inkasso(due_date=OSLO_EVENING, kid="ABC-123"))
    assert notice.payment_type is PaymentType.DEBT_COLLECTION
    assert (notice.amount, notice.account, notice.due_date) == (None, None, date(2027, 1, 31))
    assert notice.reference == PaymentReference(ReferenceKind.MESSAGE, "ABC-123"), "Digipost takes any text"
    assert not notice.payable_by_hand
    assert invoice_details_of_document({"kind": "appointment"}) is None
    assert invoice_details_of_document(None) is None


def test_default_channel_options_store_nothing_and_the_rest_round_trips() -> None:
    assert channel_options_to_json(ChannelOptions()) is None
    assert channel_options_from_json(None) == ChannelOptions()
    options = ChannelOptions(
        mailbox_providers=(MailboxProvider.KIVRA, MailboxProvider.POSTBUD),
        business_inbox_for_persons=True,
        print_layout=PrintLayout(
            window=RIGHT_WINDOW,
            address_placement=AddressPlacement.DOCUMENT,
            protected_identity=True,
            protected_identifier="19811228-9874",
        ),
        einvoice_format=EInvoiceFormat.SVEFAKTURA_2_INVOICE,
        invoice=InvoiceDetails(
            date(2027, 1, 31), Decimal("99.90"), "SEK", payment_type=PaymentType.CREDIT_NOTE
        ),
        notice=NoticePlan(
            NoticeChannelChoice.SMS_PREFERRED,
            template=NoticeTemplate.GENERIC,
            language=NoticeLanguage.NN,
            texts=NoticeTexts(sms_body="Hei"),
            resource_name="Bostøtte",
            reminder=ReminderPlan(
                after=timedelta(days=1), choice=NoticeChannelChoice.EMAIL, texts=NoticeTexts("S", "B")
            ),
        ),
    )
    stored = channel_options_to_json(options)
    assert stored is not None
    assert channel_options_from_json(stored) == options

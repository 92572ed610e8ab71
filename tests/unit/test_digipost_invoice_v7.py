"""A v7 invoice document (xsi:type="invoice") read into the core's invoice or inkasso datatype."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.invoice_v7 import is_invoice
from postbud.dialects.digipost.message_in import ParsedMessage, read_message
from postbud.dialects.digipost.schema import namespace, validate
from postbud.domain.datatypes import Inkasso, Invoice, datatype_from_dict
from postbud.domain.identifiers import (
    InvalidIdentifier,
    generate_kid,
    generate_norwegian_account,
    kid,
    norwegian_account,
)

V7 = namespace(7)
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PRIMARY = "9af46585-9fef-41fb-adf9-da120fc5bb9d"
ATTACHMENT = "0b3a3b53-5d0e-4b4f-9b0c-6d3cf1b0f2a1"
RNG = random.Random(7)
KID = generate_kid(RNG, 12)
MOD11_KID = generate_kid(RNG, 9, "mod11")
ACCOUNT = generate_norwegian_account(RNG)


def broken(value: str, check: Callable[[str], str]) -> str:
    """``value`` with another last digit, one that fails ``check``."""
    for digit in "0123456789":
        candidate = value[:-1] + digit
        try:
            check(candidate)
        except InvalidIdentifier:
            return candidate
    raise AssertionError(f"every last digit of {value} passes")


def invoice_fields(
    *, kid: str | None = KID, amount: str = "1005", account: str = ACCOUNT, due: str = "2030-01-31"
) -> str:
    kid_element = f"<kid>{kid}</kid>" if kid is not None else ""
    return f"{kid_element}<amount>{amount}</amount><account>{account}</account><due-date>{due}</due-date>"


def message(
    fields: str = "",
    *,
    subject: str = "Faktura",
    primary_type: str | None = "invoice",
    attachment: str = "",
    prefix: str = "",
) -> etree._Element:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{V7}"' if prefix else f'xmlns="{V7}"'
    typed = f' xsi:type="{p}{primary_type}"' if primary_type else ""
    xml = (
        f'<{p}message {xmlns} xmlns:xsi="{XSI}"><{p}recipient><{p}personal-identification-number>'
        f"15108695088</{p}personal-identification-number></{p}recipient>"
        f"<{p}primary-document{typed}><{p}uuid>{PRIMARY}</{p}uuid><{p}subject>{subject}</{p}subject>"
        f"<{p}file-type>pdf</{p}file-type>{fields}</{p}primary-document>{attachment}</{p}message>"
    )
    root = etree.fromstring(xml)
    assert validate(root, 7) == [], validate(root, 7)
    return root


def read(root: etree._Element) -> ParsedMessage:
    return read_message(root, V7, {PRIMARY: b"%PDF-1.4", ATTACHMENT: b"%PDF-1.4"})


def rejected(root: etree._Element) -> DigipostError:
    with pytest.raises(DigipostError) as caught:
        read(root)
    return caught.value


def test_an_invoice_document_becomes_the_invoice_datatype() -> None:
    document = read(message(invoice_fields())).documents[0]
    assert document.datatype is not None
    invoice = datatype_from_dict("invoice", document.datatype)
    assert isinstance(invoice, Invoice)
    assert invoice.kid == KID
    assert invoice.sum == Decimal(1005)
    assert invoice.creditor_account == ACCOUNT
    assert invoice.due_date == datetime(2030, 1, 31, tzinfo=ZoneInfo("Europe/Oslo"))
    assert document.title == "Faktura"


def test_the_kid_is_optional_and_may_be_mod11() -> None:
    without = read(message(invoice_fields(kid=None))).documents[0].datatype
    assert without is not None
    assert "kid" not in without
    mod11 = read(message(invoice_fields(kid=MOD11_KID))).documents[0].datatype
    assert mod11 is not None
    assert mod11["kid"] == MOD11_KID


def test_an_inkasso_subject_makes_a_debt_collection_notice() -> None:
    document = read(message(invoice_fields(), subject="[INKASSO] Purring")).documents[0]
    assert document.datatype is not None
    notice = datatype_from_dict("inkasso", document.datatype)
    assert isinstance(notice, Inkasso)
    assert (notice.account, notice.kid, notice.sum) == (ACCOUNT, KID, Decimal(1005))


def test_a_due_date_with_a_time_zone_keeps_its_day() -> None:
    datatype = read(message(invoice_fields(due="2030-01-31+05:00"))).documents[0].datatype
    assert datatype is not None
    assert datatype["due_date"] == "2030-01-31T00:00:00+01:00"


def test_an_invoice_attachment_carries_its_own_invoice() -> None:
    attachment = (
        f'<attachment xsi:type="invoice"><uuid>{ATTACHMENT}</uuid><subject>Faktura 2</subject>'
        f"<file-type>pdf</file-type>{invoice_fields(amount='12.50')}</attachment>"
    )
    primary, second = read(message(primary_type=None, attachment=attachment)).documents
    assert primary.datatype is None
    assert second.datatype is not None
    assert (second.datatype["kind"], second.datatype["sum"]) == ("invoice", "12.50")


def test_a_prefixed_document_type_is_resolved_by_namespace() -> None:
    fields = invoice_fields().replace("</", "</dp:").replace("<", "<dp:").replace("<dp:/dp:", "</dp:")
    root = message(fields, prefix="dp")
    primary = root.find(f"{{{V7}}}primary-document")
    assert primary is not None
    assert is_invoice(primary)
    datatype = read(root).documents[0].datatype
    assert datatype is not None
    assert datatype["kind"] == "invoice"


def test_a_plain_document_is_no_invoice() -> None:
    assert read(message(primary_type=None)).documents[0].datatype is None


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        (
            invoice_fields(kid=broken(KID, kid)),
            "VALIDATION_FAILED",
            "primary-document/kid",
        ),
        (invoice_fields(kid="12345-"), "VALIDATION_FAILED", "primary-document/kid"),
        (
            invoice_fields(account=broken(ACCOUNT, norwegian_account)),
            "VALIDATION_FAILED",
            "primary-document/account",
        ),
        (invoice_fields(amount="0"), "INVALID_MONETARY_AMOUNT", "primary-document/amount"),
        (invoice_fields(amount="-10.00"), "INVALID_MONETARY_AMOUNT", "primary-document/amount"),
    ],
)
def test_bad_payment_details_are_refused_naming_the_field(fields: str, code: str, field: str) -> None:
    error = rejected(message(fields))
    assert error.code == code
    assert error.status == 400
    assert error.error_type == "CLIENT_DATA"
    assert error.message.startswith(f"{field}: ")


def test_digipost_documentation_example_values_fail_the_check_digits() -> None:
    # The KID and account in Digipost's own v7 invoice example are placeholders that fail MOD10/MOD11.
    error = rejected(message(invoice_fields(kid="123456787542312300000", account="45278968788")))
    assert error.message.startswith("primary-document/kid: ")

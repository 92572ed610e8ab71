"""Reading ``request-for-registration`` and ``sms-notification`` from a Digipost message."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.message_in import ParsedMessage, read_message
from postbud.dialects.digipost.schema import validate
from postbud.domain.channels import Channel
from postbud.domain.shipments import RegistrationRequest

V8 = "http://api.digipost.no/schema/v8"
DOC = "6d99008e-2672-4b55-9b09-996b09a06e47"
PIN = "<personal-identification-number>31129956715</personal-identification-number>"
PRINT_DETAILS = (
    "<print-details><recipient><name>Kari Nordmann</name><norwegian-address>"
    "<addressline1>Storgata 1</addressline1><zip-code>0155</zip-code><city>Oslo</city>"
    "</norwegian-address></recipient><return-address><name>Testkommune</name><norwegian-address>"
    "<zip-code>0150</zip-code><city>Oslo</city></norwegian-address></return-address></print-details>"
)


def _read(registration: str = "", *, recipient: str = PIN, document_extra: str = "") -> ParsedMessage:
    xml = (
        f'<message xmlns="{V8}"><recipient>{recipient}</recipient>'
        f"<primary-document><uuid>{DOC}</uuid><subject>Vedtak</subject><file-type>pdf</file-type>"
        f"{document_extra}</primary-document>{registration}</message>"
    )
    root = etree.fromstring(xml.encode())
    assert validate(root, 8) == []
    return read_message(root, V8, {DOC: b"%PDF-1.4"})


def _registration(inner: str = "") -> str:
    return (
        "<request-for-registration><registration-deadline>2030-01-15T12:00:00+01:00</registration-deadline>"
        f"{inner}</request-for-registration>"
    )


def test_the_request_becomes_a_core_value_and_its_print_details_the_fallback() -> None:
    parsed = _read(
        _registration(
            f"<phone-number>91234567</phone-number><email-address>Kari@Example.no</email-address>{PRINT_DETAILS}"
        )
    )
    assert parsed.registration == RegistrationRequest(
        datetime(2030, 1, 15, 11, tzinfo=UTC), "+4791234567", "Kari@example.no"
    )
    assert parsed.print_instructions is not None
    assert parsed.print_instructions.recipient.lines == ("Storgata 1",)
    assert parsed.channels == (Channel.DIGITAL_MAILBOX,)
    assert not parsed.direct_to_print


def test_only_the_deadline_is_required() -> None:
    parsed = _read(_registration())
    assert parsed.registration is not None
    assert (parsed.registration.mobile, parsed.registration.email) == (None, None)
    assert parsed.print_instructions is None


def test_a_message_without_the_element_has_no_registration() -> None:
    assert _read().registration is None


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("91234567", "+4791234567"),  # exactly 8 characters: Norwegian
        ("+4791234567", "+4791234567"),
        ("004791234567", "+4791234567"),
        ("0114791234567", "+4791234567"),
        ("+46701234567", "+46701234567"),
        (" 91234567 ", "+4791234567"),
    ],
)
def test_phone_numbers_by_digiposts_rule(raw: str, e164: str) -> None:
    parsed = _read(_registration(f"<phone-number>{raw}</phone-number>"))
    assert parsed.registration is not None
    assert parsed.registration.mobile == e164


@pytest.mark.parametrize("raw", ["912345678", "9123456", "4791234567", "+47 123", "9123456x"])
def test_other_phone_numbers_are_rejected_naming_the_field(raw: str) -> None:
    with pytest.raises(DigipostError) as raised:
        _read(_registration(f"<phone-number>{raw}</phone-number>"))
    assert raised.value.code == "INVALID_PHONE_NUMBER"
    assert raised.value.status == 400
    assert "request-for-registration/phone-number" in raised.value.message


def test_a_bad_email_address_is_rejected_naming_the_field() -> None:
    with pytest.raises(DigipostError) as raised:
        _read(_registration("<email-address>kari@</email-address>"))
    assert raised.value.code == "INVALID_EMAIL_ADDRESS"
    assert "request-for-registration/email-address" in raised.value.message


@pytest.mark.parametrize(
    "recipient",
    [
        "<organisation-number>974760673</organisation-number>",
        "<digipost-address>kari.nordmann#1A2B</digipost-address>",
    ],
)
def test_the_recipient_must_be_a_person_by_pin(recipient: str) -> None:
    with pytest.raises(DigipostError) as raised:
        _read(_registration(), recipient=recipient)
    assert raised.value.code == "VALIDATION_FAILED"
    assert "personal-identification-number" in raised.value.message


def test_sms_after_hours_is_read_from_the_element_text() -> None:
    sms = "<sms-notification><after-hours>24</after-hours><after-hours> 72 </after-hours></sms-notification>"
    (notification,) = _read(document_extra=sms).notifications
    assert (notification.channel, notification.after_hours) == (Channel.SMS, (24, 72))

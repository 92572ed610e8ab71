"""The pure rules of SMS mailings (numbers, sender name, text, batches) and of the sandbox's EDI
operator (who answers what, and when)."""

from __future__ import annotations

import pytest

from postbud.domain.edi import (
    EdiSenderDetails,
    InvitationStatus,
    Outcome,
    next_step,
    sandbox_outcome,
    validate_sender,
)
from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.sms_mailings import MAX_RECIPIENTS, SmsMailingRequest, batches, plan_mailing


def _plan(numbers: list[object], *, name: str | None = "Eko", text: str = "Hej") -> list[str]:
    return plan_mailing(SmsMailingRequest(name, text, numbers, "SE")).numbers


def test_numbers_are_e164_each_once_in_the_order_given() -> None:
    assert _plan(["070-123 45 67", "+4791234567", "0046701234567", 46707654321]) == [
        "+46701234567",
        "+4791234567",
        "+46707654321",
    ]


@pytest.mark.parametrize(
    ("numbers", "field", "code"),
    [
        ([], "recipients", RuleCode.REQUIRED),
        (["0701234567"] * (MAX_RECIPIENTS + 1), "recipients", RuleCode.TOO_MANY),
        (["0701234567", "08-123 456 78"], "recipients[1]", RuleCode.WRONG_FORMAT),
        (["0701234567", True], "recipients[1]", RuleCode.WRONG_FORMAT),
        (["12"], "recipients[0]", RuleCode.WRONG_FORMAT),
    ],
)
def test_a_bad_recipient_list_names_the_field(numbers: list[object], field: str, code: RuleCode) -> None:
    with pytest.raises(ValidationFailed) as error:
        _plan(numbers)
    assert (error.value.first.field, error.value.first.code) == (field, code)


@pytest.mark.parametrize(
    ("name", "text", "field", "code"),
    [
        (None, "Hej", "sender_name", RuleCode.REQUIRED),
        ("  ", "Hej", "sender_name", RuleCode.REQUIRED),
        ("Tolv tecken!", "Hej", "sender_name", RuleCode.TOO_LONG),
        ("Eko", " \n", "text", RuleCode.EMPTY),
        ("Eko", "x" * 1601, "text", RuleCode.TOO_LONG),
    ],
)
def test_sender_name_and_text_rules(name: str | None, text: str, field: str, code: RuleCode) -> None:
    with pytest.raises(ValidationFailed) as error:
        _plan(["0701234567"], name=name, text=text)
    assert (error.value.first.field, error.value.first.code) == (field, code)


def test_a_numeric_sender_name_may_have_fifteen_characters() -> None:
    assert plan_mailing(SmsMailingRequest("+46123456789012", "Hej", ["0701234567"], "SE")).sender_name
    with pytest.raises(ValidationFailed) as error:
        plan_mailing(SmsMailingRequest("+461234567890123", "Hej", ["0701234567"], "SE"))
    assert error.value.first.code is RuleCode.TOO_LONG


def test_batches_cover_every_position_once() -> None:
    assert list(batches(1001, 500)) == [(0, 500), (500, 1000), (1000, 1001)]
    assert list(batches(0)) == []


@pytest.mark.parametrize(
    ("gln", "can_be_paid", "outcome"),
    [
        ("7359999999905", True, Outcome.APPROVE),
        ("7359999999974", True, Outcome.DENY),
        ("7359999999981", True, Outcome.NO_ANSWER),
        ("7359999999998", True, Outcome.INSUFFICIENT),
        ("7359999999905", False, Outcome.INSUFFICIENT),
    ],
)
def test_the_sandbox_receiver_answers_by_its_gln(gln: str, can_be_paid: bool, outcome: Outcome) -> None:
    assert sandbox_outcome(gln, can_be_paid) is outcome


def _path(outcome: Outcome) -> list[InvitationStatus]:
    status, path = InvitationStatus.REGISTERED, [InvitationStatus.REGISTERED]
    while (step := next_step(status, outcome)) is not None:
        status = step.status
        path.append(status)
    return path


def test_each_outcome_is_a_path_of_statuses_that_ends() -> None:
    start = [InvitationStatus.REGISTERED, InvitationStatus.SENT, InvitationStatus.RECEIVED]
    assert _path(Outcome.APPROVE) == [*start, InvitationStatus.ANSWERED, InvitationStatus.CONNECTION_APPROVED]
    assert _path(Outcome.DENY) == [*start, InvitationStatus.ANSWERED, InvitationStatus.CONNECTION_DENIED]
    assert _path(Outcome.INSUFFICIENT) == [
        *start,
        InvitationStatus.ANSWERED,
        InvitationStatus.INSUFFICIENT_INFORMATION,
    ]
    assert _path(Outcome.NO_ANSWER) == [*start, InvitationStatus.REMINDER_SENT, InvitationStatus.EXPIRED]


def test_a_sender_is_normalised_and_a_bad_identifier_names_its_field() -> None:
    checked = validate_sender(
        EdiSenderDetails(name=" Leverantören AB ", cin="556838-4118", country_code="se", bankgiro="5050-1055")
    )
    assert (checked.name, checked.cin, checked.country_code, checked.bankgiro) == (
        "Leverantören AB",
        "5568384118",
        "SE",
        "50501055",
    )
    assert validate_sender(EdiSenderDetails(name="Norsk AS", cin="974760673")).cin == "974760673"
    with pytest.raises(ValidationFailed) as error:
        validate_sender(EdiSenderDetails(name="X", cin="5568384118", gln="7359999999900"))
    assert error.value.first.field == "gln"

"""Routing decisions: first allowed channel the recipient can take, then print, else not delivered."""

from __future__ import annotations

import uuid

import pytest

from postbud.domain.channels import Channel
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.domain.routing import RoutingRequest, decide_route

DIGITAL = (Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX)


def person(**caps: object) -> Recipient:
    return Recipient(uuid.uuid4(), parse_party_id("15108695088"), "Ola", Capabilities(**caps))  # type: ignore[arg-type]


def organisation(**caps: object) -> Recipient:
    return Recipient(uuid.uuid4(), parse_party_id("988077917"), "Firma AS", Capabilities(**caps))  # type: ignore[arg-type]


def test_person_with_mailbox_gets_digital_mailbox() -> None:
    decision = decide_route(RoutingRequest(DIGITAL), person(digital_mailbox=True))
    assert decision.channel is Channel.DIGITAL_MAILBOX


def test_reserved_person_falls_back_to_print_with_the_reason_recorded() -> None:
    decision = decide_route(
        RoutingRequest(DIGITAL, has_print_instructions=True), person(digital_mailbox=True, reserved=True)
    )
    assert decision.channel is Channel.PRINT
    assert any("reserved" in c for c in decision.considered)


def test_reservation_can_be_overridden_when_the_sender_may() -> None:
    request = RoutingRequest(DIGITAL, ignore_reservation=True)
    decision = decide_route(request, person(digital_mailbox=True, reserved=True))
    assert decision.channel is Channel.DIGITAL_MAILBOX


def test_organisation_goes_to_business_inbox() -> None:
    decision = decide_route(RoutingRequest(DIGITAL), organisation(business_inbox=True))
    assert decision.channel is Channel.BUSINESS_INBOX
    assert decision.considered == ("digital_mailbox: recipient has no digital mailbox",)


def test_person_never_gets_business_inbox() -> None:
    decision = decide_route(RoutingRequest(DIGITAL), person(business_inbox=True))
    assert decision.channel is None
    assert "business inbox is for organisations" in decision.reason


def test_email_when_asked_and_available() -> None:
    request = RoutingRequest((Channel.DIGITAL_MAILBOX, Channel.EMAIL))
    assert decide_route(request, person(email="ola@example.no")).channel is Channel.EMAIL


def test_explicit_email_address_needs_no_registered_recipient() -> None:
    request = RoutingRequest((Channel.EMAIL,), email_address="kari@example.no")
    assert decide_route(request, None).channel is Channel.EMAIL


def test_unknown_recipient_with_print_instructions_is_printed() -> None:
    decision = decide_route(RoutingRequest(DIGITAL, has_print_instructions=True), None)
    assert decision.channel is Channel.PRINT
    assert "print instructions" in decision.reason


def test_print_only_letter() -> None:
    assert decide_route(RoutingRequest((), has_print_instructions=True), None).channel is Channel.PRINT


@pytest.mark.parametrize("recipient", [None, person()])
def test_not_delivered_names_every_reason(recipient: Recipient | None) -> None:
    decision = decide_route(RoutingRequest(DIGITAL), recipient)
    assert decision.channel is None
    assert "digital_mailbox" in decision.reason
    assert "business_inbox" in decision.reason

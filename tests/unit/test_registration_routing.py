"""Routing with a request for registration: who waits for a mailbox, who gets one at once."""

from __future__ import annotations

import uuid

import pytest

from postbud.domain.channels import Channel
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.domain.routing import RoutingRequest, decide_route

PERSON = parse_party_id("31129956715")
ORGANISATION = parse_party_id("974760673")


def _person(**caps: object) -> Recipient:
    return Recipient(uuid.uuid4(), PERSON, "Kari Nordmann", Capabilities(**caps))  # type: ignore[arg-type]


def _request(**changes: object) -> RoutingRequest:
    fields: dict[str, object] = {"channels": (Channel.DIGITAL_MAILBOX,), "registration_requested": True}
    fields.update(changes)
    return RoutingRequest(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "recipient",
    [None, _person(), _person(mobile="+4791234567"), _person(reserved=True, digital_mailbox=False)],
    ids=["unknown person", "no mailbox", "no mailbox, has a mobile", "reserved, ignored"],
)
def test_a_person_without_a_mailbox_waits_for_registration(recipient: Recipient | None) -> None:
    ignore = recipient is not None and recipient.capabilities.reserved
    decision = decide_route(_request(ignore_reservation=ignore, has_print_instructions=True), recipient)
    assert (decision.channel, decision.pending) == (None, True)
    assert decision.as_data()["pending"] is True
    assert "register" in decision.reason


def test_a_person_with_a_mailbox_gets_it_digitally_at_once() -> None:
    decision = decide_route(_request(), _person(digital_mailbox=True))
    assert (decision.channel, decision.pending) == (Channel.DIGITAL_MAILBOX, False)
    assert "pending" not in decision.as_data()


def test_a_reserved_person_is_not_asked_and_falls_back_to_print() -> None:
    decision = decide_route(_request(has_print_instructions=True), _person(reserved=True))
    assert (decision.channel, decision.pending) == (Channel.PRINT, False)
    assert decision.considered == ("digital_mailbox: recipient has no digital mailbox",)


def test_an_organisation_cannot_register_a_personal_mailbox() -> None:
    organisation = Recipient(uuid.uuid4(), ORGANISATION, "Testbedrift AS", Capabilities())
    decision = decide_route(_request(), organisation)
    assert (decision.channel, decision.pending) == (None, False)


def test_without_a_request_there_is_no_waiting() -> None:
    decision = decide_route(_request(registration_requested=False), _person())
    assert (decision.channel, decision.pending) == (None, False)
    print_decision = decide_route(_request(registration_requested=False, has_print_instructions=True), None)
    assert print_decision.channel is Channel.PRINT


def test_waiting_needs_the_digital_mailbox_among_the_allowed_channels() -> None:
    decision = decide_route(_request(channels=(Channel.EMAIL,)), _person())
    assert (decision.channel, decision.pending) == (None, False)

"""Routing with mailbox providers and the sender's preference, and the business inbox for persons."""

from __future__ import annotations

import uuid

from postbud.domain.channels import Channel
from postbud.domain.identifiers import parse_party_id
from postbud.domain.mailboxes import MailboxProvider, choose_mailbox
from postbud.domain.parties import Capabilities, Recipient
from postbud.domain.routing import RoutingRequest, decide_route

KIVRA, POSTBUD = MailboxProvider.KIVRA, MailboxProvider.POSTBUD


def swede(**caps: object) -> Recipient:
    return Recipient(uuid.uuid4(), parse_party_id("se:198112289874"), "Sven Svensson", Capabilities(**caps))  # type: ignore[arg-type]


def norwegian_org(**caps: object) -> Recipient:
    return Recipient(uuid.uuid4(), parse_party_id("974761076"), "Skatteetaten", Capabilities(**caps))  # type: ignore[arg-type]


def test_the_recipients_providers_come_from_their_mailboxes() -> None:
    assert swede().capabilities.mailbox_providers == frozenset()
    assert swede(digital_mailbox=True).capabilities.mailbox_providers == {POSTBUD}
    assert swede(kivra=True).capabilities.mailbox_providers == {KIVRA}
    assert swede(digital_mailbox=True, kivra=True).capabilities.mailbox_providers == {POSTBUD, KIVRA}


def test_choose_mailbox_takes_the_senders_order() -> None:
    assert choose_mailbox((KIVRA, POSTBUD), {POSTBUD, KIVRA}) is KIVRA
    assert choose_mailbox((POSTBUD, KIVRA), {POSTBUD, KIVRA}) is POSTBUD
    assert choose_mailbox((KIVRA,), {POSTBUD}) is None
    assert choose_mailbox((), {POSTBUD}) is None


def test_a_sender_naming_no_provider_delivers_to_postbuds_own_inbox_as_digipost_did() -> None:
    decision = decide_route(RoutingRequest((Channel.DIGITAL_MAILBOX,)), swede(digital_mailbox=True))
    assert (decision.channel, decision.provider) == (Channel.DIGITAL_MAILBOX, POSTBUD)
    assert decision.as_data() == {
        "channel": Channel.DIGITAL_MAILBOX,
        "reason": "digital_mailbox is available",
        "considered": [],
        "provider": "postbud",
    }


def test_a_kivra_mailbox_is_not_used_unless_the_sender_delivers_to_kivra() -> None:
    kivra_only = swede(kivra=True)
    digipost_style = decide_route(RoutingRequest((Channel.DIGITAL_MAILBOX, Channel.EINVOICE)), kivra_only)
    assert digipost_style.channel is None, "a Kivra-style mailbox is a mailbox, and not e-invoice either"
    assert digipost_style.considered == (
        "digital_mailbox: recipient's digital mailbox is with kivra, the sender delivers to postbud",
        "einvoice: recipient takes no e-invoice",
    )
    to_kivra = decide_route(
        RoutingRequest((Channel.DIGITAL_MAILBOX,), mailbox_providers=(KIVRA,)), kivra_only
    )
    assert (to_kivra.channel, to_kivra.provider) == (Channel.DIGITAL_MAILBOX, KIVRA)
    assert to_kivra.as_data()["provider"] == "kivra"


def test_the_senders_preference_picks_among_the_recipients_mailboxes_and_says_why() -> None:
    request = RoutingRequest((Channel.DIGITAL_MAILBOX,), mailbox_providers=(KIVRA, POSTBUD))
    both = decide_route(request, swede(digital_mailbox=True, kivra=True))
    assert both.provider is KIVRA
    assert both.considered == ()
    postbud_only = decide_route(request, swede(digital_mailbox=True))
    assert postbud_only.provider is POSTBUD
    assert postbud_only.as_data()["considered"] == [
        "digital_mailbox via kivra: recipient has no kivra mailbox"
    ]


def test_a_reserved_person_gets_no_digital_post_from_any_provider() -> None:
    request = RoutingRequest((Channel.DIGITAL_MAILBOX,), mailbox_providers=(KIVRA,))
    decision = decide_route(request, swede(kivra=True, reserved=True))
    assert decision.channel is None
    assert "reserved" in decision.reason


def test_the_business_inbox_takes_a_person_only_where_the_api_says_so() -> None:
    person = swede(business_inbox=True)
    refused = decide_route(RoutingRequest((Channel.BUSINESS_INBOX,)), person)
    assert refused.channel is None
    assert refused.considered == ("business_inbox: the business inbox is for organisations",)

    allowed = RoutingRequest((Channel.BUSINESS_INBOX,), business_inbox_for_persons=True)
    decision = decide_route(allowed, person)
    assert (decision.channel, decision.provider) == (Channel.BUSINESS_INBOX, None)
    assert "provider" not in decision.as_data()

    without = decide_route(allowed, swede())
    assert without.considered == ("business_inbox: person has no business inbox",)


def test_an_organisations_business_inbox_is_as_before() -> None:
    assert decide_route(
        RoutingRequest((Channel.BUSINESS_INBOX,)), norwegian_org(business_inbox=True)
    ).channel is (Channel.BUSINESS_INBOX)
    missing = decide_route(RoutingRequest((Channel.BUSINESS_INBOX,)), norwegian_org())
    assert missing.considered == ("business_inbox: organisation has no business inbox",)

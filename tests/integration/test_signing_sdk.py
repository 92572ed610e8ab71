"""The Ekopost SDK sends a letter to sign in one call over real HTTP (SQLite and PostgreSQL): the
address reads back as an ``EinboxSignerAddress``, and once both signers have signed in their inbox
the envelope is ``posted`` and the sandbox captured the signed PDF mailed to ``info_mail``."""

from __future__ import annotations

import time
import uuid

from postbud.domain.channels import Channel
from postbud.sdk.ekopost import EinboxSignerAddress, Signer
from postbud.services.console.captures import capture_attachment, list_captures
from postbud.services.parties.recipients import get_recipient
from postbud.services.signing.sign import sign_document
from tests.integration.test_ekopost_fixtures import NO_PERSON_WITH_MAILBOX, SE_PERSON_WITH_MAILBOX, letter_pdf
from tests.integration.test_ekopost_sdk_fixtures import LiveEkopost, live, wait_for_state  # noqa: F401

INFO_MAIL = "avtal@ekokunden.se"


def test_the_sdk_sends_a_letter_to_sign_and_gets_it_posted(live: LiveEkopost) -> None:  # noqa: F811
    address = EinboxSignerAddress(
        info_mail=INFO_MAIL,
        signers=[
            Signer(email="tolvan@example.se", recipient=SE_PERSON_WITH_MAILBOX, issuer=True),
            Signer(email="ola@example.no", recipient=NO_PERSON_WITH_MAILBOX),
        ],
    )
    with live.client() as client:
        sent = client.send_letter(
            letter_pdf(body="Avtal"), address=address, name="Avtal", output_date="2026-01-01"
        )
        echoed = sent.envelope.address
        assert isinstance(echoed, EinboxSignerAddress)
        assert echoed.info_mail == INFO_MAIL
        assert [s.recipient for s in echoed.signers or ()] == [SE_PERSON_WITH_MAILBOX, NO_PERSON_WITH_MAILBOX]
        assert [s.issuer for s in echoed.signers or ()] == [True, False]
        assert sent.envelope.state == "closed"

        async def request_id() -> uuid.UUID | None:
            async with live.runtime.reader() as uow:
                request = await uow.signing.for_shipment(uuid.UUID(sent.envelope.id))
                return request.id if request is not None and request.opened_at is not None else None

        wait_for_state(client, sent.campaign.id, sent.envelope.id, "closed")
        deadline = time.monotonic() + 60
        while (found := live.run(request_id)) is None:  # the campaign's release invites the signers
            assert time.monotonic() < deadline, "the signers were never invited"
            time.sleep(0.05)
        for party in (SE_PERSON_WITH_MAILBOX, NO_PERSON_WITH_MAILBOX):
            person = live.run(lambda party=party: get_recipient(party, live.runtime))  # type: ignore[misc]
            live.run(lambda who=person.id: sign_document(live.runtime, found, who))  # type: ignore[misc]
        wait_for_state(client, sent.campaign.id, sent.envelope.id, "posted")

    captures = live.run(lambda: list_captures(live.runtime, channel=Channel.EMAIL)).captures
    to_info = [c for c in captures if c.captured.to == INFO_MAIL]
    assert len(to_info) == 1
    attachment, content = live.run(lambda: capture_attachment(live.runtime, to_info[0].captured.event_id, 1))
    assert attachment.content_type == "application/pdf"
    assert content.startswith(b"%PDF")
    assert b"/ETSI.CAdES.detached" in content

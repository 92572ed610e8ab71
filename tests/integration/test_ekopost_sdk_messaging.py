"""The Ekopost SDK's SMS and EDI calls against a live Postbud (real HTTP, SQLite and PostgreSQL):
typed answers, blocking and asyncio alike."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from postbud.sdk.ekopost import (
    AsyncEkopostClient,
    EdiInvitationStatus,
    EdiSender,
    EkopostApiError,
    EkopostNotFoundError,
    SmsMailing,
    SmsMailingState,
    SmsMailingStatus,
    SmsRecipientState,
)
from postbud.services.sandbox.clock import advance_clock
from tests.integration.test_ekopost_sdk_fixtures import LiveEkopost, live

__all__ = ["live"]
RECEIVER_GLN = "7359999999905"


def test_an_sms_mailing_is_sent_and_polled_until_every_recipient_is_sent(live: LiveEkopost) -> None:
    with live.client() as client:
        sent = client.send_sms(
            SmsMailing(text="Hej från SDK:n", from_name="Eko", recipients=["0701234567", "0707654321"])
        )
        assert isinstance(sent, SmsMailingStatus)
        assert sent.recipient_count == 2
        deadline = time.monotonic() + 30
        while not (status := client.sms_status(sent.id)).completed:
            assert time.monotonic() < deadline, status
            time.sleep(0.05)
        assert status.state == SmsMailingState.COMPLETED
        assert (status.sent_count, status.failed_count, status.queued_count) == (2, 0, 0)
        assert [r.recipient for r in status.recipients] == ["+46701234567", "+46707654321"]
        assert {r.state for r in status.recipients} == {SmsRecipientState.SENT}
        page = client.sms_status(sent.id, offset=1, limit=1)
        assert [r.recipient for r in page.recipients] == ["+46707654321"]
        assert page.next_offset is None
    with live.client(live.other_api_key) as other, pytest.raises(EkopostNotFoundError):
        other.sms_status(sent.id)


def test_a_broken_sms_rule_is_an_exception_with_its_code(live: LiveEkopost) -> None:
    with live.client() as client, pytest.raises(EkopostApiError) as error:
        client.send_sms(SmsMailing(text="Hej", from_name="Eko", recipients=["0812345678"]))
    assert (error.value.error_code, error.value.status) == ("131", 400)
    assert "recipients[0]" in error.value.developer_message


def test_an_edi_sender_invites_its_receiver_and_the_update_shows_the_sandbox_moving_it(
    live: LiveEkopost,
) -> None:
    async def scenario() -> list[int | None]:
        async with AsyncEkopostClient(live.base_url, live.api_key) as client:
            message = await client.edi_create_sender(
                EdiSender(name="Leverantören AB", cin="5568384118", gln=RECEIVER_GLN, bank_giro="5050-1055")
            )
            assert message is not None
            assert RECEIVER_GLN in message
            [invitation] = await client.edi_invitations()
            assert invitation.receiver_gln == RECEIVER_GLN
            assert invitation.date_sent is not None
            before = invitation.status
            await asyncio.to_thread(live.run, lambda: advance_clock(live.runtime, timedelta(days=2)))
            [updated] = await client.edi_update_invitations()
            return [before, updated.status]

    assert asyncio.run(scenario()) == [EdiInvitationStatus.SENT, EdiInvitationStatus.CONNECTION_APPROVED]

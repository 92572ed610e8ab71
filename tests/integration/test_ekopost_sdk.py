"""The Ekopost SDK against Postbud's Ekopost dialect in the whole app over real HTTP, on SQLite and
PostgreSQL: one letter to a digital mailbox (it lands in the person's inbox) and one to print (printed
and posted, the campaign completed), both auth forms, the asyncio client step by step and at the root
of the dialect's own port, reachability, and the send-one-letter helper cancelling what it started
when a step fails."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx2
import pytest

from postbud.sdk.ekopost import (
    AsyncEkopostClient,
    CampaignState,
    ContentType,
    EinboxAddress,
    EkopostApiError,
    EkopostClient,
    EkopostNotFoundError,
    EnvelopeState,
    NewCampaign,
    NewContent,
    NewEnvelope,
    Plex,
    Postage,
    PostalAddress,
    ReachableType,
)
from postbud.services.inbox.query import list_letters
from postbud.services.parties.recipients import get_recipient
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITHOUT_MAILBOX,
    SE_PERSON_WITH_MAILBOX,
    letter_pdf,
)
from tests.integration.test_ekopost_sdk_fixtures import LiveEkopost, live, wait_for_state

__all__ = ["live"]
DONE = (EnvelopeState.POSTED, EnvelopeState.FAILED, EnvelopeState.CANCELLED)


def test_one_letter_to_a_mailbox_lands_in_the_persons_inbox(live: LiveEkopost) -> None:
    with live.client() as client:
        sent = client.send_letter(
            letter_pdf(),
            address=EinboxAddress(recipient=SE_PERSON_WITH_MAILBOX, subject="Beslut"),
            name="Beslut 2026-17",
            attachments=[letter_pdf(body="Bilaga")],
        )
        assert sent.campaign.state == CampaignState.CLOSED
        assert sent.campaign.envelope_count == 1
        assert sent.envelope.state == EnvelopeState.CLOSED
        assert sent.document.type == ContentType.DOCUMENT
        assert [a.type for a in sent.attachments] == [ContentType.ATTACHMENT]
        assert len(set(sent.content_ids)) == 2

        envelope = wait_for_state(client, sent.campaign_id, sent.envelope_id, *DONE)
        assert envelope.state == EnvelopeState.POSTED
        assert envelope.address == EinboxAddress(recipient=SE_PERSON_WITH_MAILBOX, subject="Beslut")
        assert envelope.transaction is not None
        assert envelope.transaction.state == EnvelopeState.POSTED
        document = client.get_content(sent.campaign_id, sent.envelope_id, sent.document.id)
        assert document.length == len(letter_pdf())
        assert document.mime == "application/pdf"

    async def inbox() -> list[uuid.UUID]:
        recipient = await get_recipient(SE_PERSON_WITH_MAILBOX, live.runtime)
        page = await list_letters(live.runtime, recipient.id)
        return [letter.shipment_id for letter in page.letters]

    assert uuid.UUID(sent.envelope_id) in live.run(inbox)


def test_one_letter_to_print_is_printed_and_posted_with_basic_auth(live: LiveEkopost) -> None:
    with EkopostClient(live.base_url, username=live.orgnr, password=live.api_key) as client:
        sent = client.send_letter(letter_pdf(), plex=Plex.DUPLEX, postage=Postage.ECONOMY)
        seen = set()
        deadline = time.monotonic() + 60
        while (envelope := client.get_envelope(sent.campaign_id, sent.envelope_id)).state not in DONE:
            seen.add(envelope.state)
            assert time.monotonic() < deadline, f"the envelope stayed {envelope.state}"
            time.sleep(0.05)
        assert envelope.state == EnvelopeState.POSTED, envelope.failed_reason
        # A null address is postal, its address read from the document's window.
        assert isinstance(envelope.address, PostalAddress)
        assert not envelope.address.use_coverpage
        assert envelope.plex == Plex.DUPLEX
        assert envelope.postage == Postage.ECONOMY
        assert seen <= {EnvelopeState.CLOSED, EnvelopeState.TRANSFERRED, EnvelopeState.PRINTED}
        deadline = time.monotonic() + 30
        while (campaign := client.get_campaign(sent.campaign_id)).state != CampaignState.COMPLETED:
            assert time.monotonic() < deadline, f"the campaign stayed {campaign.state}"
            time.sleep(0.05)
        assert campaign.state_changed_at is not None
        assert campaign.created_at is not None
        assert campaign.state_changed_at >= campaign.created_at


def test_a_registered_letter_with_a_cover_page_is_tracked(live: LiveEkopost) -> None:
    address = PostalAddress(
        name=["Tolvan Tolvansson"],
        street=["Storgatan 1"],
        postal_code="12345",
        city="Stockholm",
        country="SE",
        use_coverpage=True,
    )
    with live.client() as client:
        sent = client.send_letter(letter_pdf(()), address=address, postage=Postage.REK)
        envelope = wait_for_state(client, sent.campaign_id, sent.envelope_id, *DONE)
        assert envelope.state == EnvelopeState.POSTED
        assert envelope.address == address
        assert envelope.tracking is not None
        assert envelope.tracking.parcel_no
        assert envelope.tracking.tracking_url is not None
        assert envelope.tracking.parcel_no in envelope.tracking.tracking_url


def test_both_auth_forms_and_refused_credentials(live: LiveEkopost) -> None:
    with live.client() as by_key:
        made = by_key.create_campaign(NewCampaign(name="Nyckel"))
    with EkopostClient(live.base_url, username=live.orgnr, password=live.api_key) as by_login:
        assert by_login.get_campaign(made.id) == made
    refused = [
        EkopostClient(live.base_url, "not-a-key"),
        EkopostClient(live.base_url, username=live.orgnr, password="wrong"),
        EkopostClient(live.base_url, username="5560360793", password=live.api_key),
    ]
    for client in refused:
        with client, pytest.raises(EkopostApiError) as error:
            client.list_campaigns()
        assert (error.value.status, error.value.error_code) == (400, "0")
        assert error.value.error_message == "Invalid basic authentication token."
    with live.client(live.other_api_key) as other, pytest.raises(EkopostNotFoundError) as missing:
        other.get_campaign(made.id)
    assert (missing.value.status, missing.value.error_code) == (404, "106")


def test_the_async_client_step_by_step(live: LiveEkopost) -> None:
    async def flow() -> None:
        async with AsyncEkopostClient(live.base_url, live.api_key) as client:
            campaign = await client.create_campaign(
                NewCampaign(name="Async", output_date="2026-01-01", cost_center="K-17")
            )
            envelope = await client.create_envelope(
                campaign.id, NewEnvelope(name="Brev", color=True, unique_id=f"ext-{uuid.uuid4()}")
            )
            assert envelope.state == EnvelopeState.OPENED
            assert envelope.color is True
            document = await client.create_content(
                campaign.id, envelope.id, NewContent.document(letter_pdf())
            )
            again = await client.get_content(campaign.id, envelope.id, document.id)
            assert again.id == document.id
            assert [e.id for e in await client.list_envelopes(campaign.id)] == [envelope.id]
            assert await client.list_envelopes(campaign.id, state=EnvelopeState.CLOSED) == []
            closed = await client.close_envelope(campaign.id, envelope.id)
            assert closed.state == EnvelopeState.CLOSED
            assert closed.unique_id == envelope.unique_id
            closed_campaign = await client.close_campaign(campaign.id)
            assert closed_campaign.state == CampaignState.CLOSED
            assert closed_campaign.cost_center == "K-17"
            listed = await client.list_campaigns(name="Async")
            assert [c.id for c in listed] == [campaign.id]
            assert await client.list_failed_envelopes(campaign.id) == []

    asyncio.run(flow())


def test_the_async_client_at_the_root_of_the_dialects_own_port(live: LiveEkopost) -> None:
    """As a client with Ekopost's own host name would reach ``postbud serve --ekopost-port``."""
    own_port = live.app.app.state.dialect_port_apps["ekopost"]

    async def at_the_root() -> tuple[str, str]:
        transport = httpx2.ASGITransport(app=own_port)
        async with AsyncEkopostClient(
            "http://api.sandbox.ekopost.se", live.api_key, transport=transport
        ) as client:
            campaign = await client.create_campaign(NewCampaign(name="Roten"))
            got = await client.get_campaign(campaign.id)
            return campaign.id, got.id

    made, got = live.run(at_the_root)
    assert made == got


def test_reachability(live: LiveEkopost) -> None:
    with live.client() as client:
        assert client.reachable(ReachableType.EINBOX, SE_PERSON_WITH_MAILBOX) == SE_PERSON_WITH_MAILBOX
        assert client.reachable(ReachableType.EINBOX, NO_PERSON_WITHOUT_MAILBOX) is None
        found = client.reachable_many("einbox", [SE_PERSON_WITH_MAILBOX, NO_PERSON_WITHOUT_MAILBOX])
        assert found == [SE_PERSON_WITH_MAILBOX]
        assert client.ebank_receivers() == []
        assert client.peppol_lookup("Ingen Alls AB") == []
        ready = client.einvoice_ready(receiver_cin="5565475489", sender_cin=live.orgnr)
        assert ready.receiver_cin == "5565475489"
        assert ready.success is False
        assert ready.error_message


def test_send_letter_cancels_its_campaign_when_a_step_fails(live: LiveEkopost) -> None:
    with live.client() as client:
        with pytest.raises(EkopostApiError) as error:
            client.send_letter(b"%PDF-1.4 not really", name="Trasig")
        assert error.value.error_code == "107"
        (campaign,) = client.list_campaigns(name="Trasig")
        assert campaign.state == CampaignState.CANCELLED


def test_a_failed_envelope_is_listed_with_its_reason(live: LiveEkopost) -> None:
    """An einbox letter to a person with no mailbox, and no address in its window to print by."""
    with live.client() as client:
        sent = client.send_letter(letter_pdf(()), address=EinboxAddress(recipient=NO_PERSON_WITHOUT_MAILBOX))
        envelope = wait_for_state(client, sent.campaign_id, sent.envelope_id, *DONE)
        assert envelope.state == EnvelopeState.FAILED
        assert envelope.failed_reason
        failed = client.list_failed_envelopes(sent.campaign_id, address_type="einbox")
        assert [(e.id, e.failed_reason) for e in failed] == [(envelope.id, envelope.failed_reason)]
        assert client.list_failed_envelopes(sent.campaign_id, address_type="email") == []
        deadline = time.monotonic() + 30
        while (campaign := client.get_campaign(sent.campaign_id)).state != CampaignState.FAILED:
            assert time.monotonic() < deadline, f"the campaign stayed {campaign.state}"
            time.sleep(0.05)


def test_cancelling_an_envelope_and_a_campaign(live: LiveEkopost) -> None:
    with live.client() as client:
        campaign = client.create_campaign(NewCampaign(name="Ångrad", output_date="2099-01-01 08:00:00"))
        dropped = client.create_envelope(campaign.id, NewEnvelope(name="Bort"))
        kept = client.create_envelope(campaign.id, NewEnvelope(name="Kvar"))
        client.create_content(campaign.id, kept.id, NewContent.document(letter_pdf()))
        assert client.cancel_envelope(campaign.id, dropped.id).state == EnvelopeState.CANCELLED
        assert client.close_envelope(campaign.id, kept.id).state == EnvelopeState.CLOSED
        closed = client.close_campaign(campaign.id)  # held until 2099
        assert closed.state == CampaignState.CLOSED
        cancelled = client.cancel_campaign(campaign.id)
        assert cancelled.state == CampaignState.CANCELLED
        states = {e.name: e.state for e in client.list_envelopes(campaign.id)}
        assert states == {"Bort": EnvelopeState.CANCELLED, "Kvar": EnvelopeState.CANCELLED}
        with pytest.raises(EkopostApiError) as again:
            client.cancel_campaign(campaign.id)
        assert again.value.error_code == "127"

"""The SDK's webhook helpers on a real "campaign completed" delivery: Postbud posts it to a recording
receiver when a campaign sent through the SDK ends; ``read_campaign_completed`` accepts it as
delivered and refuses it with a changed body or another secret."""

from __future__ import annotations

import time
import uuid

import pytest

from postbud.sdk.ekopost import (
    SIGNATURE_HEADER,
    CampaignState,
    EinboxAddress,
    EnvelopeState,
    NewCampaign,
    NewContent,
    NewEnvelope,
    WebhookSignatureError,
    read_campaign_completed,
    verify_signature,
)
from postbud.services.letters.query import get_shipment
from postbud.webhooks.manage import add_webhook
from tests.integration.core_plugins_receiver import recording_receiver
from tests.integration.test_ekopost_fixtures import NO_PERSON_WITH_MAILBOX, letter_pdf
from tests.integration.test_ekopost_sdk_fixtures import LiveEkopost, live

__all__ = ["live"]


def test_a_campaign_completed_webhook_is_verified_and_read(live: LiveEkopost) -> None:
    with recording_receiver() as receiver, live.client() as client:
        campaign = client.create_campaign(NewCampaign(name="Webhook"))
        address = EinboxAddress(recipient=NO_PERSON_WITH_MAILBOX)
        envelopes = [client.create_envelope(campaign.id, NewEnvelope(address=address)) for _ in range(2)]
        first = uuid.UUID(envelopes[0].id)
        sender_id = live.run(lambda: get_shipment(first, live.runtime)).shipment.sender_id
        _, secret = live.run(
            lambda: add_webhook(
                live.runtime, sender_id, receiver.url("eko"), ["batch.completed"], format="ekopost"
            )
        )
        for envelope in envelopes:
            client.create_content(campaign.id, envelope.id, NewContent.document(letter_pdf()))
            client.close_envelope(campaign.id, envelope.id)
        client.close_campaign(campaign.id)
        deadline = time.monotonic() + 60
        while not receiver.at("eko"):
            assert time.monotonic() < deadline, "no webhook arrived"
            time.sleep(0.1)
        (request,) = receiver.at("eko")

    signature = request.headers[SIGNATURE_HEADER.lower()]
    completed = read_campaign_completed(request.body, signature, secret)
    assert completed.campaign.id == campaign.id
    assert completed.campaign.state == CampaignState.COMPLETED
    assert completed.state == CampaignState.COMPLETED
    assert completed.campaign.envelope_count == 2
    assert {e.id for e in completed.envelopes} == {e.id for e in envelopes}
    assert {e.state for e in completed.envelopes} == {EnvelopeState.POSTED}

    assert not verify_signature(request.body, signature, "another secret")
    with pytest.raises(WebhookSignatureError):
        read_campaign_completed(request.body.replace(b"completed", b"cancelled", 1), signature, secret)
    with pytest.raises(WebhookSignatureError):
        read_campaign_completed(request.body, None, secret)

"""The "campaign completed" webhook: a subscription of format ``ekopost`` gets the campaign and every
envelope's id and state when the campaign ends, signed ``X-Ekopost-Signature`` = hex HMAC-SHA1 of
the body with the subscription's secret, checked here by an independent HMAC."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid

from postbud.services.letters.query import get_shipment
from postbud.webhooks.manage import add_webhook
from tests.integration.core_plugins_receiver import recording_receiver
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITH_MAILBOX,
    Ekopost,
    content_body,
    ekopost,
    letter_pdf,
)

__all__ = ["ekopost"]


def test_a_completed_campaign_is_posted_signed_with_every_envelope(ekopost: Ekopost) -> None:
    with recording_receiver() as receiver:
        campaign = ekopost.campaign(output_date="2026-01-01")
        envelopes = [
            ekopost.envelope(campaign["id"], address={"$type": "einbox", "recipient": NO_PERSON_WITH_MAILBOX})
            for _ in range(2)
        ]
        sender_id = ekopost.run(
            lambda: get_shipment(uuid.UUID(envelopes[0]["id"]), ekopost.runtime)
        ).shipment.sender_id
        _, secret = ekopost.run(
            lambda: add_webhook(
                ekopost.runtime, sender_id, receiver.url("eko"), ["batch.completed"], format="ekopost"
            )
        )
        for envelope in envelopes:
            path = f"/campaigns/{campaign['id']}/envelopes/{envelope['id']}"
            assert ekopost.post(path + "/content", content_body(letter_pdf())).status_code == 200
            assert ekopost.post(path + "/close").status_code == 200
        assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
        deadline = time.monotonic() + 60
        while not receiver.at("eko"):
            assert time.monotonic() < deadline, "no webhook arrived"
            ekopost.run(lambda: asyncio.sleep(0.1))
        (request,) = receiver.at("eko")
    expected = hmac.new(secret.encode(), request.body, hashlib.sha1).hexdigest()
    assert request.headers["x-ekopost-signature"] == expected
    payload = json.loads(request.body)
    assert payload["event"] == "campaign_completed"
    assert payload["campaign"]["id"] == campaign["id"]
    assert payload["campaign"]["state"] == "completed"
    assert payload["campaign"]["envelope_count"] == 2
    assert {e["id"] for e in payload["envelopes"]} == {e["id"] for e in envelopes}
    assert {e["state"] for e in payload["envelopes"]} == {"posted"}
    assert ekopost.get(f"/campaigns/{campaign['id']}").json()["state"] == "completed"

"""A stand-alone attachment's webhook deliveries keep the order of its steps per subscription, as a
letter's do: with the receiver down for the first one (``attachmentinitialized``), the next
(``attachmentpublished``) waits until the first is delivered, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from postbud.services.parties.senders import find_sender
from postbud.webhooks.manage import add_webhook
from tests.integration.altinn_api_fixtures import OWNER, Altinn, altinn
from tests.integration.webhook_receiver import HookReceiver, hook_receiver

__all__ = ["altinn"]


@pytest.fixture
def receiver() -> Iterator[HookReceiver]:
    with hook_receiver() as running:
        yield running


def test_an_attachments_steps_arrive_in_order_after_the_receiver_was_down(
    altinn: Altinn, receiver: HookReceiver
) -> None:
    async def subscribe() -> None:
        sender = await find_sender(OWNER, altinn.runtime)
        await add_webhook(
            altinn.runtime, sender.id, receiver.url("steps"), ["attachment.*"], format="cloudevents"
        )

    altinn.run(subscribe)
    receiver.fail_first["steps"] = 1
    sender = altinn.as_sender()
    body = {"resourceId": "skd-melding", "fileName": "vedtak.txt", "sendersReference": "a1"}
    attachment_id = altinn.post("/attachment", sender, json=body).json()
    headers = sender | {"content-type": "application/octet-stream"}
    assert altinn.post(f"/attachment/{attachment_id}/upload", headers, content=b"Vedtak\n").status_code == 200
    altinn.work()
    assert [a.failed for a in receiver.at("steps")] == [True]  # the second waits for the first

    altinn.advance(timedelta(hours=1))  # past the first's retry
    altinn.work()

    delivered = [json.loads(a.body) for a in receiver.at("steps") if not a.failed]
    assert [e["type"] for e in delivered] == [
        "no.altinn.correspondence.attachmentinitialized",
        "no.postbud.attachment.upload_processing",  # a step Altinn has no event for: Postbud's own
        "no.altinn.correspondence.attachmentpublished",
    ]
    assert delivered[-1]["resourceinstance"] == attachment_id

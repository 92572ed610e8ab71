"""A correspondence's events as Altinn Events' CloudEvents (§8) to a real local receiver, through a
webhook subscription in the ``cloudevents`` format: the type names, the subject party each gets, the
resource and the correspondence, no data; events Altinn has no name for stay Postbud's own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

import pytest

from postbud.services.parties.senders import find_sender
from postbud.webhooks.manage import add_webhook
from tests.integration.altinn_api_fixtures import OWNER, PERSON, Altinn, altinn, correspondence
from tests.integration.core_plugins_receiver import RecordingReceiver, recording_receiver

__all__ = ["altinn"]


@pytest.fixture
def receiver() -> Iterator[RecordingReceiver]:
    with recording_receiver() as running:
        yield running


def events(receiver: RecordingReceiver) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.at("altinn")]


def test_events_as_altinn_names_them_with_their_subject_party(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    async def subscribe() -> None:
        sender = await find_sender(OWNER, altinn.runtime)
        await add_webhook(altinn.runtime, sender.id, receiver.url("altinn"), ["*"], format="cloudevents")

    altinn.run(subscribe)
    (cid,) = altinn.initialized(correspondence(PERSON))
    person = altinn.as_person(PERSON)
    altinn.get(f"/correspondence/{cid}", person)
    altinn.post(f"/correspondence/{cid}/markasread", person)
    altinn.work()

    received = {e["type"]: e for e in events(receiver)}
    sender_urn = f"urn:altinn:organization:identifier-no:{OWNER}"
    person_urn = f"urn:altinn:person:identifier-no:{PERSON}"
    initialized = received["no.altinn.correspondence.correspondenceinitialized"]
    assert initialized["subject"] == sender_urn
    assert initialized["alternativesubject"] == f"/organisation/{OWNER}"
    assert initialized["resource"] == "urn:altinn:resource:skd-melding"
    assert initialized["resourceinstance"] == cid
    assert initialized["source"].endswith("/correspondence/api/v1/correspondence")
    assert initialized["specversion"] == "1.0"
    assert "data" not in initialized
    published = received["no.altinn.correspondence.correspondencepublished"]
    assert (published["subject"], published["alternativesubject"]) == (person_urn, f"/person/{PERSON}")
    assert received["no.altinn.correspondence.correspondencereceiverread"]["subject"] == sender_urn
    # Core events without an Altinn name keep Postbud's neutral CloudEvent.
    assert "no.postbud.shipment.fetched" in received


def test_a_due_date_passed_unread_is_told_with_the_recipient_as_subject(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    async def subscribe() -> None:
        sender = await find_sender(OWNER, altinn.runtime)
        await add_webhook(altinn.runtime, sender.id, receiver.url("altinn"), ["*"], format="cloudevents")

    altinn.run(subscribe)
    due = (altinn.runtime.clock.now() + timedelta(days=2)).astimezone(UTC).isoformat()
    (cid,) = altinn.initialized(correspondence(PERSON, dueDateTime=due, isConfirmationNeeded=True))
    altinn.advance(timedelta(days=2, minutes=1))
    altinn.work()
    received = {e["type"]: e for e in events(receiver)}
    person_urn = f"urn:altinn:person:identifier-no:{PERSON}"
    never_read = received["no.altinn.correspondence.correspondencereceiverneverread"]
    never_confirmed = received["no.altinn.correspondence.correspondencereceiverneverconfirmed"]
    assert (never_read["subject"], never_read["resourceinstance"]) == (person_urn, cid)
    assert never_confirmed["subject"] == person_urn

"""Altinn Events' subscription validation and subject filter, against a real local receiver, on
SQLite and PostgreSQL: a new subscription sends its endpoint a ``platform.events.validatesubscription``
CloudEvent, is ``validated`` once the endpoint answered 2xx (retried while it does not), and gets no
event that happened before; ``subjectFilter`` delivers only events whose ``subject`` is it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from postbud.services.parties.senders import find_sender
from postbud.services.sandbox.clock import reset_clock
from postbud.services.sandbox.faults import set_webhook_fault
from postbud.webhooks.manage import Delivery, list_deliveries
from tests.integration.altinn_api_fixtures import ORG_RECIPIENT, OWNER, PERSON, Altinn, altinn, correspondence
from tests.integration.core_plugins_receiver import RecordingReceiver, recording_receiver
from tests.integration.test_altinn_events_api_subscriptions import PATH, RESOURCE_URN

__all__ = ["altinn"]

VALIDATION = "platform.events.validatesubscription"
PREFIX = "no.altinn.correspondence."
PERSON_URN = f"urn:altinn:person:identifier-no:{PERSON}"
SENDER_URN = f"urn:altinn:organization:identifier-no:{OWNER}"


@pytest.fixture
def receiver() -> Iterator[RecordingReceiver]:
    with recording_receiver() as running:
        yield running


def subscriber(world: Altinn) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.org_token(OWNER, 'altinn:events.subscribe')}"}


def subscribe(world: Altinn, receiver: RecordingReceiver, hook: str, **filters: str) -> dict[str, Any]:
    body = {"endPoint": receiver.url(hook), "resourceFilter": RESOURCE_URN, **filters}
    made = world.http.post(PATH, json=body, headers=subscriber(world))
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def deliveries_of(world: Altinn) -> list[Delivery]:
    """The deliveries of the sender's webhooks (an Events API subscription is one)."""
    sender = await find_sender(OWNER, world.runtime)
    return await list_deliveries(world.runtime, sender.id)


def validated(world: Altinn, number: int) -> bool:
    return bool(world.http.get(f"{PATH}/{number}", headers=subscriber(world)).json()["validated"])


def events(receiver: RecordingReceiver, hook: str) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.at(hook)]


def named(receiver: RecordingReceiver, hook: str) -> list[tuple[str, str]]:
    """(Altinn's event name, resourceinstance) of each event but the validation."""
    return [
        (e["type"][len(PREFIX) :], e["resourceinstance"])
        for e in events(receiver, hook)
        if e["type"] != VALIDATION
    ]


def test_a_new_subscription_is_validated_by_its_endpoint_before_it_is_delivered_to(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    made = subscribe(altinn, receiver, "hook")
    assert made["validated"] is False
    assert receiver.at("hook") == []  # sent by a durable job, not in the request
    altinn.work()

    (validation,) = events(receiver, "hook")
    assert receiver.at("hook")[0].headers["content-type"] == "application/json; charset=utf-8"  # as Altinn's
    assert validation["type"] == VALIDATION
    assert validation["specversion"] == "1.0"
    assert validation["source"].endswith(f"/events/api/v1/subscriptions/{made['id']}")
    assert validation["id"]
    assert "data" not in validation
    assert validated(altinn, made["id"])
    listed = altinn.http.get(PATH, headers=subscriber(altinn)).json()["subscriptions"]
    assert [s["validated"] for s in listed] == [True]

    (cid,) = altinn.initialized(correspondence(PERSON))
    altinn.work()
    assert named(receiver, "hook") == [("correspondenceinitialized", cid), ("correspondencepublished", cid)]


def test_the_validation_is_retried_until_the_endpoint_answers_and_earlier_events_are_not_delivered(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    receiver.fail_next = 2
    made = subscribe(altinn, receiver, "hook")
    (before,) = altinn.initialized(correspondence(PERSON))
    altinn.work()
    assert [e["type"] for e in events(receiver, "hook")] == [VALIDATION]  # answered 500
    assert not validated(altinn, made["id"])
    reasons = {(d.status, d.last_error) for d in altinn.run(deliveries_of, altinn)}
    assert reasons == {("cancelled", "the Events API subscription was not validated when the event happened")}

    altinn.advance(timedelta(hours=1))  # past the retry
    altinn.work()
    assert not validated(altinn, made["id"])  # answered 500 once more
    altinn.advance(timedelta(hours=1))
    altinn.work()
    assert [e["type"] for e in events(receiver, "hook")] == [VALIDATION] * 3
    assert validated(altinn, made["id"])

    (after,) = altinn.initialized(correspondence(PERSON))
    altinn.work()
    assert named(receiver, "hook") == [
        ("correspondenceinitialized", after),
        ("correspondencepublished", after),
    ]
    assert before != after


def test_the_subject_filter_delivers_only_events_about_that_subject(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    subscribe(altinn, receiver, "person", subjectFilter=PERSON_URN)
    subscribe(altinn, receiver, "sender", subjectFilter=SENDER_URN)
    subscribe(altinn, receiver, "alternative", subjectFilter=f"/person/{PERSON}")
    subscribe(altinn, receiver, "all")
    altinn.work()

    (to_person,) = altinn.initialized(correspondence(PERSON))
    (to_org,) = altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))
    reader = altinn.as_person(PERSON)
    altinn.get(f"/correspondence/{to_person}", reader)
    assert altinn.post(f"/correspondence/{to_person}/markasread", reader).status_code == 200
    altinn.work()

    assert named(receiver, "person") == [("correspondencepublished", to_person)]
    assert sorted(named(receiver, "sender")) == sorted(
        [
            ("correspondenceinitialized", to_person),
            ("correspondenceinitialized", to_org),
            ("correspondencereceiverread", to_person),
        ]
    )
    # Altinn Events compares the subject, never the alternative subject.
    assert named(receiver, "alternative") == []
    assert len(named(receiver, "all")) == 5


def test_the_type_filter_is_the_whole_type_a_reminder_and_a_first_notice_apart(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    for name in ("notificationcreated", "correspondencenotificationdelivered"):
        subscribe(altinn, receiver, name, typeFilter=PREFIX + name)
    subscribe(altinn, receiver, "reminder", typeFilter=PREFIX + "correspondencenotificationreminderdelivered")
    altinn.work()
    notification = {
        "notificationTemplate": "GenericAltinnMessage",
        "notificationChannel": "Email",
        "sendReminder": True,
    }
    (cid,) = altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}", notification=notification))
    altinn.work()
    altinn.advance(timedelta(days=8))  # seven days on, moved into the SMS hours (09–20 Oslo)
    altinn.work()

    overview = altinn.get(f"/correspondence/{cid}", altinn.as_sender()).json()
    order = overview["notifications"][0]["notificationOrderId"]
    assert named(receiver, "notificationcreated") == [("notificationcreated", order)]
    assert named(receiver, "correspondencenotificationdelivered") == [
        ("correspondencenotificationdelivered", cid)
    ]
    assert named(receiver, "reminder") == [("correspondencenotificationreminderdelivered", cid)]


def test_a_sandbox_fault_on_the_endpoint_keeps_the_subscription_unvalidated_until_it_is_lifted(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    altinn.run(set_webhook_fault, altinn.runtime, receiver.url("hook"), 1.0)
    made = subscribe(altinn, receiver, "hook")
    altinn.work()
    assert receiver.at("hook") == []  # the fault answered for the endpoint
    assert not validated(altinn, made["id"])

    altinn.run(set_webhook_fault, altinn.runtime, receiver.url("hook"), 0.0)
    altinn.advance(timedelta(hours=1))  # past the retry
    altinn.work()
    assert [e["type"] for e in events(receiver, "hook")] == [VALIDATION]
    assert validated(altinn, made["id"])


def test_a_subscription_validated_while_the_sandbox_clock_was_ahead_is_delivered_to_after_a_clock_reset(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    altinn.advance(timedelta(days=7))
    made = subscribe(altinn, receiver, "hook")
    altinn.work()
    assert validated(altinn, made["id"])
    altinn.run(reset_clock, altinn.runtime)  # business time back a week: validation is a real moment

    (cid,) = altinn.initialized(correspondence(PERSON))
    altinn.work()
    assert named(receiver, "hook") == [("correspondenceinitialized", cid), ("correspondencepublished", cid)]


def test_a_subscription_deleted_before_its_validation_is_never_sent_it(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    made = subscribe(altinn, receiver, "hook")
    assert altinn.http.delete(f"{PATH}/{made['id']}", headers=subscriber(altinn)).status_code == 200
    altinn.work()
    assert receiver.at("hook") == []


def test_an_attachments_events_have_the_sender_as_subject(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    subscribe(altinn, receiver, "sender", subjectFilter=SENDER_URN)
    subscribe(altinn, receiver, "person", subjectFilter=PERSON_URN)
    altinn.work()
    sender = altinn.as_sender()
    body = {"resourceId": "skd-melding", "fileName": "vedtak.txt", "sendersReference": "a1"}
    attachment_id = altinn.post("/attachment", sender, json=body).json()
    headers = sender | {"content-type": "application/octet-stream"}
    assert altinn.post(f"/attachment/{attachment_id}/upload", headers, content=b"Vedtak\n").status_code == 200
    altinn.work()
    assert named(receiver, "sender") == [
        ("attachmentinitialized", attachment_id),
        ("attachmentpublished", attachment_id),
    ]
    assert named(receiver, "person") == []

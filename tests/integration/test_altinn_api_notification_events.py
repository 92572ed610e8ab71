"""A correspondence's notification order as Altinn Events tells it (§7, §8), to a real local receiver:
``notificationcreated`` when the order is made after publish — ``resourceinstance`` the order's id,
the one overview and details show, ``source`` ``…/notification``, the sender the subject — and
``correspondencenotificationcreationfailed`` (about the correspondence) once when it cannot be made
because the recipient has no contact details, with no ``correspondencenotificationfailed`` besides."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from postbud.services.parties.senders import find_sender
from postbud.webhooks.manage import add_webhook
from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    OWNER,
    Altinn,
    altinn,
    correspondence,
)
from tests.integration.core_plugins_receiver import RecordingReceiver, recording_receiver

__all__ = ["altinn"]

PREFIX = "no.altinn.correspondence."
SENDER_URN = f"urn:altinn:organization:identifier-no:{OWNER}"


@pytest.fixture
def receiver() -> Iterator[RecordingReceiver]:
    with recording_receiver() as running:
        yield running


def subscribed(world: Altinn, receiver: RecordingReceiver) -> None:
    async def subscribe() -> None:
        sender = await find_sender(OWNER, world.runtime)
        await add_webhook(world.runtime, sender.id, receiver.url("altinn"), ["*"], format="cloudevents")

    world.run(subscribe)


def altinn_events(receiver: RecordingReceiver) -> list[dict[str, Any]]:
    received = [json.loads(r.body) for r in receiver.at("altinn")]
    return [e for e in received if e["type"].startswith(PREFIX)]


def about(events: list[dict[str, Any]], cid: str, order_ids: frozenset[str] = frozenset()) -> list[str]:
    """The Altinn event names about one correspondence or its notification orders, in arrival order."""
    return [e["type"][len(PREFIX) :] for e in events if e["resourceinstance"] in {cid, *order_ids}]


def test_a_notification_order_made_after_publish_is_notificationcreated_with_the_order_id(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    subscribed(altinn, receiver)
    notification = {"notificationTemplate": "GenericAltinnMessage", "notificationChannel": "Email"}
    told, silent = altinn.initialized(
        correspondence(f"0192:{ORG_RECIPIENT}", f"0192:{OTHER_ORG_RECIPIENT}", notification=notification)
    )
    altinn.work()

    sender = altinn.as_sender()
    overview = altinn.get(f"/correspondence/{told}", sender).json()
    ((order,),) = [[n["notificationOrderId"] for n in overview["notifications"]]]
    (detail,) = altinn.get(f"/correspondence/{told}/details", sender).json()["notifications"]
    assert detail["id"] == order
    assert detail["notificationStatusDetails"]["email"]["succeeded"] is True

    events = altinn_events(receiver)
    (created,) = [e for e in events if e["type"] == PREFIX + "notificationcreated"]
    assert created["resourceinstance"] == order
    assert created["source"].endswith("/correspondence/api/v1/notification")
    assert created["subject"] == SENDER_URN
    assert created["alternativesubject"] == f"/organisation/{OWNER}"
    assert created["resource"] == "urn:altinn:resource:skd-melding"
    assert "data" not in created
    assert about(events, told, frozenset({order})) == [
        "correspondenceinitialized",
        "correspondencepublished",
        "notificationcreated",
        "correspondencenotificationdelivered",
    ]

    (failed,) = [e for e in events if e["type"] == PREFIX + "correspondencenotificationcreationfailed"]
    assert failed["resourceinstance"] == silent
    assert failed["source"].endswith("/correspondence/api/v1/correspondence")
    assert failed["subject"] == SENDER_URN
    assert about(events, silent) == [
        "correspondenceinitialized",
        "correspondencepublished",
        "correspondencenotificationcreationfailed",
    ]
    (missing,) = altinn.get(f"/correspondence/{silent}/details", sender).json()["notifications"]
    assert missing["notificationStatusDetails"]["emails"][0]["sendStatus"]["status"] == (
        "Failed_RecipientNotIdentified"
    )


def test_the_reminder_belongs_to_the_order_and_is_not_ordered_again(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    subscribed(altinn, receiver)
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
    first, reminder = overview["notifications"]
    assert (first["isReminder"], reminder["isReminder"]) == (False, True)
    assert reminder["notificationOrderId"] == first["notificationOrderId"]
    events = altinn_events(receiver)
    assert about(events, cid, frozenset({first["notificationOrderId"]}))[-3:] == [
        "notificationcreated",
        "correspondencenotificationdelivered",
        "correspondencenotificationreminderdelivered",
    ]


def test_each_party_told_is_an_order_of_its_own_and_one_without_contact_fails_the_creation(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    subscribed(altinn, receiver)
    notification = {
        "notificationTemplate": "CustomMessage",
        "notificationChannel": "Email",
        "emailSubject": "Ny melding",
        "emailBody": "Du har fått en melding fra $sendersName$.",
        "customRecipients": [
            {"emailAddress": "regnskap@bedrift.example"},
            {"organizationNumber": OTHER_ORG_RECIPIENT},  # registered without an e-mail address
        ],
    }
    (cid,) = altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}", notification=notification))
    altinn.work()

    overview = altinn.get(f"/correspondence/{cid}", altinn.as_sender()).json()
    orders = [n["notificationOrderId"] for n in overview["notifications"]]
    assert len(set(orders)) == len(orders) == 3  # the recipient, the address, the failed one
    events = altinn_events(receiver)
    created = [e["resourceinstance"] for e in events if e["type"] == PREFIX + "notificationcreated"]
    assert sorted(created) == sorted(orders[:2])
    failed = [e for e in events if e["type"] == PREFIX + "correspondencenotificationcreationfailed"]
    assert [e["resourceinstance"] for e in failed] == [cid]
    assert not [e for e in events if e["type"] == PREFIX + "correspondencenotificationfailed"]
    details = altinn.get(f"/correspondence/{cid}/details", altinn.as_sender()).json()["notifications"]
    assert [d["id"] for d in details] == orders


def test_no_order_before_the_correspondence_is_published(altinn: Altinn, receiver: RecordingReceiver) -> None:
    subscribed(altinn, receiver)
    notification = {"notificationTemplate": "GenericAltinnMessage", "notificationChannel": "Email"}
    at = altinn.runtime.clock.now() + timedelta(hours=1)
    body = correspondence(f"0192:{ORG_RECIPIENT}", notification=notification)
    body["correspondence"]["requestedPublishTime"] = at.isoformat()
    (cid,) = altinn.initialized(body)
    altinn.work()
    assert about(altinn_events(receiver), cid) == ["correspondenceinitialized"]
    assert altinn.get(f"/correspondence/{cid}", altinn.as_sender()).json()["notifications"] == []

    altinn.advance(timedelta(hours=1, minutes=1))
    altinn.work()
    (order,) = [
        n["notificationOrderId"]
        for n in altinn.get(f"/correspondence/{cid}", altinn.as_sender()).json()["notifications"]
    ]
    assert about(altinn_events(receiver), cid, frozenset({order})) == [
        "correspondenceinitialized",
        "correspondencepublished",
        "notificationcreated",
        "correspondencenotificationdelivered",
    ]

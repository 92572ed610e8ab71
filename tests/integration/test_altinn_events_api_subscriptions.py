"""Altinn Events' subscription API (``/events/api/v1/subscriptions``) on SQLite and PostgreSQL: a
service owner subscribes its resource's endpoint there and a real local receiver gets the §8
CloudEvents of that resource only (not another resource's, not Postbud's own event names), of the
type asked for; get, list and delete; the Events API's refusals in its own words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from postbud.services.parties.resources import RegisterResource, register_resource
from postbud.services.parties.senders import find_sender
from postbud.services.sandbox.reset import reset_sandbox
from postbud.webhooks.manage import add_webhook
from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_OWNER,
    OWNER,
    PERSON,
    Altinn,
    altinn,
    correspondence,
)
from tests.integration.core_plugins_receiver import RecordingReceiver, recording_receiver

__all__ = ["altinn"]

PATH = "/events/api/v1/subscriptions"
SCOPE = "altinn:events.subscribe"
RESOURCE_URN = "urn:altinn:resource:skd-melding"


@pytest.fixture
def receiver() -> Iterator[RecordingReceiver]:
    with recording_receiver() as running:
        yield running


def subscriber(world: Altinn, orgnr: str = OWNER, scope: str = SCOPE) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.org_token(orgnr, scope)}"}


def create(world: Altinn, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return world.http.post(PATH, json=body, headers=headers or subscriber(world))


VALIDATION = "platform.events.validatesubscription"


def received(receiver: RecordingReceiver, hook: str) -> list[dict[str, Any]]:
    """The events a hook received, the subscriptions' validation events left out."""
    found = [json.loads(r.body) for r in receiver.at(hook)]
    return [e for e in found if e["type"] != VALIDATION]


def types(receiver: RecordingReceiver, hook: str) -> list[str]:
    return [e["type"] for e in received(receiver, hook)]


def test_a_subscription_through_the_events_api_gets_its_resources_events(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    second = RegisterResource(id="skd-purring", owner=OWNER)
    altinn.run(register_resource, second, altinn.runtime)
    every = create(altinn, {"endPoint": receiver.url("every"), "resourceFilter": RESOURCE_URN})
    assert every.status_code == 201, every.text
    made = every.json()
    assert isinstance(made["id"], int)
    assert every.headers["location"] == f"/events/api/v1/subscription/{made['id']}"
    assert made["endPoint"] == receiver.url("every")
    assert made["resourceFilter"] == RESOURCE_URN
    assert (made["consumer"], made["createdBy"]) == (f"/organisation/{OWNER}", f"/organisation/{OWNER}")
    assert made["validated"] is False  # until the endpoint answers the validation event
    again = create(altinn, {"endPoint": receiver.url("every"), "resourceFilter": RESOURCE_URN})
    assert (again.status_code, again.json()["id"]) == (201, made["id"])  # the same one, as Altinn Events
    read = create(
        altinn,
        {
            "endPoint": receiver.url("read"),
            "resourceFilter": RESOURCE_URN,
            "typeFilter": "no.altinn.correspondence.correspondencereceiverread",
        },
    )
    assert read.status_code == 201, read.text
    altinn.work()  # the endpoint validates both
    made = altinn.http.get(f"{PATH}/{made['id']}", headers=subscriber(altinn)).json()
    assert made["validated"] is True

    (cid,) = altinn.initialized(correspondence(PERSON))
    altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}", resource="skd-purring"))
    person = altinn.as_person(PERSON)
    altinn.get(f"/correspondence/{cid}", person)
    assert altinn.post(f"/correspondence/{cid}/markasread", person).status_code == 200
    altinn.work()

    assert types(receiver, "every") == [
        "no.altinn.correspondence.correspondenceinitialized",
        "no.altinn.correspondence.correspondencepublished",
        "no.altinn.correspondence.correspondencereceiverread",
    ]
    assert {e["resourceinstance"] for e in received(receiver, "every")} == {cid}
    assert types(receiver, "read") == ["no.altinn.correspondence.correspondencereceiverread"]
    # As Altinn Events' webhook client posts them (a receiver written for Altinn may accept no other).
    assert {r.headers["content-type"] for r in receiver.at("every")} == {"application/json; charset=utf-8"}

    listed = altinn.http.get(PATH, headers=subscriber(altinn)).json()
    assert listed["count"] == 2
    assert [s["id"] for s in listed["subscriptions"]] == [made["id"], read.json()["id"]]
    assert altinn.http.get(f"{PATH}/{made['id']}", headers=subscriber(altinn)).json() == made
    assert altinn.http.get(f"{PATH}/{made['id']}", headers=subscriber(altinn, OTHER_OWNER)).status_code == 403
    assert altinn.http.get(PATH, headers=subscriber(altinn, OTHER_OWNER)).json() == {
        "count": 0,
        "subscriptions": [],
    }
    assert altinn.http.delete(f"{PATH}/{made['id']}", headers=subscriber(altinn)).status_code == 200
    assert altinn.http.get(f"{PATH}/{made['id']}", headers=subscriber(altinn)).status_code == 404

    altinn.initialized(correspondence(PERSON))
    altinn.work()
    assert len(received(receiver, "every")) == 3  # nothing more after the delete


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"resourceFilter": RESOURCE_URN}, 400, "Missing or invalid endpoint to push events towards"),
        (
            {"endPoint": "http://receiver.example/hook", "resourceFilter": RESOURCE_URN},
            400,
            "Missing or invalid endpoint to push events towards",
        ),
        (
            {"endPoint": "https://r.example/h", "resourceFilter": RESOURCE_URN, "sourceFilter": "x"},
            400,
            "SourceFilter must be an absolute URL with the https scheme.",
        ),
        (
            {"endPoint": "https://r.example/h", "resourceFilter": "skd-melding"},
            400,
            "Resource filter must be a valid urn",
        ),
        ({"endPoint": "https://r.example/h"}, 400, "Resource filter is required."),
        (
            {
                "endPoint": "https://r.example/h",
                "resourceFilter": RESOURCE_URN,
                "sourceFilter": "https://platform.example/correspondence",
            },
            400,
            "Source filter is not supported for subscriptions on this resource.",
        ),
        (
            {
                "endPoint": "https://r.example/h",
                "resourceFilter": RESOURCE_URN,
                "alternativeSubjectFilter": "/x",
            },
            400,
            "AlternativeSubject filter is not supported for subscriptions on this resource.",
        ),
        (
            {"endPoint": "https://r.example/h", "resourceFilter": "urn:altinn:resource:nav-vedtak"},
            403,
            "Not authorized to create a subscription for resource urn:altinn:resource:nav-vedtak.",
        ),
    ],
)
def test_events_api_refusals_in_its_own_words(
    altinn: Altinn, body: dict[str, Any], status: int, text: str
) -> None:
    response = create(altinn, body)
    assert response.status_code == status, response.text
    assert response.json() == text


def test_the_subscribe_scope_is_needed(altinn: Altinn) -> None:
    body = {"endPoint": "https://r.example/h", "resourceFilter": RESOURCE_URN}
    assert create(altinn, body, subscriber(altinn, scope="altinn:correspondence.write")).status_code == 403
    assert altinn.http.post(PATH, json=body).status_code == 401


def test_attachment_events_reach_an_events_api_subscription_and_a_named_webhook(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    made = create(altinn, {"endPoint": receiver.url("every"), "resourceFilter": RESOURCE_URN})
    assert made.status_code == 201, made.text
    altinn.work()  # validated

    async def named_webhook() -> None:
        sender = await find_sender(OWNER, altinn.runtime)
        await add_webhook(
            altinn.runtime, sender.id, receiver.url("named"), ["attachment.published"], format="cloudevents"
        )

    altinn.run(named_webhook)
    sender = altinn.as_sender()
    body = {"resourceId": "skd-melding", "fileName": "vedtak.txt", "sendersReference": "a1"}
    attachment_id = altinn.post("/attachment", sender, json=body).json()
    headers = sender | {"content-type": "application/octet-stream"}
    assert altinn.post(f"/attachment/{attachment_id}/upload", headers, content=b"Vedtak\n").status_code == 200
    failing = altinn.post("/attachment", sender, json=body | {"checksum": "0" * 32}).json()
    assert altinn.post(f"/attachment/{failing}/upload", headers, content=b"Vedtak\n").status_code == 400
    altinn.work()

    steps = received(receiver, "every")
    assert [(e["type"], e["resourceinstance"]) for e in steps] == [
        ("no.altinn.correspondence.attachmentinitialized", attachment_id),
        ("no.altinn.correspondence.attachmentpublished", attachment_id),
        ("no.altinn.correspondence.attachmentinitialized", failing),
        ("no.altinn.correspondence.attachmentuploadfailed", failing),
    ]
    first = steps[0]
    assert first["resource"] == RESOURCE_URN
    assert first["subject"] == f"urn:altinn:organization:identifier-no:{OWNER}"
    assert first["alternativesubject"] == f"/organisation/{OWNER}"
    assert first["source"].endswith("/correspondence/api/v1/attachment")
    assert "data" not in first
    assert types(receiver, "named") == ["no.altinn.correspondence.attachmentpublished"]


def test_a_sandbox_reset_keeps_events_api_subscriptions_as_it_keeps_webhooks(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    made = create(altinn, {"endPoint": receiver.url("kept"), "resourceFilter": RESOURCE_URN}).json()
    assert altinn.runtime.settings.sandbox, "a reset needs sandbox mode"
    altinn.run(reset_sandbox, altinn.runtime)  # before the endpoint validated it: its job went
    assert altinn.http.get(f"{PATH}/{made['id']}", headers=subscriber(altinn)).json() == made
    altinn.work()
    assert [json.loads(r.body)["type"] for r in receiver.at("kept")] == [VALIDATION]  # asked again
    assert altinn.http.get(f"{PATH}/{made['id']}", headers=subscriber(altinn)).json()["validated"] is True

"""A recipient's system subscribes to its own events through Altinn Events'
``/events/api/v1/subscriptions`` on SQLite and PostgreSQL, against a real local receiver: with a
``subjectFilter`` naming itself it gets the resource's events whose subject it is (its own
``correspondencepublished``) and nothing of another recipient's correspondence of the same resource
nor the sender's events; without one, or naming another party, it is Altinn's 403; each caller
sees and deletes only its own subscriptions, and the owner's subscriptions behave as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

import pytest

from postbud.domain.errors import NotFound
from postbud.services.parties.senders import find_sender
from postbud.webhooks import manage
from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    OTHER_PERSON,
    OWNER,
    PERSON,
    Altinn,
    altinn,
    correspondence,
)
from tests.integration.core_plugins_receiver import RecordingReceiver, recording_receiver
from tests.integration.test_altinn_events_api_subscriptions import PATH, RESOURCE_URN, SCOPE

__all__ = ["altinn"]

PREFIX = "no.altinn.correspondence."
VALIDATION = "platform.events.validatesubscription"
ORG_URN = "urn:altinn:organization:identifier-no:"
PERSON_URN = "urn:altinn:person:identifier-no:"
NOT_AUTHORIZED = f"Not authorized to create a subscription for resource {RESOURCE_URN}."


@pytest.fixture
def receiver() -> Iterator[RecordingReceiver]:
    with recording_receiver() as running:
        yield running


def as_org(world: Altinn, orgnr: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.org_token(orgnr, SCOPE)}"}


def as_person(world: Altinn, pid: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.person_token(pid, SCOPE)}"}


def create(world: Altinn, headers: dict[str, str], endpoint: str, **filters: str) -> Any:
    return world.http.post(
        PATH, json={"endPoint": endpoint, "resourceFilter": RESOURCE_URN, **filters}, headers=headers
    )


def named(receiver: RecordingReceiver, hook: str) -> list[tuple[str, str, str]]:
    """(Altinn's event name, resourceinstance, subject) of each event but the validation."""
    found = [json.loads(r.body) for r in receiver.at(hook)]
    return [
        (e["type"][len(PREFIX) :], e["resourceinstance"], e["subject"])
        for e in found
        if e["type"] != VALIDATION
    ]


def test_a_recipient_organisation_gets_its_own_correspondences_events_and_no_one_elses(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    mine = as_org(altinn, ORG_RECIPIENT)
    made = create(altinn, mine, receiver.url("mine"), subjectFilter=ORG_URN + ORG_RECIPIENT)
    assert made.status_code == 201, made.text
    subscription = made.json()
    assert (subscription["consumer"], subscription["createdBy"]) == (f"/organisation/{ORG_RECIPIENT}",) * 2
    assert subscription["subjectFilter"] == ORG_URN + ORG_RECIPIENT
    owners = create(altinn, as_org(altinn, OWNER), receiver.url("owner"))
    assert owners.status_code == 201, owners.text
    altinn.work()  # both endpoints validate
    assert altinn.http.get(f"{PATH}/{subscription['id']}", headers=mine).json()["validated"] is True

    (to_me,) = altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))
    (to_other,) = altinn.initialized(correspondence(f"0192:{OTHER_ORG_RECIPIENT}"))
    (to_person,) = altinn.initialized(correspondence(PERSON))
    altinn.work()

    assert named(receiver, "mine") == [("correspondencepublished", to_me, ORG_URN + ORG_RECIPIENT)]
    # The owner's subscription is as before: every event of every correspondence of its resource.
    owner_got = named(receiver, "owner")
    assert {(name, cid) for name, cid, _ in owner_got} == {
        (name, cid)
        for cid in (to_me, to_other, to_person)
        for name in ("correspondenceinitialized", "correspondencepublished")
    }

    # Each consumer sees and deletes only its own.
    listed = altinn.http.get(PATH, headers=mine).json()
    assert [s["id"] for s in listed["subscriptions"]] == [subscription["id"]]
    owner_listed = altinn.http.get(PATH, headers=as_org(altinn, OWNER)).json()
    assert [s["id"] for s in owner_listed["subscriptions"]] == [owners.json()["id"]]
    assert altinn.http.get(f"{PATH}/{subscription['id']}", headers=as_org(altinn, OWNER)).status_code == 403
    assert (
        altinn.http.delete(f"{PATH}/{subscription['id']}", headers=as_org(altinn, OWNER)).status_code == 403
    )
    assert altinn.http.delete(f"{PATH}/{owners.json()['id']}", headers=mine).status_code == 403
    assert altinn.http.delete(f"{PATH}/{subscription['id']}", headers=mine).status_code == 200
    assert altinn.http.get(f"{PATH}/{subscription['id']}", headers=mine).status_code == 404

    altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))
    altinn.work()
    assert len(named(receiver, "mine")) == 1  # nothing after the delete
    assert len(named(receiver, "owner")) == 8  # the owner's still delivered to


def test_a_person_subscribes_to_its_own_events(altinn: Altinn, receiver: RecordingReceiver) -> None:
    me = as_person(altinn, PERSON)
    made = create(altinn, me, receiver.url("me"), subjectFilter=PERSON_URN + PERSON)
    assert made.status_code == 201, made.text
    assert made.json()["consumer"] == f"/person/{PERSON}"
    altinn.work()

    (to_me,) = altinn.initialized(correspondence(PERSON))
    altinn.initialized(correspondence(OTHER_PERSON))
    altinn.work()
    assert named(receiver, "me") == [("correspondencepublished", to_me, PERSON_URN + PERSON)]
    assert altinn.http.get(PATH, headers=me).json()["count"] == 1


def test_a_person_is_told_its_own_due_date_passed_unread_and_unconfirmed_and_not_anothers(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    made = create(altinn, as_person(altinn, PERSON), receiver.url("me"), subjectFilter=PERSON_URN + PERSON)
    assert made.status_code == 201, made.text
    altinn.work()

    due = (altinn.runtime.clock.now() + timedelta(days=2)).astimezone(UTC).isoformat()
    (to_me,) = altinn.initialized(correspondence(PERSON, dueDateTime=due, isConfirmationNeeded=True))
    altinn.initialized(correspondence(OTHER_PERSON, dueDateTime=due, isConfirmationNeeded=True))
    altinn.advance(timedelta(days=2, minutes=1))
    altinn.work()
    assert sorted(named(receiver, "me")) == [
        ("correspondencepublished", to_me, PERSON_URN + PERSON),
        ("correspondencereceiverneverconfirmed", to_me, PERSON_URN + PERSON),
        ("correspondencereceiverneverread", to_me, PERSON_URN + PERSON),
    ]


def test_a_recipients_subscription_is_not_the_senders_to_see_pause_or_delete(
    altinn: Altinn, receiver: RecordingReceiver
) -> None:
    mine = create(
        altinn, as_org(altinn, ORG_RECIPIENT), receiver.url("mine"), subjectFilter=ORG_URN + ORG_RECIPIENT
    )
    owners = create(altinn, as_org(altinn, OWNER), receiver.url("owner"))
    assert (mine.status_code, owners.status_code) == (201, 201)
    altinn.work()
    altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))
    altinn.work()
    assert len(named(receiver, "mine")) == 1

    async def as_the_sender() -> None:
        runtime = altinn.runtime
        sender = await find_sender(OWNER, runtime)
        (own,) = await manage.list_webhooks(runtime, sender.id)
        assert own.url == receiver.url("owner")
        assert {d.webhook_id for d in await manage.list_deliveries(runtime, sender.id)} == {own.id}
        # A page of the sender's deliveries is as long as asked: the hidden ones are not counted in it.
        everything = len(await manage.list_deliveries(runtime, sender.id, limit=1000))
        page = await manage.list_deliveries(runtime, sender.id, limit=everything)
        assert len(page) == everything
        (theirs,) = [w for w in await manage.list_webhooks(runtime) if w.url == receiver.url("mine")]
        for step in (manage.get_webhook, manage.remove_webhook, manage.send_test_event):
            with pytest.raises(NotFound):
                await step(runtime, theirs.id, sender_id=sender.id)
        with pytest.raises(NotFound):
            await manage.set_active(runtime, theirs.id, False, sender_id=sender.id)
        their_delivery = (await manage.list_deliveries(runtime, webhook_id=theirs.id))[0]
        with pytest.raises(NotFound):
            await manage.delivery(runtime, their_delivery.id, sender_id=sender.id)
        with pytest.raises(NotFound):
            await manage.redeliver(runtime, their_delivery.id, sender_id=sender.id)

    altinn.run(as_the_sender)
    altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))
    altinn.work()
    assert len(named(receiver, "mine")) == 2  # still there, still active


@pytest.mark.parametrize(
    ("caller", "subject"),
    [
        (ORG_RECIPIENT, None),  # no subject filter: the whole resource is the owner's to see
        (ORG_RECIPIENT, ORG_URN + OTHER_ORG_RECIPIENT),  # another recipient
        (ORG_RECIPIENT, ORG_URN + OWNER),  # the sender's own events
        (ORG_RECIPIENT, f"/organisation/{ORG_RECIPIENT}"),  # its alternative subject, not a subject
        (PERSON, None),
        (PERSON, PERSON_URN + OTHER_PERSON),
        (PERSON, ORG_URN + ORG_RECIPIENT),
    ],
)
def test_a_subject_filter_not_naming_the_caller_is_refused_as_altinn_events_does(
    altinn: Altinn, receiver: RecordingReceiver, caller: str, subject: str | None
) -> None:
    headers = as_person(altinn, caller) if caller == PERSON else as_org(altinn, caller)
    filters = {"subjectFilter": subject} if subject is not None else {}
    refused = create(altinn, headers, receiver.url("refused"), **filters)
    assert (refused.status_code, refused.json()) == (403, NOT_AUTHORIZED)
    assert altinn.http.get(PATH, headers=headers).json() == {"count": 0, "subscriptions": []}
    own = (PERSON_URN if caller == PERSON else ORG_URN) + caller
    assert create(altinn, headers, receiver.url("own"), subjectFilter=own).status_code == 201  # its own: yes
    altinn.work()
    assert receiver.at("refused") == []  # nothing half-made: no validation event either
    assert len(receiver.at("own")) == 1

"""A correspondence's life over HTTP: held until its publish time (the sandbox clock moves it), fetched,
read, confirmed and purged by its recipient, each refused precondition with its catalogue code (§5.4),
the status history and the "highest status" rule (§5.1), search (§2.4), and who may see what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    OTHER_OWNER,
    OTHER_PERSON,
    PERSON,
    RESERVED_PERSON,
    Altinn,
    altinn,
    correspondence,
    problem,
    validation,
)

__all__ = ["altinn"]


def later(world: Altinn, days: int = 1) -> str:
    return (world.runtime.clock.now() + timedelta(days=days)).astimezone(UTC).isoformat()


def history(world: Altinn, cid: str, headers: dict[str, str]) -> list[str]:
    details = world.get(f"/correspondence/{cid}/details", headers)
    assert details.status_code == 200, details.text
    return [row["status"] for row in details.json()["statusHistory"]]


def status(world: Altinn, cid: str, headers: dict[str, str]) -> Any:
    response = world.get(f"/correspondence/{cid}", headers)
    assert response.status_code == 200, response.text
    return response.json()["status"]


def test_held_until_its_publish_time_then_fetched_read_confirmed_and_purged(altinn: Altinn) -> None:
    body = correspondence(PERSON, f"0192:{ORG_RECIPIENT}", requestedPublishTime=later(altinn))
    person_letter, org_letter = altinn.initialized(body)
    person, org, sender = altinn.as_person(PERSON), altinn.as_org(ORG_RECIPIENT), altinn.as_sender()
    assert status(altinn, person_letter, sender) == "ReadyForPublish"
    problem(altinn.get(f"/correspondence/{person_letter}", person), 404, 1001)
    problem(altinn.post(f"/correspondence/{person_letter}/markasread", person), 404, 1001)
    search = {"resourceId": "skd-melding", "role": "Recipient"}
    assert altinn.get("/correspondence", person, **search).json() == {"ids": []}

    altinn.advance(timedelta(days=1, minutes=1))
    altinn.work()
    assert status(altinn, person_letter, sender) == "Published"
    assert altinn.get("/correspondence", person, **search).json() == {"ids": [person_letter]}
    assert altinn.get("/correspondence", org, **search).json() == {"ids": [org_letter]}

    # Read and confirm both need a fetch first; the sender's look-ups are no fetch.
    problem(altinn.post(f"/correspondence/{person_letter}/markasread", person), 400, 1024)
    problem(altinn.post(f"/correspondence/{person_letter}/confirm", person), 400, 1025)
    overview = altinn.get(f"/correspondence/{person_letter}", person).json()
    assert overview["status"] == "Published"  # Fetched is never the current status
    assert overview["content"]["messageBody"] == "Hei Ola Nordmann, se **vedlegg**."
    read = altinn.post(f"/correspondence/{person_letter}/markasread", person)
    assert (read.status_code, read.json()) == (200, person_letter)
    problem(altinn.post(f"/correspondence/{person_letter}/markasread", person), 400, 1040)
    assert altinn.post(f"/correspondence/{person_letter}/confirm", person).json() == person_letter
    problem(altinn.post(f"/correspondence/{person_letter}/confirm", person), 400, 1041)
    assert status(altinn, person_letter, person) == "Confirmed"
    assert history(altinn, person_letter, person)[:6] == [
        "Initialized",
        "ReadyForPublish",
        "Published",
        "Fetched",
        "Read",
        "Confirmed",
    ]
    assert altinn.get(
        "/correspondence", sender, resourceId="skd-melding", role="Sender", status="Read"
    ).json() == {"ids": [person_letter]}

    # The sender sees no content once published, and may no longer purge.
    assert altinn.get(f"/correspondence/{person_letter}", sender).json()["content"]["messageBody"] == ""
    problem(altinn.delete(f"/correspondence/{person_letter}/purge", sender), 400, 1013)
    purged = altinn.delete(f"/correspondence/{person_letter}/purge", person)
    assert (purged.status_code, purged.json()) == (200, person_letter)
    problem(altinn.delete(f"/correspondence/{person_letter}/purge", person), 400, 1014)
    problem(altinn.get(f"/correspondence/{person_letter}", sender), 404, 1001)
    assert "PurgedByRecipient" not in history(altinn, person_letter, sender)
    # Search leaves purged correspondences out, for their recipient and their sender alike.
    assert altinn.get("/correspondence", person, **search).json() == {"ids": []}
    as_sender = {"resourceId": "skd-melding", "role": "Sender"}
    assert altinn.get("/correspondence", sender, **as_sender).json() == {"ids": [org_letter]}
    purged_ones = altinn.get("/correspondence", sender, **as_sender, status="PurgedByRecipient")
    assert purged_ones.json() == {"ids": []}


def test_a_recipient_purges_only_after_confirming_when_confirmation_is_needed(altinn: Altinn) -> None:
    body = correspondence(isConfirmationNeeded=True, dueDateTime=later(altinn, days=10))
    (cid,) = altinn.initialized(body)
    org = altinn.as_org(ORG_RECIPIENT)
    altinn.get(f"/correspondence/{cid}", org)
    problem(altinn.delete(f"/correspondence/{cid}/purge", org), 400, 1026)
    altinn.post(f"/correspondence/{cid}/confirm", org)
    assert altinn.delete(f"/correspondence/{cid}/purge", org).status_code == 200
    details = altinn.get(f"/correspondence/{cid}/details", altinn.as_sender()).json()
    assert details["isConfirmationNeeded"] is True
    assert details["dueDateTime"] is not None


def test_the_sender_purges_before_publish(altinn: Altinn) -> None:
    (cid,) = altinn.initialized(correspondence(requestedPublishTime=later(altinn)))
    sender = altinn.as_sender()
    purged = altinn.delete(f"/correspondence/{cid}/purge", sender)
    assert (purged.status_code, purged.json()) == (200, cid)
    problem(altinn.get(f"/correspondence/{cid}", sender), 404, 1001)
    assert history(altinn, cid, sender) == ["Initialized", "ReadyForPublish"]
    altinn.advance(timedelta(days=2))
    altinn.work()
    problem(altinn.get(f"/correspondence/{cid}", altinn.as_org(ORG_RECIPIENT)), 404, 1001)


def test_content_marks_the_correspondence_read_the_first_time(altinn: Altinn) -> None:
    (cid,) = altinn.initialized(correspondence(PERSON))
    person = altinn.as_person(PERSON)
    content = altinn.get(f"/correspondence/{cid}/content", person)
    assert content.status_code == 200
    assert content.headers["content-type"].startswith("text/plain")
    assert content.text == "Hei Ola Nordmann, se **vedlegg**."
    assert altinn.get(f"/correspondence/{cid}/content", person).status_code == 200
    assert history(altinn, cid, person).count("Read") == 1


def test_nobody_else_sees_a_correspondence(altinn: Altinn) -> None:
    (cid,) = altinn.initialized(correspondence(PERSON))
    for stranger in (
        altinn.as_sender(OTHER_OWNER),
        altinn.as_org(OTHER_ORG_RECIPIENT),
        altinn.as_person(OTHER_PERSON),
    ):
        problem(altinn.get(f"/correspondence/{cid}", stranger), 401, 4001)
        problem(altinn.get(f"/correspondence/{cid}/details", stranger), 401, 4001)
        problem(altinn.delete(f"/correspondence/{cid}/purge", stranger), 401, 4001)
    problem(altinn.post(f"/correspondence/{cid}/markasread", altinn.as_person(OTHER_PERSON)), 401, 4001)
    unknown = "0192d3a6-4b36-7a1c-9f1e-2c3b4d5e6f70"
    problem(altinn.get(f"/correspondence/{unknown}", altinn.as_sender()), 404, 1001)
    assert "correspondenceId" in validation(altinn.get("/correspondence/not-a-guid", altinn.as_sender()))
    other = altinn.as_sender(OTHER_OWNER)
    problem(altinn.get("/correspondence", other, resourceId="skd-melding", role="Sender"), 401, 4001)


def test_search_rules(altinn: Altinn) -> None:
    first = altinn.initialized(correspondence(requestedPublishTime=later(altinn, 1)))
    second = altinn.initialized(
        correspondence(requestedPublishTime=later(altinn, 3), sendersReference="other")
    )
    sender = altinn.as_sender()
    everything = altinn.get("/correspondence", sender, resourceId="skd-melding", role="Sender").json()
    assert everything == {"ids": second + first}  # newest publish time first
    numbered = altinn.get("/correspondence", sender, resourceId="skd-melding", role=1).json()
    assert numbered == everything
    by_reference = altinn.get(
        "/correspondence", sender, resourceId="skd-melding", role="Sender", sendersReference="other"
    )
    assert by_reference.json() == {"ids": second}
    window = {"from": later(altinn, 0), "to": later(altinn, 2)}
    assert altinn.get(
        "/correspondence", sender, resourceId="skd-melding", role="Sender", **window
    ).json() == {"ids": first}
    reversed_window = {"from": later(altinn, 2), "to": later(altinn, 0)}
    problem(
        altinn.get("/correspondence", sender, resourceId="skd-melding", role="Sender", **reversed_window),
        400,
        1027,
    )
    assert "role" in validation(altinn.get("/correspondence", sender, resourceId="skd-melding"))
    migrated = altinn.get(
        "/correspondence", sender, resourceId="skd-melding", role="Sender", altinn2CorrespondenceId=7
    )
    assert migrated.json() == {"ids": []}
    assert datetime.fromisoformat(later(altinn)).tzinfo is not None


def test_a_reserved_person_among_several_is_reserved_then_failed(altinn: Altinn) -> None:
    response = altinn.initialize(correspondence(PERSON, RESERVED_PERSON))
    assert [c["status"] for c in response.json()["correspondences"]] == ["ReadyForPublish", "Reserved"]
    delivered, reserved = (c["correspondenceId"] for c in response.json()["correspondences"])
    sender = altinn.as_sender()
    assert status(altinn, delivered, sender) == "Published"
    assert status(altinn, reserved, sender) == "Failed"
    problem(altinn.get(f"/correspondence/{reserved}", altinn.as_person(RESERVED_PERSON)), 404, 1001)

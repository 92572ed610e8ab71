"""Issue 10 items 5 and 6 below the browser, on SQLite and PostgreSQL: what the business inbox reads
of a correspondence (summary, Markdown body with the reader's name, reply options, due date, the
confirmation asked for), its confirm and delete as Altinn's Confirmed and purge, and the console's
letter list by Altinn resource and the timeline in Altinn's words."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.domain.errors import Conflict
from postbud.services.inbox.confirm_and_delete import confirm_in_inbox, delete_in_inbox
from postbud.services.inbox.letter_content import letter_content
from postbud.services.inbox.query import get_letter, list_letters
from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    OTHER_OWNER,
    OTHER_RESOURCE,
    RESOURCE,
    Altinn,
    _prepare,
    correspondence,
)

ADMIN_TOKEN = "business-inbox-console-token"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[Altinn]:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, workers=0, admin_token=ADMIN_TOKEN
    )
    with TestClient(create_app(settings)) as http:
        found = Altinn(http)
        found.run(_prepare, found.runtime)
        yield found


def _recipient_id(world: Altinn, correspondence_id: str) -> uuid.UUID:
    async def find() -> uuid.UUID:
        async with world.runtime.reader() as uow:
            shipment = await uow.shipments.get(uuid.UUID(correspondence_id))
        assert shipment is not None
        assert shipment.recipient_id is not None
        return shipment.recipient_id

    return uuid.UUID(str(world.run(find)))


def _due_correspondence(world: Altinn) -> str:
    due = (world.runtime.clock.now() + timedelta(days=10)).isoformat()
    body = correspondence(
        f"0192:{ORG_RECIPIENT}",
        dueDateTime=due,
        isConfirmationNeeded=True,
        notification={"notificationTemplate": "GenericAltinnMessage", "notificationChannel": "Email"},
    )
    body["correspondence"]["content"]["messageTitle"] = "Vedtak til {{recipientName}}"
    (cid,) = world.initialized(body)
    world.work()
    return cid


def test_the_inbox_reads_a_correspondence_and_confirms_and_deletes_it_as_altinn(world: Altinn) -> None:
    cid = _due_correspondence(world)
    recipient_id = _recipient_id(world, cid)
    letter = world.run(get_letter, world.runtime, recipient_id, uuid.UUID(cid))
    content = world.run(letter_content, world.runtime, letter)
    assert content.title == "Vedtak til Bedrift AS"
    assert content.summary == "Kort sammendrag"
    assert content.body_markdown == "Hei Bedrift AS, se **vedlegg**."
    assert [(k.url, k.text) for k in content.links] == [("https://example.no/svar", "Svar")]
    assert content.due_at is not None
    assert content.needs_confirmation
    assert content.confirmed_at is None

    org = world.as_org(ORG_RECIPIENT)
    with pytest.raises(Conflict, match="confirmed before it is purged"):
        world.run(delete_in_inbox, world.runtime, recipient_id, uuid.UUID(cid))
    world.run(confirm_in_inbox, world.runtime, recipient_id, uuid.UUID(cid))
    details = world.get(f"/correspondence/{cid}/details", org).json()
    assert details["status"] == "Confirmed"
    assert [h["status"] for h in details["statusHistory"]][-2:] == ["Fetched", "Confirmed"]

    world.run(delete_in_inbox, world.runtime, recipient_id, uuid.UUID(cid))
    assert world.get(f"/correspondence/{cid}", org).status_code == 404


def test_the_inbox_list_shows_the_readers_name_in_a_title_that_names_them(world: Altinn) -> None:
    cid = _due_correspondence(world)
    listed = world.run(list_letters, world.runtime, _recipient_id(world, cid))
    assert [letter.subject for letter in listed.letters] == ["Vedtak til Bedrift AS"]


def _console(world: Altinn) -> TestClient:
    client = world.http
    token = CSRF.search(client.get("/console/sign-in").text)
    assert token is not None
    signed_in = client.post(
        "/console/sign-in", data={"csrf_token": token.group(1), "token": ADMIN_TOKEN}, follow_redirects=False
    )
    assert signed_in.status_code == 303
    return client


def test_the_console_lists_by_resource_and_shows_altinn_statuses(world: Altinn) -> None:
    cid = _due_correspondence(world)
    (other,) = world.initialized(
        correspondence(f"0192:{OTHER_ORG_RECIPIENT}", resource=OTHER_RESOURCE), orgnr=OTHER_OWNER
    )
    world.work()
    org = world.as_org(ORG_RECIPIENT)
    assert world.get(f"/correspondence/{cid}", org).status_code == 200  # fetched
    assert world.post(f"/correspondence/{cid}/markasread", org).status_code == 200
    console = _console(world)

    listed = console.get("/console/letters", params={"resource": RESOURCE}).text
    assert f"/console/letters/{cid}" in listed
    assert f"/console/letters/{other}" not in listed
    assert f'<option value="{RESOURCE}" selected>' in listed
    others = console.get("/console/letters", params={"resource": OTHER_RESOURCE}).text
    assert f"/console/letters/{other}" in others
    assert f"/console/letters/{cid}" not in others

    timeline = console.get(f"/console/letters/{cid}").text
    shown = re.findall(r"data-altinn-status>Altinn: ([^<]+)<", timeline)
    for status in ("Initialized → ReadyForPublish", "Published", "Fetched", "Read"):
        assert status in shown, shown
    assert "correspondencenotificationdelivered" in shown, shown

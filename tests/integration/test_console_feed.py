"""The console's live feed: server-sent events from a real server (uvicorn), read with bounded reads.

A new letter's events arrive on an open stream; the stream ends when the client goes away, and
after its lifetime; a reconnect with Last-Event-ID continues where the client was. The feed's
tracker also shows an event that committed late (stamped before the newest one sent), once.
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from starlette.routing import Mount

from postbud.domain.events import EventType
from postbud.services.console.feed import FeedTracker, newest_events, starting_cursor
from postbud.services.runtime import Runtime
from postbud.services.sandbox.sample_letters import letter_pdf
from postbud.storage import schema
from postbud.web.console.state import MAX_FEEDS, ConsoleState
from tests.browser.live_server import LiveServer
from tests.integration.test_console_web import wait_for

ADMIN_TOKEN = "browser-admin"  # the live server's
KARI = "31129956715"
READ_TIMEOUT = 10.0


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path / "data")
    # The live server's settings name a SQLite file; its lifespan reads them when it starts.
    server.settings.database_url = database_url
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _console_state(server: LiveServer) -> ConsoleState:
    mount = next(r for r in server.app.routes if isinstance(r, Mount) and r.path == "/console")
    state = mount.app.state.console  # type: ignore[attr-defined]
    assert isinstance(state, ConsoleState)
    return state


@pytest.fixture
def operator(live: LiveServer) -> Iterator[httpx2.Client]:
    """A browser-like client signed in to the console."""
    with httpx2.Client(base_url=live.url, timeout=READ_TIMEOUT) as client:
        page = client.get("/console/sign-in").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed_in = client.post("/console/sign-in", data={"csrf_token": token, "token": ADMIN_TOKEN})
        assert signed_in.status_code == 303
        yield client


@pytest.fixture
def send(live: LiveServer) -> Iterator[Any]:
    """Sends a print letter through the platform API; returns its shipment id."""
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx2.Client(base_url=live.url, headers=admin, timeout=READ_TIMEOUT) as api:
        created = api.post(
            "/api/v1/senders", json={"name": "Skatteetaten", "organisation_number": "974761076"}
        )
        sender_id = created.json()["sender"]["id"]

        def send_letter(subject: str) -> str:
            pdf = base64.b64encode(letter_pdf("Skatteetaten", subject, ("Hei!",))).decode()
            body = {
                "sender_id": sender_id,
                "recipient": KARI,
                "recipient_name": "Kari Nordmann",
                "print_address": {"lines": ["Storgata 1"], "postal_code": "0150", "city": "Oslo"},
                "documents": [{"content_base64": pdf, "title": subject}],
            }
            response = api.post("/api/v1/shipments", json=body)
            assert response.status_code == 201, response.text
            shipment_id: str = response.json()["shipment"]["id"]
            return shipment_id

        yield send_letter


def _messages(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    """Server-sent events, as field → value (data lines joined), from a stream of lines."""
    message: dict[str, str] = {}
    for line in lines:
        if not line:
            if message:
                yield message
            message = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            message[name] = f"{message[name]}\n{value}" if name == "data" and name in message else value


def _until(messages: Iterator[dict[str, str]], text: str, event: str = "created") -> list[dict[str, str]]:
    """Messages up to the first feed row of ``event`` that mentions ``text``."""
    seen: list[dict[str, str]] = []
    for message in messages:
        seen.append(message)
        data = message.get("data", "")
        if message.get("event") == "feed" and text in data and f'data-event="{event}"' in data:
            return seen
    raise AssertionError(f"the stream ended before {text!r} arrived")


def test_a_new_letter_appears_on_an_open_feed_and_the_feed_ends_when_the_client_leaves(
    live: LiveServer, operator: httpx2.Client, send: Any
) -> None:
    state = _console_state(live)
    with operator.stream("GET", "/console/feed/stream") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-store"
        messages = _messages(response.iter_lines())
        assert next(messages) == {"retry": "2000"}
        assert state.open_feeds == 1

        shipment_id = send("Vedtak om eiendomsskatt")
        seen = _until(messages, "Vedtak om eiendomsskatt")
    feed = [m for m in seen if m.get("event") == "feed"]
    assert 'data-event="created"' in feed[0]["data"]
    assert f"/console/letters/{shipment_id}" in feed[0]["data"]
    assert all(m["data"].lstrip().startswith("<tr") for m in feed)
    wait_for(lambda: state.open_feeds == 0, timeout=5, what="the stream to stop after the client left")


def test_a_feed_ends_after_its_lifetime_and_continues_from_last_event_id(
    live: LiveServer, operator: httpx2.Client, send: Any
) -> None:
    with operator.stream("GET", "/console/feed/stream", params={"lifetime": "30"}) as response:
        messages = _messages(response.iter_lines())
        send("Første brev")
        last_id = _until(messages, "Første brev", event="posted")[-1]["id"]

    send("Andre brev")
    started = time.monotonic()
    with operator.stream(
        "GET", "/console/feed/stream", params={"lifetime": "1.5"}, headers={"Last-Event-ID": last_id}
    ) as response:
        resumed = list(_messages(response.iter_lines()))  # ends by itself: the lifetime is short
    assert time.monotonic() - started < READ_TIMEOUT
    data = "".join(m.get("data", "") for m in resumed)
    assert "Andre brev" in data
    assert "Første brev" not in data, "nothing the client had is sent again"
    assert _console_state(live).open_feeds == 0


def test_the_feed_is_for_the_admin_and_open_feeds_are_bounded(
    live: LiveServer, operator: httpx2.Client
) -> None:
    with httpx2.Client(base_url=live.url, timeout=READ_TIMEOUT) as stranger:
        assert stranger.get("/console/feed/stream").status_code == 401
    state = _console_state(live)
    state.open_feeds += MAX_FEEDS
    try:
        refused = operator.get("/console/feed/stream")
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "10"
    finally:
        state.open_feeds -= MAX_FEEDS


async def _insert_event(runtime: Runtime, template_event_id: uuid.UUID, at_offset: timedelta) -> uuid.UUID:
    """A copy of an event, stamped ``at_offset`` from it: what a transaction that commits late looks like."""
    async with runtime.unit_of_work() as uow:
        template = await uow.events.get(template_event_id)
        assert template is not None
        event_id = uuid.uuid4()
        await uow.conn.execute(
            schema.events.insert().values(
                id=event_id,
                shipment_id=template.shipment_id,
                sender_id=template.sender_id,
                type=EventType.DATA_ADDED.value,
                channel=None,
                at=template.at + at_offset,
                data={"late": True},
                dedup_key=None,
            )
        )
    return event_id


def test_an_event_that_commits_late_is_still_sent_once(live: LiveServer, send: Any) -> None:
    send("Brev")
    runtime = live.runtime
    newest = wait_for(
        lambda: (
            (rows := live.run(newest_events(runtime, 1))) and rows[0].event.type is EventType.POSTED and rows
        ),
        what="the letter to be posted",
    )
    tracker = FeedTracker(starting_cursor(runtime, newest))
    assert live.run(tracker.poll(runtime)) == [], "the page already shows everything up to its cursor"

    late = live.run(_insert_event(runtime, newest[0].event.id, timedelta(seconds=-1)))
    assert [row.event.id for row in live.run(tracker.poll(runtime))] == [late]
    assert live.run(tracker.poll(runtime)) == []
    newer = live.run(_insert_event(runtime, newest[0].event.id, timedelta(seconds=1)))
    assert [row.event.id for row in live.run(tracker.poll(runtime))] == [newer]

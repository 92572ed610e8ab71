"""The operator console through the whole app (TestClient): sign-in, CSRF, finding letters, timelines,
the print queue, webhook redelivery, faults and the clock as an operator uses them.

Fixtures and helpers here are shared by the other ``test_console_*`` modules (see ``__all__``).
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.services.runtime import Runtime
from postbud.services.sandbox.sample_letters import letter_pdf
from tests.integration.test_webhooks import Receiver, receiver

__all__ = ["ADMIN", "Console", "console", "console_for", "receiver", "wait_for"]

ADMIN_TOKEN = "console-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
OLA = "15108695088"
KARI = "31129956715"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGES = (
    "/console/",
    "/console/letters",
    "/console/print",
    "/console/webhooks",
    "/console/faults",
    "/console/clock",
)


def wait_for(check: Callable[[], Any], timeout: float = 20.0, what: str = "the condition") -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@dataclass
class Console:
    client: TestClient
    sender_id: str
    api_key: str

    @property
    def runtime(self) -> Runtime:
        runtime = self.client.app.state.runtime  # type: ignore[attr-defined]
        assert isinstance(runtime, Runtime)
        return runtime

    def run(self, function: Any, *args: Any) -> Any:
        return self.client.portal.call(function, *args)  # type: ignore[union-attr]

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, f"/api/v1{path}", headers=ADMIN, **kwargs)

    def token(self, path: str = "/console/faults") -> str:
        """The CSRF token of the current session, from a page with a form."""
        match = CSRF.search(self.client.get(path).text)
        assert match, f"no form on {path}"
        return match.group(1)

    def sign_in(self) -> None:
        token = self.token("/console/sign-in")
        response = self.client.post(
            "/console/sign-in", data={"csrf_token": token, "token": ADMIN_TOKEN}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/console/"

    def post(self, path: str, data: dict[str, str] | None = None) -> Any:
        return self.client.post(
            path, data={"csrf_token": self.token(), **(data or {})}, follow_redirects=False
        )

    def notice(self, response: Any) -> str:
        """The one-shot message on the page a form post redirected to."""
        assert response.status_code == 303, response.text
        page = self.client.get(response.headers["location"]).text
        match = re.search(r'<div class="alert[^"]*" role="(?:status|alert)"><p>(.*?)</p>', page, re.S)
        assert match, page
        return match.group(1)

    def add_ola(self) -> None:
        response = self.api("PUT", "/recipients", json={"id": OLA, "name": "Ola Nordmann", "mailbox": True})
        assert response.status_code in (200, 201), response.text

    def send(self, subject: str, **letter: Any) -> dict[str, Any]:
        document = {
            "content_base64": base64.b64encode(letter_pdf("Skatteetaten", subject, ("Hei!",))).decode()
        }
        body = {"sender_id": self.sender_id, "documents": [{**document, "title": subject}], **letter}
        response = self.api("POST", "/shipments", json=body)
        assert response.status_code == 201, response.text
        shipment: dict[str, Any] = response.json()["shipment"]
        return shipment

    def send_to_print(self, subject: str, **letter: Any) -> dict[str, Any]:
        address = {"lines": ["Storgata 1"], "postal_code": "0150", "city": "Oslo"}
        return self.send(
            subject, recipient=KARI, recipient_name="Kari Nordmann", print_address=address, **letter
        )

    def shipment(self, shipment_id: str) -> dict[str, Any]:
        response = self.api("GET", f"/shipments/{shipment_id}")
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def event_types(self, shipment_id: str) -> list[str]:
        return [e["type"] for e in self.shipment(shipment_id)["events"]]

    def subscribe(
        self, receiver: Receiver, hook: str, event_types: tuple[str, ...] = ("*",)
    ) -> dict[str, Any]:
        body = {"sender_id": self.sender_id, "url": receiver.url(hook), "event_types": list(event_types)}
        response = self.api("POST", "/webhooks", json=body)
        assert response.status_code == 201, response.text
        receiver.secrets[hook] = response.json()["secret"]
        webhook: dict[str, Any] = response.json()["webhook"]
        return webhook


def console_for(
    tmp_path: Path, database_url: str, *, workers: int = 1, sandbox: bool = True
) -> Iterator[Console]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        workers=workers,
        admin_token=ADMIN_TOKEN,
        sandbox=sandbox,
    )
    with TestClient(create_app(settings)) as client:
        created = client.post(
            "/api/v1/senders",
            json={"name": "Skatteetaten", "organisation_number": "974761076"},
            headers=ADMIN,
        )
        assert created.status_code == 201, created.text
        yield Console(client, created.json()["sender"]["id"], created.json()["api_key"])


@pytest.fixture
def console(tmp_path: Path, database_url: str) -> Iterator[Console]:
    yield from console_for(tmp_path, database_url)


# --- Signing in --------------------------------------------------------------------------------------


def test_every_console_page_needs_the_admin(console: Console) -> None:
    for path in PAGES:
        response = console.client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/console/sign-in")
    letter = console.send_to_print("Vedtak")
    response = console.client.get(f"/console/letters/{letter['id']}", follow_redirects=False)
    assert response.headers["location"] == f"/console/sign-in?next=%2Fconsole%2Fletters%2F{letter['id']}"
    for path in ("/console/feed/stream", "/console/activity", f"/console/print/{letter['id']}/print.pdf"):
        assert console.client.get(path).status_code == 401, path


def test_a_wrong_token_signs_nobody_in(console: Console) -> None:
    for wrong in ("", "console-admin-toke", ADMIN_TOKEN + "x", "x" * 600):
        response = console.client.post(
            "/console/sign-in", data={"csrf_token": console.token("/console/sign-in"), "token": wrong}
        )
        assert response.status_code == 400
        assert "Det var ikke admin-nøkkelen" in response.text
        assert console.client.get("/console/", follow_redirects=False).status_code == 303


def test_signing_in_with_the_admin_token_opens_every_page_and_signing_out_closes_them(
    console: Console,
) -> None:
    console.sign_in()
    for path in PAGES:
        page = console.client.get(path)
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-store"
        assert "Driftskonsoll" in page.text
    assert "Operator console" in console.client.get("/console/?lang=en").text
    response = console.post("/console/sign-out")
    assert response.headers["location"] == "/console/sign-in"
    assert console.client.get("/console/", follow_redirects=False).status_code == 303


def test_sign_in_goes_back_only_to_a_console_page(console: Console) -> None:
    for next_url, expected in (
        ("/console/print", "/console/print"),
        ("https://evil.example/console/", "/console/"),
        ("//evil.example/console/", "/console/"),
        ("/inbox/", "/console/"),
    ):
        console.client.cookies.clear()
        response = console.client.post(
            "/console/sign-in",
            data={"csrf_token": console.token("/console/sign-in"), "token": ADMIN_TOKEN, "next": next_url},
            follow_redirects=False,
        )
        assert response.headers["location"] == expected


def test_a_console_session_ends_when_the_admin_token_changes(tmp_path: Path, database_url: str) -> None:
    for console in console_for(tmp_path, database_url, workers=0):
        console.sign_in()
        cookie = console.client.cookies["postbud_session"]
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, workers=0, admin_token="new-token"
    )
    with TestClient(create_app(settings)) as client:
        client.cookies.set("postbud_session", cookie)
        assert client.get("/console/", follow_redirects=False).status_code == 303


# --- CSRF ----------------------------------------------------------------------------------------------


def test_a_form_without_the_sessions_csrf_token_changes_nothing(console: Console) -> None:
    console.sign_in()
    forms = {
        "/console/faults/channel": {"channel": "print", "percent": "100", "error": "Papirstopp"},
        "/console/faults/webhook": {"url": "http://127.0.0.1:9/hook", "percent": "100"},
        "/console/clock/advance": {"amount": "3", "unit": "days"},
        "/console/sign-out": {},
    }
    for path, data in forms.items():
        for token in (None, "forged-token"):
            posted = data if token is None else {**data, "csrf_token": token}
            response = console.client.post(path, data=posted, follow_redirects=False)
            assert response.status_code == 403, path
            assert "Ingenting er endret" in response.text
    assert console.api("GET", "/sandbox/faults").json() == {"channels": [], "webhooks": []}
    assert console.api("GET", "/sandbox/clock").json()["offset_seconds"] == 0
    assert console.client.get("/console/", follow_redirects=False).status_code == 200, "still signed in"


# --- Letters and their timelines ------------------------------------------------------------------------


def test_find_a_letter_by_id_sender_recipient_status_and_channel(console: Console) -> None:
    console.add_ola()
    digital = console.send("Vedtak om skatt", recipient=OLA)
    printed = console.send_to_print("Brev på papir")
    console.sign_in()

    by_id = console.client.get("/console/letters", params={"id": digital["id"]}, follow_redirects=False)
    assert by_id.headers["location"] == f"/console/letters/{digital['id']}"
    unknown = console.client.get("/console/letters", params={"id": str(uuid.uuid4())})
    assert "Fant ikke noe brev" in unknown.text

    def listed(**params: str) -> str:
        response = console.client.get("/console/letters", params=params)
        assert response.status_code == 200
        return response.text

    assert "Vedtak om skatt" in listed(recipient=OLA)
    assert "Brev på papir" not in listed(recipient=OLA)
    assert "Brev på papir" in listed(channel="print")
    assert "Vedtak om skatt" not in listed(channel="print")
    assert "Vedtak om skatt" in listed(status="delivered")
    both = listed(sender=console.sender_id)
    assert "Vedtak om skatt" in both
    assert "Brev på papir" in both
    assert "status: one of" in listed(status="lost")
    assert printed["channel"] == "print"


def test_a_letters_timeline_shows_every_event_and_why_its_channel_was_chosen(console: Console) -> None:
    letter = console.send_to_print("Brev på papir")
    wait_for(lambda: "posted" in console.event_types(letter["id"]), what="the letter to be posted")
    console.sign_in()
    page = console.client.get(f"/console/letters/{letter['id']}").text
    for label in ("Mottatt", "Rutet", "Sendt til print", "Printet", "Postlagt"):
        assert label in page
    assert "Kanalvalg og begrunnelse" in page
    assert "no digital channel could take it; letter carries print instructions" in page
    assert "digital_mailbox: recipient is not registered" in page, "why each channel was passed over"
    assert console.client.get(f"/console/letters/{uuid.uuid4()}").status_code == 404


# --- The print queue -------------------------------------------------------------------------------------


def test_the_print_queue_shows_the_print_ready_pdf_as_page_images(console: Console) -> None:
    letter = console.send_to_print("Brev på papir")
    wait_for(lambda: "posted" in console.event_types(letter["id"]), what="the letter to be posted")
    console.sign_in()
    queue = console.client.get("/console/print").text
    assert "Brev på papir" in queue
    assert "Postlagt" in queue
    page = console.client.get(f"/console/print/{letter['id']}").text
    assert "Kari Nordmann" in page
    assert "0150 Oslo" in page
    image = re.search(r'<img class="page" src="([^"]+)"', page)
    assert image, page
    png = console.client.get(image.group(1).replace("&amp;", "&"))
    assert png.status_code == 200
    assert png.content.startswith(b"\x89PNG")
    pdf = console.client.get(f"/console/print/{letter['id']}/print.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    assert console.client.get(f"/console/print/{letter['id']}/pages/99.png").status_code == 404
    assert console.client.get(f"/console/print/{letter['id']}/pages/1.png?w=123").status_code == 400


def test_run_print_now_prints_a_held_letter_at_once(console: Console) -> None:
    later = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    letter = console.send_to_print("Sendes senere", publish_at=later)
    assert console.shipment(letter["id"])["status"] == "scheduled"
    console.sign_in()
    assert "Holdt tilbake" in console.client.get("/console/print").text
    notice = console.notice(
        console.post(f"/console/letters/{letter['id']}/run-now", {"back": "/console/print"})
    )
    assert "kjøres nå" in notice
    wait_for(lambda: "posted" in console.event_types(letter["id"]), what="the held letter to be printed")
    again = console.notice(console.post(f"/console/letters/{letter['id']}/run-now"))
    assert "Ingenting venter" in again


# --- Webhooks ---------------------------------------------------------------------------------------------


def test_the_webhook_log_shows_attempts_and_redelivers(console: Console, receiver: Receiver) -> None:
    console.subscribe(receiver, "log", ("delivered",))
    console.add_ola()
    receiver.fail_next = 1
    letter = console.send("Vedtak", recipient=OLA)
    deliveries = wait_for(
        lambda: [d for d in console.api("GET", "/webhooks/deliveries").json() if d["status"] != "pending"],
        what="the first attempt",
    )
    console.sign_in()
    log = console.client.get("/console/webhooks").text
    assert receiver.url("log") in log
    assert "HTTP 500: receiver is down" in log
    assert "Svarkode" in log

    delivery_id = deliveries[0]["id"]
    notice = console.notice(console.post(f"/console/webhooks/deliveries/{delivery_id}/redeliver"))
    assert "sendes på nytt" in notice
    wait_for(lambda: len(receiver.by_hook("log")) == 2, what="the redelivery")
    attempts = wait_for(
        lambda: (
            (a := console.api("GET", f"/webhooks/deliveries/{delivery_id}/attempts").json())[-1][
                "status_code"
            ]
            == 204
            and a
        ),
        what="the redelivery to be logged",
    )
    assert [a["status_code"] for a in attempts] == [500, 204]
    timeline = console.client.get(f"/console/letters/{letter['id']}").text
    assert receiver.url("log") in timeline, "a letter's page lists the deliveries of its events"
    filtered = console.client.get("/console/webhooks", params={"status": "failed"}).text
    assert receiver.url("log") not in filtered
    assert console.client.get("/console/webhooks", params={"status": "lost"}).status_code == 400


# --- Faults and the clock in the console --------------------------------------------------------------


def test_faults_are_set_and_removed_in_the_console(console: Console) -> None:
    console.sign_in()
    notice = console.notice(
        console.post("/console/faults/channel", {"channel": "print", "percent": "50", "error": "Papirstopp"})
    )
    assert "lagret" in notice
    console.post(
        "/console/faults/webhook",
        {"url": "https://hooks.example/a", "percent": "100", "mode": "timeout", "error": "nede"},
    )
    faults = console.api("GET", "/sandbox/faults").json()
    assert faults["channels"] == [{"channel": "print", "probability": 0.5, "error": "Papirstopp"}]
    assert faults["webhooks"] == [
        {
            "url": "https://hooks.example/a",
            "probability": 1.0,
            "status_code": None,
            "timeout": True,
            "error": "nede",
        }
    ]
    page = console.client.get("/console/faults").text
    assert "Papirstopp" in page
    assert "https://hooks.example/a" in page

    for bad in ({"channel": "print", "percent": "150"}, {"channel": "pigeon", "percent": "10"}):
        assert "Sjekk feltene" in console.notice(console.post("/console/faults/channel", bad))
    bad_hook = {"url": "ftp://x", "percent": "10", "mode": "status", "status_code": "200"}
    assert "Sjekk feltene" in console.notice(console.post("/console/faults/webhook", bad_hook))
    assert len(console.api("GET", "/sandbox/faults").json()["channels"]) == 1

    console.post("/console/faults/channel", {"channel": "print", "percent": "0"})
    assert console.api("GET", "/sandbox/faults").json()["channels"] == []
    assert "Fjernet 1 feil" in console.notice(console.post("/console/faults/clear"))
    assert console.api("GET", "/sandbox/faults").json() == {"channels": [], "webhooks": []}


def test_outside_the_sandbox_faults_and_the_clock_stay_as_they_are(tmp_path: Path, database_url: str) -> None:
    for console in console_for(tmp_path, database_url, workers=0, sandbox=False):
        console.sign_in()
        refused = console.notice(
            console.post("/console/faults/channel", {"channel": "print", "percent": "100"})
        )
        assert "bare i sandkassemodus" in refused
        assert "bare i sandkassemodus" in console.notice(
            console.post("/console/clock/advance", {"amount": "1", "unit": "days"})
        )
        problem = console.api("PUT", "/sandbox/faults/channels/print", json={"probability": 1})
        assert problem.status_code == 403
        assert console.api("POST", "/sandbox/clock/advance", json={"seconds": 60}).status_code == 403
        assert console.api("GET", "/sandbox/faults").json() == {"channels": [], "webhooks": []}


def test_the_start_page_charts_letters_per_channel_and_the_job_backlog(console: Console) -> None:
    console.add_ola()
    console.send("Vedtak", recipient=OLA)
    letter = console.send_to_print("Brev på papir")
    wait_for(lambda: "posted" in console.event_types(letter["id"]), what="the print letter")
    console.sign_in()
    page = console.client.get("/console/").text
    assert "2 brev rutet det siste døgnet" in page
    assert 'class="series series--digital_mailbox"' in page
    assert 'class="series series--print"' in page
    assert "Digital postkasse: 1" in page
    assert "Print: 1" in page
    assert "Jobbkø" in page
    assert "Vedtak" in page
    assert "Brev på papir" in page
    fragment = console.client.get("/console/activity").text
    assert 'id="activity"' in fragment
    assert "<html" not in fragment, "the chart alone, for htmx to swap in"


def test_every_event_status_channel_and_state_has_a_name_in_both_languages() -> None:
    from postbud.domain.channels import Channel
    from postbud.domain.events import EventType
    from postbud.domain.status import ShipmentStatus
    from postbud.services.console.activity_chart import NOT_DELIVERED
    from postbud.services.console.webhook_log import STATUSES
    from postbud.storage.repos.jobs import DEAD, DONE, READY, RUNNING
    from postbud.web.console.texts import CONSOLE_TEXTS
    from postbud.web.console.webhook_texts import WEBHOOK_TEXTS

    named = (
        [f"console.event.{t.value}" for t in EventType]
        + [f"console.status.{s.value}" for s in ShipmentStatus]
        + [f"console.channel.{c}" for c in [*(c.value for c in Channel), NOT_DELIVERED]]
        + [f"console.job.{s}" for s in (READY, RUNNING, DONE, DEAD)]
        + [f"console.delivery.{s}" for s in STATUSES]
        + [
            f"console.print_state.{s}"
            for s in (
                "held",
                "queued",
                "retrying",
                "printing",
                "stuck",
                "in_print",
                "printed",
                "posted",
                "failed",
            )
        ]
    )
    missing = [key for key in named if key not in CONSOLE_TEXTS and key not in WEBHOOK_TEXTS]
    assert missing == []
    assert all(nb and en for nb, en in CONSOLE_TEXTS.values())

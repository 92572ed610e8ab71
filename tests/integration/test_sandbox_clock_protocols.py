"""Issue 12 defect 1: the sandbox clock moves business time, never the protocols' own clocks.

A real Postbud on a loopback port (uvicorn, the whole app); the operator moves the clock a week ahead on
the console's Clock page; then the real Digipost SDK (which checks the response's ``Date`` within ±5
minutes and signs its requests with the real time), an Altinn token and an Ekopost call must still work,
every ``Date`` header must be the real time, and the letter sent must carry the sandbox (business) time.
Setting the clock back to real time from the console ends the offset for good (also after a restart).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx2 as httpx
import pytest

from postbud.app import create_app
from postbud.config import Settings
from postbud.dialects.altinn.tokens import mint_organisation_token
from postbud.sdk.digipost import (
    DigipostClient,
    DigipostConfig,
    Document,
    Message,
    PersonalIdentificationNumber,
)
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.parties.resources import RegisterResource, register_resource
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import clock_view
from postbud.services.sandbox.seed import SandboxSender, sandbox_sender
from postbud.services.sandbox.token_issuer import token_issuer
from tests.integration.digipost_fixtures import a_pdf
from tests.integration.sdk_live_server import loopback_listener, run_with_runtime, serving
from tests.integration.test_console_web import Console, console, receiver, wait_for
from tests.integration.test_webhooks import Receiver

__all__ = ["console", "receiver"]

ADMIN_TOKEN = "clock-admin-token"
ALTINN_OWNER = "974761076"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
REAL_TIME_SLACK = timedelta(minutes=1)
OLA = "15108695088"


@dataclass
class Live:
    url: str
    settings: Settings
    sandbox: SandboxSender


def _prepare(settings: Settings) -> SandboxSender:
    async def work(runtime: Runtime) -> SandboxSender:
        await register_sender(RegisterSender(name="Skatteetaten", organisation_number=ALTINN_OWNER), runtime)
        await register_resource(
            RegisterResource(id="skd-melding", owner=ALTINN_OWNER, titles={"nb": "Skattemelding"}), runtime
        )
        await register_recipient(RecipientInput(id=OLA, name="Ola Nordmann", mailbox=True), runtime)
        return await sandbox_sender(runtime)

    return run_with_runtime(settings, work)


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[Live]:
    listener, url = loopback_listener()
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        workers=0,
        public_url=url,
        admin_token=ADMIN_TOKEN,
    )
    sandbox = _prepare(settings)
    with serving(create_app(settings), listener, date_header=False, server_header=False):
        yield Live(url, settings, sandbox)


def _form(client: httpx.Client, page: str, action: str, data: dict[str, str]) -> httpx.Response:
    match = CSRF.search(client.get(page).text)
    assert match, f"no form on {page}"
    return client.post(action, data={"csrf_token": match.group(1), **data})


def _console(live: Live) -> httpx.Client:
    client = httpx.Client(base_url=live.url, follow_redirects=False)
    signed_in = _form(client, "/console/sign-in", "/console/sign-in", {"token": ADMIN_TOKEN})
    assert signed_in.status_code == 303, signed_in.text
    return client


def _is_real_time(response: httpx.Response) -> bool:
    return abs(parsedate_to_datetime(response.headers["date"]) - datetime.now(UTC)) < REAL_TIME_SLACK


def _digipost(live: Live) -> DigipostClient:
    key = Path(live.sandbox.key_file).read_bytes()
    return DigipostClient(
        DigipostConfig.from_pem(live.sandbox.digipost_id, key, base_url=f"{live.url}/digipost")
    )


def _sandbox_now(live: Live) -> datetime:
    return run_with_runtime(live.settings, clock_view).now


def test_a_week_ahead_on_the_console_clock_leaves_digipost_altinn_and_ekopost_on_real_time(
    live: Live,
) -> None:
    console = _console(live)
    moved = _form(console, "/console/clock", "/console/clock/advance", {"amount": "7", "unit": "days"})
    assert moved.status_code == 303, moved.text
    assert _sandbox_now(live) - datetime.now(UTC) > timedelta(days=6, hours=23)

    # The SDK signs with the real time and refuses a response dated more than 5 minutes off.
    document = Document(subject="Vedtak")
    with _digipost(live) as digipost:
        assert digipost.entrypoint().links
        delivery = digipost.send(
            Message(document, PersonalIdentificationNumber(OLA)), {document.uuid: a_pdf()}
        )
    assert delivery.delivery_time is not None
    assert delivery.delivery_time - datetime.now(UTC) > timedelta(days=6, hours=23), "business time moved"
    assert _is_real_time(httpx.get(f"{live.url}/digipost/"))

    issuer = token_issuer(live.settings.resolved_data_dir)
    token = mint_organisation_token(issuer, live.url, ALTINN_OWNER, ["altinn:correspondence.write"])
    altinn = httpx.get(
        f"{live.url}/correspondence/api/v1/correspondence",
        params={"resourceId": "skd-melding", "role": "Sender"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert altinn.status_code == 200, altinn.text
    assert _is_real_time(altinn)

    ekopost_key = {"Authorization": f"api-key {live.sandbox.api_key}"}
    ekopost = httpx.post(f"{live.url}/ekopost/campaigns", json={"name": "Uke"}, headers=ekopost_key)
    assert ekopost.status_code in (200, 201), ekopost.text
    assert _is_real_time(ekopost)


def test_the_console_sets_the_clock_back_to_real_time_for_good(live: Live) -> None:
    console = _console(live)
    _form(console, "/console/clock", "/console/clock/advance", {"amount": "7", "unit": "days"})
    assert "foran virkelig tid" in console.get("/console/clock").text
    back = _form(console, "/console/clock", "/console/clock/reset", {})
    assert back.status_code == 303, back.text
    assert "Går som virkelig tid" in console.get("/console/clock").text
    assert abs(_sandbox_now(live) - datetime.now(UTC)) < REAL_TIME_SLACK  # a new process reads it too


def test_a_week_ahead_webhooks_are_signed_with_the_real_time(console: Console, receiver: Receiver) -> None:
    console.add_ola()
    console.subscribe(receiver, "ahead")
    ahead = console.api("POST", "/sandbox/clock/advance", json={"seconds": 7 * 86400})
    assert ahead.status_code == 200, ahead.text
    letter = console.send("Om en uke", recipient=OLA)
    wait_for(lambda: receiver.by_hook("ahead"), what="a webhook delivery")
    [first, *_] = receiver.by_hook("ahead")
    assert first.valid, "the receiver checks webhook-timestamp within 5 minutes of its own clock"
    sent_at = datetime.fromtimestamp(int(first.headers["webhook-timestamp"]), UTC)
    assert abs(sent_at - datetime.now(UTC)) < REAL_TIME_SLACK
    event_at = datetime.fromisoformat(console.shipment(letter["id"])["events"][0]["at"])
    assert event_at - datetime.now(UTC) > timedelta(days=6, hours=23), "the event itself is business time"


def test_an_ekopost_directory_answer_is_dated_in_real_time(live: Live) -> None:
    console = _console(live)
    _form(console, "/console/clock", "/console/clock/advance", {"amount": "7", "unit": "days"})
    found = httpx.get(
        f"{live.url}/ekopost/reachable/peppol",
        params={"recipient": "Ola"},
        headers={"Authorization": f"api-key {live.sandbox.api_key}"},
    )
    assert found.status_code == 200, found.text
    created = datetime.fromisoformat(found.json()["creation-dt"]).replace(tzinfo=UTC)
    assert abs(created - datetime.now(UTC)) < REAL_TIME_SLACK

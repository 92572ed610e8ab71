"""Resetting the sandbox from the console (whole app, TestClient; SQLite and PostgreSQL): nothing
happens without the confirming tick or the CSRF token; with them every letter and its capture go,
the population and the sandbox credentials stay; outside a sandbox the page refuses."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_captures_console import _by_email
from tests.integration.test_console_web import Console, console_for


@pytest.fixture
def console(tmp_path: Path, database_url: str) -> Iterator[Console]:
    for console in console_for(tmp_path, database_url):
        console.sign_in()
        yield console


def _letters(console: Console) -> int:
    response = console.api("GET", "/shipments")
    assert response.status_code == 200, response.text
    return len(response.json()["items"])


def _english(console: Console) -> None:
    console.client.get("/console/reset?lang=en")


def test_a_reset_without_the_tick_deletes_nothing(console: Console) -> None:
    _by_email(console, "Beholdes")
    _english(console)
    response = console.post("/console/reset", {"reseed": "on"})
    assert (
        console.notice(response)
        == "Nothing was deleted: tick the box to confirm that every letter should go."
    )
    assert _letters(console) == 1


def test_a_reset_without_the_csrf_token_is_refused(console: Console) -> None:
    _by_email(console, "Beholdes")
    refused = console.client.post("/console/reset", data={"confirm": "yes"}, follow_redirects=False)
    assert refused.status_code == 403
    assert _letters(console) == 1


def test_a_confirmed_reset_deletes_letters_and_captures_and_keeps_the_rest(console: Console) -> None:
    event = _by_email(console, "Slettes")
    recipients_before = console.api("GET", "/recipients").json()
    _english(console)
    response = console.post("/console/reset", {"confirm": "yes"})
    notice = console.notice(response)
    assert re.fullmatch(
        r"The sandbox was reset: 1 letter and \d+ files? were deleted\. "
        r"The people and organisations were kept\. The credentials are unchanged\.",
        notice,
    ), notice
    assert _letters(console) == 0
    assert console.client.get(f"/console/captures/{event['id']}").status_code == 404
    assert "No e-mail or SMS has been captured yet." in console.client.get("/console/captures").text
    assert console.api("GET", "/recipients").json() == recipients_before
    # The sender's API key still works: an integrator's configuration stays valid.
    kept = console.client.get("/api/v1/shipments", headers={"Authorization": f"Bearer {console.api_key}"})
    assert kept.status_code == 200


def test_the_reset_page_has_the_form_and_is_in_the_navigation(console: Console) -> None:
    page = console.client.get("/console/reset?lang=en").text
    assert 'href="/console/reset" aria-current="page"' in page
    assert re.search(r'<form class="panel" method="post" action="/console/reset">', page)
    assert 'name="confirm" type="checkbox" value="yes" required' in page


def test_outside_a_sandbox_there_is_no_reset(tmp_path: Path, database_url: str) -> None:
    for console in console_for(tmp_path, database_url, sandbox=False):
        console.sign_in()
        page = console.client.get("/console/reset?lang=en").text
        assert '<form class="panel" method="post" action="/console/reset">' not in page
        sent = console.send_to_print("Produksjon")
        response = console.post("/console/reset", {"confirm": "yes"})
        assert "sandbox" in console.notice(response).lower()
        assert console.shipment(sent["id"])["id"] == sent["id"], "nothing was deleted"


def test_new_credentials_from_a_reset_are_the_ones_the_home_page_shows(console: Console) -> None:
    sender_json = console.runtime.settings.resolved_data_dir / "sandbox" / "sender.json"

    def shown_key() -> str:
        match = re.search(
            r"<dt>API key</dt><dd><code class=\"mono copy\">([^<]+)</code>", console.client.get("/").text
        )
        assert match, "the home page shows an API key"
        return match.group(1)

    _english(console)
    console.notice(console.post("/console/reset", {"confirm": "yes", "new_credentials": "on"}))
    first = json.loads(sender_json.read_text())["api_key"]
    assert shown_key() == first
    notice = console.notice(console.post("/console/reset", {"confirm": "yes", "new_credentials": "on"}))
    assert notice.endswith("The sandbox sender was made again: see the home page for its credentials.")
    second = json.loads(sender_json.read_text())["api_key"]
    assert second != first
    assert shown_key() == second

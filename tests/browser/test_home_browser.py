"""A newcomer opens http://host:port/ in a browser: it says what runs, where each API is and how to
connect, shows the sandbox credentials and time, and its links lead to the inbox, the console and
the API docs."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Page, expect

from postbud.sdk.digipost import DigipostClient, DigipostConfig
from tests.browser.live_server import LiveServer

pytestmark = pytest.mark.browser


def _stored_credentials(server: LiveServer) -> dict[str, str]:
    stored: dict[str, str] = json.loads(
        (server.settings.resolved_data_dir / "sandbox" / "sender.json").read_text()
    )
    return stored


def _fact(page: Page, section: str, term: str) -> str:
    """The text of the fact ``term`` (a <dt>) in the section headed ``section``."""
    region = page.get_by_role("region", name=section)
    return region.locator(".fact", has=page.locator("dt", has_text=term)).first.locator("dd").inner_text()


def test_the_home_page_says_what_runs_and_how_to_connect(
    live_server: LiveServer, inbox_page: Page, screenshots: Path
) -> None:
    page = inbox_page
    url = live_server.url
    page.goto(f"{url}/")
    expect(page).to_have_title(re.compile("Postbud"))
    expect(page.get_by_role("heading", level=1, name=f"Postbud {version('postbud')}")).to_be_visible()

    # Each API's base URL, as a client is configured with it.
    apis = page.get_by_role("region", name="API-ene og hvordan du kobler til")
    digipost = apis.get_by_role("article", name="Digipost")
    expect(digipost).to_contain_text(f"{url}/digipost/")
    expect(digipost).to_contain_text("X-Digipost-UserId")
    expect(apis.get_by_role("article", name="Ekopost")).to_contain_text(f"{url}/ekopost/")
    altinn = apis.get_by_role("article", name="Altinn Correspondence")
    expect(altinn).to_contain_text(f"{url}/correspondence/api/v1/")
    expect(altinn).to_contain_text(f"POST {url}/maskinporten/token")
    expect(apis.get_by_role("article", name="Postbuds plattform-API")).to_contain_text(f"{url}/api/v1")

    # The sandbox credentials are the ones in sender.json; the admin token only by where it is.
    stored = _stored_credentials(live_server)
    assert _fact(page, "Testnøkler", "API-nøkkel") == stored["api_key"]
    assert _fact(page, "Testnøkler", "Broker-id") == str(stored["digipost_id"])
    assert _fact(page, "Testnøkler", "Signeringsnøkkel") == stored["key_file"]
    assert "POSTBUD_ADMIN_TOKEN" in _fact(page, "Testnøkler", "Admin-nøkkel")
    assert "browser-admin" not in page.content()
    expect(digipost).to_contain_text(stored["key_file"])
    expect(apis.get_by_role("article", name="Ekopost")).to_contain_text(
        f"Authorization: api-key {stored['api_key']}"
    )

    # What runs, and the sandbox time.
    assert _fact(page, "Dette kjører", "Database").startswith("SQLite – ")
    assert _fact(page, "Dette kjører", "Dokumenter") == f"filer i {live_server.settings.resolved_blob_url}"
    expect(page.get_by_role("region", name="Tid i sandkassen").locator("time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d{2}-\d{2}T")
    )
    page.screenshot(path=str(screenshots / "home.png"), full_page=True)

    # In English too.
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=2, name="The APIs and how to connect")).to_be_visible()
    expect(page.get_by_role("region", name="Sandbox credentials")).to_contain_text(stored["api_key"])


@pytest.mark.parametrize(
    ("link", "lands_on"),
    [
        ("Innboksen", re.compile(r"/inbox/sign-in")),
        ("Konsollen", re.compile(r"/console/sign-in")),
        ("API-dokumentasjonen", re.compile(r"/api/v1/docs$")),
        ("ReDoc (referanse)", re.compile(r"/api/v1/redoc$")),
        ("Fanget e-post og SMS", re.compile(r"/console/sign-in\?next=%2Fconsole%2Fcaptures$")),
        ("Nullstill sandkassen", re.compile(r"/console/sign-in\?next=%2Fconsole%2Freset$")),
    ],
)
def test_the_home_page_links_lead_where_they_say(
    live_server: LiveServer, inbox_page: Page, link: str, lands_on: re.Pattern[str]
) -> None:
    page = inbox_page
    page.goto(f"{live_server.url}/")
    page.get_by_role("main").get_by_role("link", name=link, exact=True).click()
    expect(page).to_have_url(lands_on)
    if "docs" in lands_on.pattern:
        expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)


def test_a_client_connects_with_what_the_home_page_says(live_server: LiveServer, inbox_page: Page) -> None:
    """What a newcomer copies from the page is enough: the Digipost SDK signs with the broker id and
    key file shown and reads the entrypoint; Ekopost answers the header shown; the platform API
    answers the API key shown."""
    page = inbox_page
    page.goto(f"{live_server.url}/?lang=en")
    apis = page.get_by_role("region", name="The APIs and how to connect")

    digipost = apis.get_by_role("article", name="Digipost")
    base = (
        digipost.locator(".fact", has=page.locator("dt", has_text="Base URL"))
        .locator("code")
        .first.inner_text()
    )
    broker = (
        digipost.locator(".fact", has=page.locator("dt", has_text="Broker id")).locator("dd").inner_text()
    )
    key_file = (
        digipost.locator(".fact", has=page.locator("dt", has_text="Signing key")).locator("dd").inner_text()
    )
    with DigipostClient(
        DigipostConfig.from_pem(int(broker), Path(key_file), base_url=base.rstrip("/"))
    ) as client:
        assert client.entrypoint().links, "a signed request, answered and verified"

    ekopost = apis.get_by_role("article", name="Ekopost")
    eko_base = (
        ekopost.locator(".fact", has=page.locator("dt", has_text="Base URL"))
        .locator("code")
        .first.inner_text()
    )
    header = ekopost.locator(".fact", has=page.locator("dt", has_text="Header")).locator("dd").inner_text()
    name, _, value = header.partition(": ")
    campaigns = httpx2.get(f"{eko_base}campaigns", headers={name: value}, timeout=10)
    assert campaigns.status_code == 200, campaigns.text

    api_key = _fact(page, "Sandbox credentials", "API key")
    api_base = apis.get_by_role("article", name="Postbud's platform API").locator("code").first.inner_text()
    shipments = httpx2.get(
        f"{api_base}/shipments", headers={"Authorization": f"Bearer {api_key}"}, timeout=10
    )
    assert shipments.status_code == 200, shipments.text

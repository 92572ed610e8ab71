"""An integrator in a real browser sees webhooks without a server of their own: subscribes a sender
to Postbud's built-in request bin, sends a test event, sees it arrive signed (verified against the
subscription) and finds the attempt's request and response in the delivery log; pauses, resumes
and deletes the subscription; in every format. The pages meet contrast and have labelled fields."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx2
import pytest
from playwright.sync_api import Page, expect

from postbud.services.sandbox.seed import SANDBOX_SENDER_NAME
from tests.browser.live_server import LiveServer
from tests.browser.test_accessibility_browser import _check_page
from tests.browser.test_console_browser import _sandbox_sender_id, _sign_in, api

__all__ = ["api"]

pytestmark = pytest.mark.browser
SENDER = SANDBOX_SENDER_NAME


def _open_bin(page: Page, live_server: LiveServer) -> str:
    name = f"bin-{uuid.uuid4().hex[:8]}"
    page.goto(f"{live_server.url}/console/webhooks")
    page.get_by_role("link", name="Forespørselsbokser").click()
    expect(page.get_by_role("heading", level=1, name="Forespørselsbokser")).to_be_visible()
    page.get_by_label("Navn").fill(name)
    page.get_by_role("button", name="Åpne").click()
    expect(page.get_by_role("heading", level=1, name=f"Forespørselsboks {name}")).to_be_visible()
    expect(page.locator("#bin-url")).to_have_text(f"{live_server.url}/sandbox/bins/{name}")
    return name


def _subscribe_to_bin(page: Page, format_label: str) -> str:
    panel = page.locator("section", has=page.get_by_role("heading", name="Abonnementer som sender hit"))
    panel.get_by_label("Avsender").select_option(label=SENDER)
    panel.get_by_label("Format").select_option(label=format_label)
    panel.get_by_role("button", name="Abonner").click()
    expect(page.get_by_role("heading", level=1, name="Webhook-abonnementer")).to_be_visible()
    secret = page.locator("#subscription-secret").inner_text()
    assert secret
    return secret


@pytest.mark.parametrize(
    ("format_label", "event_type"),
    [
        ("Standard Webhooks", '"type":"webhook.test"'),
        ("Ekopost (X-Ekopost-Signature)", '"event":"test"'),
        ("CloudEvents 1.0", '"type":"no.postbud.webhook.test"'),
    ],
)
def test_a_test_event_reaches_the_request_bin_signed_and_is_logged_with_request_and_response(
    live_server: LiveServer,
    page: Page,
    api: httpx2.Client,
    format_label: str,
    event_type: str,
    screenshots: Path,
) -> None:
    page.set_default_timeout(15_000)
    _sign_in(page, live_server)
    name = _open_bin(page, live_server)
    expect(page.get_by_text("Ingenting mottatt ennå.")).to_be_visible()
    secret = _subscribe_to_bin(page, format_label)

    row = page.locator("tr.subscription", has_text=f"/sandbox/bins/{name}")
    expect(row).to_contain_text("Aktiv")
    row.get_by_role("button", name="Send testhendelse").click()
    expect(page.get_by_role("status")).to_contain_text("En testhendelse er lagt i kø")

    page.goto(f"{live_server.url}/console/webhooks/bins/{name}")
    arrived = page.locator("li.bin-request")
    for _ in range(100):
        if arrived.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    expect(arrived).to_have_count(1)
    expect(arrived.locator(".signature")).to_have_text("Gyldig signatur")
    expect(arrived.locator("pre.body")).to_contain_text(event_type)
    assert secret not in page.content()
    _check_page(page)
    page.screenshot(
        path=screenshots / f"console-request-bin-{format_label.split()[0].lower()}.png", full_page=True
    )

    page.get_by_role("link", name="Leveranser").click()
    delivery = page.locator("li.delivery", has_text=f"/sandbox/bins/{name}").first
    expect(delivery).to_contain_text("Testhendelse")
    expect(delivery).to_contain_text("Levert")
    delivery.get_by_text("Forespørsel og svar").click()
    exchange = delivery.locator("details.exchange")
    expect(exchange).to_contain_text(f"POST {live_server.url}/sandbox/bins/{name}")
    signature_header = "x-ekopost-signature" if format_label.startswith("Ekopost") else "webhook-signature"
    expect(exchange).to_contain_text(re.compile(signature_header, re.IGNORECASE))
    expect(exchange).to_contain_text("HTTP 200")
    expect(exchange.locator("pre.body").last).to_contain_text('"bin":')
    assert secret not in page.content()
    _check_page(page)
    delivery.screenshot(path=screenshots / "console-webhook-attempt.png")


def test_a_subscription_is_paused_resumed_and_deleted(
    live_server: LiveServer, page: Page, api: httpx2.Client
) -> None:
    page.set_default_timeout(10_000)
    _sign_in(page, live_server)
    name = _open_bin(page, live_server)
    _subscribe_to_bin(page, "Standard Webhooks")
    _check_page(page)
    row = page.locator("tr.subscription", has_text=f"/sandbox/bins/{name}")

    row.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("status")).to_have_text("Abonnementet er pauset.")
    expect(row).to_contain_text("Pauset")
    expect(row.get_by_role("button", name="Send testhendelse")).to_have_count(0)
    row.get_by_role("button", name="Gjenoppta").click()
    expect(page.get_by_role("status")).to_have_text("Abonnementet er aktivt igjen.")
    expect(row).to_contain_text("Aktiv")
    row.get_by_role("button", name=re.compile("Slett abonnementet")).click()
    expect(page.get_by_role("status")).to_have_text("Abonnementet er slettet.")
    expect(row).to_have_count(0)
    sender_id = _sandbox_sender_id(api)
    urls = [w["url"] for w in api.get("/webhooks", params={"sender_id": sender_id}).json()]
    assert f"{live_server.url}/sandbox/bins/{name}" not in urls


def test_the_subscription_form_adds_one_and_names_what_it_refuses(
    live_server: LiveServer, page: Page
) -> None:
    page.set_default_timeout(10_000)
    _sign_in(page, live_server)
    page.goto(f"{live_server.url}/console/webhooks/subscriptions")
    form = page.locator("form", has=page.get_by_role("button", name="Abonner"))
    form.get_by_label("Avsender").select_option(label=SENDER)
    form.get_by_label("URL som skal motta hendelsene").fill("https://example.com/hooks/a")
    form.get_by_label("Hendelser (kommaseparert)").fill("delivered, finished")
    form.get_by_role("button", name="Abonner").click()
    errors = page.locator("#subscription-errors")
    expect(errors).to_contain_text("event_types")
    expect(errors).to_contain_text("unknown event type 'finished'")
    expect(page.get_by_label("URL som skal motta hendelsene")).to_have_value("https://example.com/hooks/a")

    page.get_by_label("Hendelser (kommaseparert)").fill("delivered, opened")
    page.get_by_role("button", name="Abonner").click()
    expect(page.locator("#subscription-added")).to_contain_text("delivered, opened")
    row = page.locator("tr.subscription", has_text="https://example.com/hooks/a")
    expect(row).to_contain_text("delivered, opened")
    row.get_by_role("button", name=re.compile("Slett abonnementet")).click()
    expect(row).to_have_count(0)

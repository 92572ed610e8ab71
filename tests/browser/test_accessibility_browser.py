"""Accessibility in a real browser: keyboard only, visible focus, labelled fields, WCAG AA contrast."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from postbud.sdk.digipost import Invoice
from tests.browser.helpers import person, sandbox_sender, send, sign_in
from tests.browser.live_server import LiveServer
from tests.browser.test_captures_browser import _email, _sms, api_client
from tests.browser.test_captures_browser import sign_in as console_sign_in

pytestmark = pytest.mark.browser

ADMIN_TOKEN = "browser-admin"  # the live server's
_HERE = Path(__file__).parent

# Every visible text node against the background it is painted on (the first opaque ancestor
# background), as WCAG 2.1 (1.4.3) computes it: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
_CONTRAST = (_HERE / "contrast.js").read_text()

# Form fields a screen reader can name: a <label>, aria-label or aria-labelledby.
_UNLABELLED = (_HERE / "unlabelled.js").read_text()


def _check_page(page: Page) -> None:
    failures: list[Any] = page.evaluate(_CONTRAST)
    assert failures == [], f"{page.url}: text below WCAG AA contrast: {failures}"
    unlabelled: list[Any] = page.evaluate(_UNLABELLED)
    assert unlabelled == [], f"{page.url}: form fields without a label: {unlabelled}"


def _tab_to(page: Page, accessible_name: re.Pattern[str], limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.innerText || ''")
        if accessible_name.search(focused):
            return
    raise AssertionError(f"Tab never reached {accessible_name.pattern!r}")


def test_a_recipient_reads_and_pays_with_the_keyboard_alone(
    live_server: LiveServer, inbox_page: Page
) -> None:
    owner = person(live_server, 5)
    invoice = Invoice(
        due_date=datetime.now(UTC) + timedelta(days=14),
        sum=Decimal("812.00"),
        creditor_account="12345678903",
        kid="1234567890003",
    )
    with sandbox_sender(live_server) as sender:
        send(sender, owner, "Faktura for vann og avløp", datatype=invoice)
    page = inbox_page
    sign_in(page, live_server, owner)
    _check_page(page)

    # The first Tab reaches the skip link, which jumps past the header to the content.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_class(re.compile("skip-link"))
    expect(skip).to_be_visible()

    _tab_to(page, re.compile("Faktura for vann og avløp"))
    focused = page.locator(":focus")
    outline = focused.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert not outline.startswith("none"), f"no visible focus on the letter link ({outline})"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Faktura for vann og avløp")).to_be_visible()
    _check_page(page)  # the letter with its invoice card

    # Pay from the keyboard: Tab to the button, Enter; the card then says it is paid.
    _tab_to(page, re.compile("^Betal"))
    page.keyboard.press("Enter")
    expect(page.locator(".paid")).to_be_visible()
    _check_page(page)


def test_the_console_meets_contrast_and_labels(live_server: LiveServer, inbox_page: Page) -> None:
    page = inbox_page
    page.goto(f"{live_server.url}/console/")
    _check_page(page)  # the sign-in form
    page.get_by_label("Admin-nøkkel").fill(ADMIN_TOKEN)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Hva skjer nå")).to_be_visible()
    _check_page(page)


def test_the_checks_catch_what_they_look_for(inbox_page: Page) -> None:
    inbox_page.set_content(
        "<body style='background:#fff'>"
        "<p style='color:#777'>pale grey on white</p>"  # 4.48:1, just under AA
        "<p style='color:#767676'>darkest passing grey</p>"  # 4.54:1
        "<h1 style='color:#949494;font-size:32px'>large text needs 3:1</h1>"  # 3.03:1
        "<div style='background:#0a0a0a'><span style='color:#333'>dark on black</span></div>"
        "<label for='a'>Named</label><input id='a'><input aria-label='Also named'><input name='nameless'>"
        "</body>"
    )
    failures: list[Any] = inbox_page.evaluate(_CONTRAST)
    assert [f.split(":")[0] for f in failures] == ["pale grey on white", "dark on black"]
    unlabelled: list[Any] = inbox_page.evaluate(_UNLABELLED)
    assert len(unlabelled) == 1
    assert 'name="nameless"' in unlabelled[0]


def test_the_home_page_captures_and_reset_meet_contrast_and_labels(
    live_server: LiveServer, inbox_page: Page
) -> None:
    page = inbox_page
    for lang in ("en", "nb"):  # bokmål last: the console sign-in below reads its labels
        page.goto(f"{live_server.url}/?lang={lang}")
        _check_page(page)  # the home page
    with api_client(live_server) as api:
        email = _email(api, "Kontrast")
        sms = _sms(api, "Kontrast på SMS")
    console_sign_in(page, live_server, "/console/captures")
    expect(page.get_by_role("heading", level=1, name="Fanget e-post og SMS")).to_be_visible()
    _check_page(page)
    for capture in (email, sms):
        page.goto(f"{live_server.url}/console/captures/{capture['id']}")
        _check_page(page)
    page.goto(f"{live_server.url}/console/reset")
    expect(page.get_by_role("heading", level=1, name="Nullstill sandkassen")).to_be_visible()
    _check_page(page)

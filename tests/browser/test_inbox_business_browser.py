"""Issue 10 item 5 in a real browser: a correspondence initialized through the Altinn API shows in
the organisation's business inbox (Markdown body rendered, a ``<script>`` in it neither run nor made
an element, reply option, due date, attachment to download), confirming it is Altinn's Confirmed, and
deleting it purges it."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Page, expect

from postbud.dialects.altinn.tokens import RECIPIENT_SCOPE, SENDER_SCOPE, mint_organisation_token
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.services.inbox.query import inbox_owners
from postbud.services.parties.resources import RegisterResource, register_resource
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.sandbox.token_issuer import token_issuer
from postbud.storage.repos.inbox import InboxOwner
from tests.browser.helpers import sign_in
from tests.browser.live_server import LiveServer
from tests.real_pdf import real_pdf

pytestmark = pytest.mark.browser

API = "/correspondence/api/v1"
OWNER = "974761076"
RESOURCE = "browser-business-inbox"
ORG = "988077917"
PDF = real_pdf("business inbox attachment")
SCRIPT = "<script>window.__ran = true</script>"
NAME = f"Bedrift {SCRIPT} AS"
"""The API refuses HTML in a body (1003), but the recipient's registered name reaches it."""
BODY = (
    "# Vedtak om skatt\n\nHei {{recipientName}}, du har fått **vedtak**. "
    "Se [veiledningen](https://example.no/hjelp).\n\n"
    "[klikk](javascript:window.__ran=true) <javascript:window.__ran=true>\n"
)
WAIT_S = 30
_HERE = Path(__file__).parent
CONTRAST = (_HERE / "contrast.js").read_text()
UNLABELLED = (_HERE / "unlabelled.js").read_text()


async def _prepare(server: LiveServer) -> InboxOwner:
    runtime = server.runtime
    await register_sender(RegisterSender(name="Skatteetaten Test", organisation_number=OWNER), runtime)
    await register_resource(RegisterResource(id=RESOURCE, owner=OWNER, titles={"nb": "Vedtak"}), runtime)
    async with runtime.unit_of_work() as uow:
        capabilities = Capabilities(business_inbox=True)
        recipient = Recipient(uuid.uuid4(), parse_party_id(ORG), NAME, capabilities)
        await uow.recipients.add(recipient, now=runtime.clock.now())
    (owner,) = [o for o in await inbox_owners(runtime, ORG) if o.party_id.endswith(ORG)]
    return owner


def _token(server: LiveServer, scope: str) -> dict[str, str]:
    settings = server.settings
    token = mint_organisation_token(
        token_issuer(settings.resolved_data_dir),
        settings.resolved_public_url,
        OWNER if scope == SENDER_SCOPE else ORG,
        [scope],
    )
    return {"Authorization": f"Bearer {token}"}


def _initialize(server: LiveServer, body: str = BODY) -> httpx2.Response:
    due = (server.runtime.clock.now() + timedelta(days=14)).isoformat()
    data = {
        "correspondence.resourceId": RESOURCE,
        "correspondence.sendersReference": "browser-1",
        "correspondence.content.language": "nb",
        "correspondence.content.messageTitle": "Vedtak i nettleseren",
        "correspondence.content.messageSummary": "Kort om vedtaket",
        "correspondence.content.messageBody": body,
        "correspondence.content.attachments[0].fileName": "vedtak.pdf",
        "correspondence.content.attachments[0].sendersReference": "file-1",
        "correspondence.replyOptions[0].linkURL": "https://example.no/svar",
        "correspondence.replyOptions[0].linkText": "Svar på vedtaket",
        "correspondence.dueDateTime": due,
        "correspondence.isConfirmationNeeded": "true",
        "recipients[0]": f"0192:{ORG}",
    }
    files = {"attachments": ("vedtak.pdf", PDF, "application/pdf")}
    response = httpx2.post(
        f"{server.url}{API}/correspondence/upload",
        data=data,
        files=files,
        headers=_token(server, SENDER_SCOPE),
        timeout=30,
    )
    return response


def _details(server: LiveServer, correspondence_id: str) -> dict[str, Any]:
    response = httpx2.get(
        f"{server.url}{API}/correspondence/{correspondence_id}/details",
        headers=_token(server, RECIPIENT_SCOPE),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    details: dict[str, Any] = response.json()
    return details


def _published(server: LiveServer, correspondence_id: str) -> None:
    """The live server's worker publishes it: wait for that (a condition, not a timing)."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        response = httpx2.get(
            f"{server.url}{API}/correspondence/{correspondence_id}",
            headers=_token(server, RECIPIENT_SCOPE),
            timeout=10,
        )
        if response.status_code == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"correspondence {correspondence_id} was not published")


def _statuses(server: LiveServer, correspondence_id: str) -> list[str]:
    return [h["status"] for h in _details(server, correspondence_id)["statusHistory"]]


def test_a_correspondence_in_the_business_inbox(page: Page, live_server: LiveServer) -> None:
    owner = live_server.run(_prepare(live_server))
    refused = _initialize(live_server, f"Hei\n\n{SCRIPT}\n")
    assert (refused.status_code, refused.json()["errorCode"]) == (400, 1003), refused.text
    initialized = _initialize(live_server)
    assert initialized.status_code == 200, initialized.text
    correspondence_id = initialized.json()["correspondences"][0]["correspondenceId"]
    _published(live_server, correspondence_id)

    sign_in(page, live_server, owner)
    page.get_by_role("link", name=re.compile("Vedtak i nettleseren")).click()
    expect(page.get_by_role("heading", level=1, name="Vedtak i nettleseren")).to_be_visible()
    body = page.get_by_test_id("letter-body")
    expect(body.get_by_role("heading", name="Vedtak om skatt")).to_be_visible()
    expect(body.locator("strong")).to_have_text("vedtak")
    expect(body.get_by_role("link", name="veiledningen")).to_have_attribute(
        "href", "https://example.no/hjelp"
    )
    # The script is text on the page, not an element, and it never ran; the javascript: links are no links.
    expect(body).to_contain_text(f"Hei {NAME}, du har fått")
    assert page.locator("script", has_text="__ran").count() == 0
    assert page.evaluate("() => window.__ran === undefined")
    assert body.locator("a[href^='javascript']").count() == 0
    expect(page.get_by_text("Kort om vedtaket")).to_be_visible()
    expect(page.get_by_role("link", name="Svar på vedtaket")).to_have_attribute(
        "href", "https://example.no/svar"
    )
    expect(page.get_by_text(re.compile(r"^Frist: "))).to_be_visible()
    assert "Read" in _statuses(live_server, correspondence_id)  # opening it is Altinn's Read
    assert page.evaluate(CONTRAST) == [], "text below WCAG AA contrast"
    assert page.evaluate(UNLABELLED) == [], "form fields without a label"

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Last ned originalen.*vedtak")).click()
    path = download_info.value.path()
    assert path is not None
    assert path.read_bytes() == PDF

    page.get_by_role("button", name="Slett meldingen").click()  # not yet: the sender asked for a confirmation
    expect(page.get_by_role("alert")).to_contain_text("Meldingen kan ikke slettes")
    page.get_by_role("button", name="Bekreft").click()
    expect(page.get_by_role("status")).to_contain_text("Meldingen er bekreftet.")
    expect(page.get_by_role("button", name="Bekreft")).to_have_count(0)
    details = _details(live_server, correspondence_id)
    assert details["status"] == "Confirmed"
    assert "Confirmed" in [h["status"] for h in details["statusHistory"]]

    page.get_by_role("button", name="Slett meldingen").click()
    expect(page.get_by_role("status")).to_contain_text("Meldingen er slettet.")
    expect(page.get_by_role("link", name=re.compile("Vedtak i nettleseren"))).to_have_count(0)
    response = httpx2.get(
        f"{live_server.url}{API}/correspondence/{correspondence_id}",
        headers=_token(live_server, RECIPIENT_SCOPE),
        timeout=10,
    )
    assert response.status_code == 404, response.text

"""What the browser tests share: a sender on the Digipost API, a signed-in recipient, small PDFs."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from postbud.sdk.digipost import DataType, DigipostClient, DigipostConfig
from postbud.sdk.digipost.message import Document, Message
from postbud.sdk.digipost.recipients import PersonalIdentificationNumber
from postbud.services.inbox.query import inbox_owners
from postbud.services.sandbox.sample_letters import letter_pdf
from postbud.storage.repos.inbox import InboxOwner
from tests.browser.live_server import LiveServer


def sandbox_sender(server: LiveServer) -> DigipostClient:
    """The seeded sandbox sender, talking to the live server's Digipost dialect with its own key."""
    stored = json.loads((server.settings.resolved_data_dir / "sandbox" / "sender.json").read_text())
    config = DigipostConfig.from_pem(
        int(stored["digipost_id"]), Path(stored["key_file"]), base_url=f"{server.url}/digipost"
    )
    return DigipostClient(config)


async def _receiving_people(server: LiveServer) -> list[InboxOwner]:
    """Norwegian people with a digital mailbox who take letters from anyone (not reserved in the
    contact register): the seeded population the Digipost sender writes to. (Others may own an
    inbox too, e.g. a Swedish payer of bank e-invoices a test registered; they are left out.)"""
    owners = await inbox_owners(server.runtime, limit=100)
    async with server.runtime.reader() as uow:
        recipients = {o.id: await uow.recipients.get(o.id) for o in owners}
    return [
        o
        for o in owners
        if o.kind == "person"
        and o.party_id.startswith("no-person:")
        and (r := recipients[o.id]) is not None
        and r.capabilities.digital_mailbox
        and not r.capabilities.reserved
    ]


def person(server: LiveServer, index: int) -> InboxOwner:
    """The ``index``-th seeded person who can receive: each test takes its own, so tests stay apart."""
    return server.run(_receiving_people(server))[index]


def national_id(owner: InboxOwner) -> str:
    return owner.party_id.split(":", 1)[1]


def send(
    client: DigipostClient,
    owner: InboxOwner,
    subject: str,
    *,
    datatype: DataType | None = None,
    lines: tuple[str, ...] = ("Hei!",),
) -> uuid.UUID:
    document = Document(subject=subject, data_type=datatype)
    message = Message(primary_document=document, recipient=PersonalIdentificationNumber(national_id(owner)))
    client.send(message, {document.uuid: letter_pdf("Postbud Sandbox Sender", subject, lines)})
    return document.uuid


def wait_for_images(page: Page) -> None:
    """Every page image has loaded and has pixels (so a screenshot shows the letter)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.page')].every(i => i.complete && i.naturalWidth > 0)"
    )


def sign_in(page: Page, server: LiveServer, owner: InboxOwner) -> None:
    page.goto(f"{server.url}/inbox/")
    expect(page).to_have_url(re.compile(r"/inbox/sign-in"))
    page.get_by_label(re.compile("Søk etter navn")).fill(national_id(owner))
    expect(page.locator(".identity")).to_have_count(1)  # the live search (htmx) narrowed the list
    page.get_by_role("button", name=f"Logg inn som {owner.name}").click()
    expect(page.get_by_role("heading", level=1, name="Innboks")).to_be_visible()


def event_window() -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(minutes=10), now + timedelta(minutes=10)


def a_pdf(tmp_path: Path, name: str, title: str) -> Path:
    path = tmp_path / name
    path.write_bytes(letter_pdf("Kari Nordmann", title, ("Vedlagt.",)))
    return path

"""The recipient inbox through the whole app (TestClient): sign-in, sessions, CSRF, who sees what.

Fixtures and helpers here are shared by the other ``test_inbox_*`` modules (see ``__all__``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from postbud.app import create_app
from postbud.config import Settings
from postbud.domain.documents import AuthenticationLevel, Sensitivity
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from postbud.domain.shipments import Shipment
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.services.sandbox.sample_letters import letter_pdf
from postbud.web.context import WebContext
from postbud.web.inbox.app import inbox_routes

__all__ = ["World", "world"]

OLA = "15108695088"
EVA = "20060668451"
KARI = "31129956715"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    client: TestClient
    sender_id: uuid.UUID
    ola: Recipient
    eva: Recipient
    kari: Recipient
    """Kari has no inbox."""

    @property
    def runtime(self) -> Runtime:
        runtime = self.client.app.state.runtime  # type: ignore[attr-defined]
        assert isinstance(runtime, Runtime)
        return runtime

    @property
    def web(self) -> WebContext:
        for route in self.client.app.routes:  # type: ignore[attr-defined]
            if isinstance(route, Mount) and route.path == "/inbox":
                context = route.app.state.web  # type: ignore[attr-defined]
                assert isinstance(context, WebContext)
                return context
        raise AssertionError("the inbox is not mounted")

    def run(self, function: Any, *args: Any) -> Any:
        return self.client.portal.call(function, *args)  # type: ignore[union-attr]

    def send(
        self,
        to: Recipient,
        subject: str,
        *,
        datatype: dict[str, Any] | None = None,
        attachments: int = 0,
        authentication: AuthenticationLevel = AuthenticationLevel.PASSWORD,
        sensitivity: Sensitivity = Sensitivity.NORMAL,
        opening_receipt: bool = False,
        sender_id: uuid.UUID | None = None,
    ) -> Shipment:
        primary = DocumentInput(
            content=letter_pdf("Skatteetaten", subject, ("Hei!",)),
            file_type="pdf",
            mime="application/pdf",
            title=subject,
            authentication=authentication,
            sensitivity=sensitivity,
            datatype=datatype,
            opening_receipt=opening_receipt,
        )
        extra = tuple(
            DocumentInput(
                content=letter_pdf("Skatteetaten", f"Vedlegg {i}", ("Vedlegg",)),
                file_type="pdf",
                mime="application/pdf",
                title=f"Vedlegg {i}",
            )
            for i in range(1, attachments + 1)
        )
        command = SendLetter(
            sender_id=sender_id or self.sender_id,
            dialect="platform",
            recipient=to.party_id,
            documents=(primary, *extra),
        )
        accepted = self.run(send_letter, command, self.runtime)
        shipment: Shipment = accepted.shipment
        return shipment

    def events(self, shipment: Shipment) -> list[ShipmentEvent]:
        async def load() -> list[ShipmentEvent]:
            async with self.runtime.reader() as uow:
                return await uow.events.for_shipment(shipment.id)

        events: list[ShipmentEvent] = self.run(load)
        return events

    def count(self, shipment: Shipment, event_type: EventType) -> int:
        return sum(1 for e in self.events(shipment) if e.type is event_type)

    def token(self) -> str:
        """The CSRF token of the current session (from a page with a form)."""
        response = self.client.get("/inbox/", follow_redirects=True)
        match = CSRF.search(response.text)
        assert match, response.text
        return match.group(1)

    def sign_in(self, who: Recipient) -> Any:
        self.client.cookies.clear()
        token = self.token()
        response = self.client.post(
            "/inbox/sign-in", data={"csrf_token": token, "recipient_id": str(who.id)}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/inbox/"
        return response

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.client.post(
            path, data={"csrf_token": self.token(), **(data or {})}, follow_redirects=False, **kwargs
        )


async def _populate(runtime: Runtime) -> tuple[uuid.UUID, Recipient, Recipient, Recipient]:
    now = runtime.clock.now()
    sender = Sender(id=uuid.uuid4(), name="Skatteetaten", organisation_number="974761076")
    ola = Recipient(
        uuid.uuid4(),
        parse_party_id(OLA),
        "Ola Nordmann",
        Capabilities(digital_mailbox=True, mailbox_address="ola#1"),
    )
    eva = Recipient(
        uuid.uuid4(),
        parse_party_id(EVA),
        "Eva Hansen",
        Capabilities(digital_mailbox=True, mailbox_address="eva#2"),
    )
    kari = Recipient(uuid.uuid4(), parse_party_id(KARI), "Kari Nordmann", Capabilities())
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(sender, now=now)
        for recipient in (ola, eva, kari):
            await uow.recipients.add(recipient, now=now)
    return sender.id, ola, eva, kari


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0, admin_token="admin")
    with TestClient(create_app(settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        sender_id, ola, eva, kari = client.portal.call(_populate, runtime)  # type: ignore[union-attr]
        yield World(client, sender_id, ola, eva, kari)


# --- Signing in ---------------------------------------------------------------------------------------


def test_the_inbox_and_its_letters_need_a_signed_in_recipient(world: World) -> None:
    letter = world.send(world.ola, "Vedtak")
    response = world.client.get("/inbox/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/inbox/sign-in"
    response = world.client.get(f"/inbox/letters/{letter.id}", follow_redirects=False)
    assert response.headers["location"] == f"/inbox/sign-in?next=%2Finbox%2Fletters%2F{letter.id}"
    assert world.count(letter, EventType.OPENED) == 0


def test_the_sandbox_picker_offers_everyone_with_an_inbox_and_nobody_else(world: World) -> None:
    page = world.client.get("/inbox/sign-in").text
    assert "Ola Nordmann" in page
    assert "Eva Hansen" in page
    assert "Kari Nordmann" not in page
    narrowed = world.client.get("/inbox/sign-in", params={"q": "hans"}).text
    assert "Eva Hansen" in narrowed
    assert "Ola Nordmann" not in narrowed
    assert "Ola Nordmann" in world.client.get("/inbox/sign-in", params={"q": OLA[:6]}).text


def test_signing_in_as_someone_without_an_inbox_or_with_a_forged_id_fails(world: World) -> None:
    for forged in (str(world.kari.id), str(uuid.uuid4()), "not-a-uuid", ""):
        world.client.cookies.clear()
        response = world.client.post(
            "/inbox/sign-in",
            data={"csrf_token": world.token(), "recipient_id": forged},
            follow_redirects=False,
        )
        assert response.status_code == 400
        assert "Innloggingen mislyktes" in response.text
        assert world.client.get("/inbox/", follow_redirects=False).status_code == 303


def test_signing_in_goes_back_to_a_local_page_only(world: World) -> None:
    letter = world.send(world.ola, "Vedtak")
    for next_url, expected in (
        (f"/inbox/letters/{letter.id}", f"/inbox/letters/{letter.id}"),
        ("https://evil.example/inbox/", "/inbox/"),
        ("//evil.example/inbox/", "/inbox/"),
        ("/api/v1/senders", "/inbox/"),
    ):
        world.client.cookies.clear()
        response = world.client.post(
            "/inbox/sign-in",
            data={"csrf_token": world.token(), "recipient_id": str(world.ola.id), "next": next_url},
            follow_redirects=False,
        )
        assert response.headers["location"] == expected


def test_the_session_cookie_is_signed_http_only_and_same_site(world: World) -> None:
    response = world.sign_in(world.ola)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("postbud_session="))
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # served over http here
    value = world.client.cookies["postbud_session"]
    world.client.cookies.clear()
    world.client.cookies.set(
        "postbud_session", value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    )
    tampered = world.client.get("/inbox/", follow_redirects=False)
    assert tampered.status_code == 303  # a tampered cookie is nobody
    assert (Path(world.runtime.settings.resolved_data_dir) / "web-session-secret").stat().st_mode & 0o077 == 0


def test_the_session_cookie_is_secure_behind_https(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", workers=0, admin_token="a", public_url="https://post.example"
    )
    with TestClient(create_app(settings), base_url="https://post.example") as client:
        response = client.get("/inbox/sign-in")
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("postbud_session="))
        assert "secure" in cookie.lower()


def test_signing_out_ends_the_session(world: World) -> None:
    world.sign_in(world.ola)
    response = world.post("/inbox/sign-out")
    assert response.headers["location"] == "/inbox/sign-in"
    assert world.client.get("/inbox/", follow_redirects=False).status_code == 303


# --- CSRF -----------------------------------------------------------------------------------------------


def _post_routes() -> list[str]:
    paths = []
    for route in inbox_routes():
        if isinstance(route, Route) and route.methods and "POST" in route.methods:
            path = route.path.replace("{letter_id:uuid}", str(uuid.uuid4()))
            path = path.replace("{request_id:uuid}", str(uuid.uuid4()))
            paths.append("/inbox" + path)
    return paths


def test_every_form_post_without_the_session_token_is_refused(world: World) -> None:
    world.sign_in(world.ola)
    letter = world.send(world.ola, "Vedtak")
    paths = [*_post_routes(), f"/inbox/letters/{letter.id}/archive", f"/inbox/letters/{letter.id}/pay"]
    assert len(paths) >= 10
    for path in paths:
        for data in ({}, {"csrf_token": ""}, {"csrf_token": "forged"}):
            response = world.client.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403, path
            assert "Ingenting er endret" in response.text
    assert world.client.get("/inbox/", params={"folder": "archive"}).text.count("/inbox/letters/") == 0


def test_a_token_from_another_session_is_refused(world: World) -> None:
    world.sign_in(world.eva)
    evas_token = world.token()
    world.sign_in(world.ola)
    letter = world.send(world.ola, "Vedtak")
    response = world.client.post(
        f"/inbox/letters/{letter.id}/archive", data={"csrf_token": evas_token}, follow_redirects=False
    )
    assert response.status_code == 403
    assert world.client.get("/inbox/", params={"folder": "archive"}).text.count("/inbox/letters/") == 0


def test_signing_in_issues_a_fresh_token(world: World) -> None:
    before = world.token()
    world.client.post("/inbox/sign-in", data={"csrf_token": before, "recipient_id": str(world.ola.id)})
    assert world.token() != before


# --- Who sees what ----------------------------------------------------------------------------------------


def test_a_recipient_sees_only_their_own_letters(world: World) -> None:
    mine = world.send(world.ola, "Til Ola")
    theirs = world.send(world.eva, "Til Eva")
    world.sign_in(world.ola)
    page = world.client.get("/inbox/").text
    assert "Til Ola" in page
    assert "Til Eva" not in page
    assert f"/inbox/letters/{mine.id}" in page
    assert str(theirs.id) not in page


def test_another_recipients_letter_is_not_found_and_tells_nothing(world: World) -> None:
    theirs = world.send(world.eva, "Hemmelig vedtak", datatype=_invoice())
    document = theirs.primary.id
    world.sign_in(world.ola)
    unknown = uuid.uuid4()
    for path in (
        "/inbox/letters/{id}",
        "/inbox/letters/{id}/calendar.ics",
        f"/inbox/letters/{{id}}/documents/{document}",
        f"/inbox/letters/{{id}}/documents/{document}/pages/1.png",
    ):
        foreign = world.client.get(path.format(id=theirs.id))
        missing = world.client.get(path.format(id=unknown))
        assert foreign.status_code == missing.status_code == 404, path
        assert foreign.text == missing.text
        assert "Hemmelig" not in foreign.text
    for action in ("archive", "unarchive", "pay", "open", "share", "withdraw"):
        data = {"from_account": "12345678903", "pay_on": "2099-01-01", "document": str(document)}
        assert world.post(f"/inbox/letters/{theirs.id}/{action}", data).status_code == 404, action
    assert world.count(theirs, EventType.OPENED) == 0
    assert world.count(theirs, EventType.PAYMENT_REGISTERED) == 0
    assert world.client.get("/inbox/letters/not-a-uuid").status_code == 404


def test_a_letter_waiting_for_its_publish_time_is_not_in_the_inbox(world: World) -> None:
    from datetime import timedelta

    now = world.runtime.clock.now()
    command = SendLetter(
        sender_id=world.sender_id,
        dialect="platform",
        recipient=world.ola.party_id,
        documents=(
            DocumentInput(content=letter_pdf("S", "Senere", ()), file_type="pdf", mime="application/pdf"),
        ),
        publish_at=now + timedelta(days=2),
    )
    held = world.run(send_letter, command, world.runtime).shipment
    world.sign_in(world.ola)
    assert str(held.id) not in world.client.get("/inbox/").text
    assert world.client.get(f"/inbox/letters/{held.id}").status_code == 404


def _invoice() -> dict[str, Any]:
    return {
        "kind": "invoice",
        "due_date": "2099-12-24T00:00:00+01:00",
        "sum": "1249.50",
        "creditor_account": "12345678903",
        "kid": "1234567890003",
    }


# --- Pages in general --------------------------------------------------------------------------------------


def test_pages_carry_a_strict_content_security_policy_and_are_not_cached(world: World) -> None:
    world.sign_in(world.ola)
    response = world.client.get("/inbox/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    css = world.client.get(re.search(r'href="(/static/css/postbud\.css\?v=\w+)"', response.text).group(1))  # type: ignore[union-attr]
    assert css.status_code == 200
    assert "public" in css.headers["cache-control"]
    htmx = world.client.get(re.search(r'src="(/static/vendor/htmx\.min\.js\?v=\w+)"', response.text).group(1))  # type: ignore[union-attr]
    assert htmx.status_code == 200
    assert b"htmx" in htmx.content


def test_the_language_follows_the_browser_and_the_switch(world: World) -> None:
    world.sign_in(world.ola)
    assert "<h1>Innboks</h1>" in world.client.get("/inbox/").text
    english = world.client.get("/inbox/", headers={"accept-language": "en-GB,en;q=0.9,nb;q=0.5"}).text
    assert "<h1>Inbox</h1>" in english
    assert '<html lang="en">' in english
    assert "<h1>Innboks</h1>" in world.client.get("/inbox/", headers={"accept-language": "nn-NO"}).text
    world.client.get("/inbox/", params={"lang": "en"})
    assert (
        "<h1>Inbox</h1>" in world.client.get("/inbox/", headers={"accept-language": "nb"}).text
    )  # remembered
    world.client.get("/inbox/", params={"lang": "nb"})
    assert "<h1>Innboks</h1>" in world.client.get("/inbox/").text


def test_the_sandbox_sends_one_sample_letter_of_each_kind(world: World) -> None:
    world.sign_in(world.ola)
    response = world.post("/inbox/sandbox/sample-letters")
    assert response.status_code == 303
    page = world.client.get("/inbox/").text
    assert page.count('<li class="letter') == 16
    assert "Eksempelbrevene er levert" in page


# --- Words and numbers -----------------------------------------------------------------------------------


def test_every_message_a_template_names_exists_in_both_languages(tmp_path: Path) -> None:
    from postbud.web.mount import build_web_context
    from postbud.web.templating import TEMPLATES_DIR

    catalogue = build_web_context(Settings(data_dir=tmp_path / "data"), lambda: None).pages.catalogue  # type: ignore[arg-type,return-value]
    named = {
        key
        for template in TEMPLATES_DIR.rglob("*.html")
        for key in re.findall(r"\bt\('([a-zA-Z_.-]+)'\s*[,)]", template.read_text())
    }
    assert len(named) > 100
    keys = catalogue.keys()
    assert named <= keys, named - keys
    for key in keys:
        assert catalogue.text("nb", key), key
        assert catalogue.text("en", key), key


def test_dates_money_and_languages_read_as_each_language_writes_them() -> None:
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from postbud.web.formatting import account_text, date_text, datetime_text, money_text, size_text
    from postbud.web.i18n import negotiate

    summer = datetime(2026, 6, 30, 22, 5, tzinfo=UTC)  # 1 July, 00:05 in Oslo
    assert datetime_text(summer, "nb") == "1. juli 2026 kl.\u00a000:05"
    assert datetime_text(summer, "en") == "1 Jul 2026, 00:05"
    assert date_text(date(2026, 12, 24), "nb") == "24. des. 2026"
    assert money_text(Decimal("1234567.5"), "nb") == "1\u00a0234\u00a0567,50\u00a0kr"
    assert money_text(Decimal("-12.345"), "en") == "-12.35\u00a0NOK"
    assert size_text(1_234_567, "nb") == "1,2\u00a0MB"
    assert account_text("12345678903") == "1234.56.78903"
    assert negotiate("en-US,en;q=0.9") == "en"
    assert negotiate("da, nn;q=0.8, en;q=0.7") == "nb"
    assert negotiate("en;q=0, fr") == "nb"
    assert negotiate(None) == "nb"

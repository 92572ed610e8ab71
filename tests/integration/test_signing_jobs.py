"""The signing jobs are idempotent and survive restarts (SQLite and PostgreSQL): an invitation goes
once per signer however often its job or the letter's delivery runs; the signed document is sealed
once and mailed once, even when the mail server was down on the first try; a cancelled envelope can
no longer be signed; without SMTP the sandbox captures the invitations where the console shows them;
and after a real restart (the app stopped and started again on the same database) nothing goes twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from starlette.testclient import TestClient

from postbud.app import create_app
from postbud.channels.base import DeliveryFailed
from postbud.config import Settings
from postbud.domain.errors import Conflict
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.signing import SigningRequest
from postbud.domain.status import ShipmentStatus
from postbud.services.console.captures import list_captures
from postbud.services.letters.deliver import deliver
from postbud.services.sandbox.clock import advance_clock
from postbud.services.signing.complete import complete_signing
from postbud.services.signing.invite import send_invitation
from postbud.services.signing.sign import sign_document
from postbud.storage import job_kinds
from tests.integration.test_channels import SmtpInbox, free_port
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITH_MAILBOX,
    SE_PERSON_WITH_MAILBOX,
    Ekopost,
    _prepare,
    _running,
    letter_pdf,
)
from tests.integration.test_signing_ekopost import (
    INFO_MAIL,
    SIGNERS,
    _envelope_to_sign,
    _events,
    _person,
    _post,
    _sign_in,
    _wait,
)


@pytest.fixture
def late_smtp() -> Iterator[tuple[SmtpInbox, Controller]]:
    """A mail server whose port is known but which is not listening until the test starts it."""
    inbox = SmtpInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, auth_require_tls=False)
    inbox.url = f"smtp://127.0.0.1:{port}"
    yield inbox, controller
    if controller._thread is not None:
        controller.stop()


@pytest.fixture
def app(tmp_path: Path, database_url: str, late_smtp: tuple[SmtpInbox, Controller]) -> Iterator[Ekopost]:
    yield from _running(tmp_path, database_url, smtp_url=late_smtp[0].url, public_url="http://testserver")


@pytest.fixture
def captured(tmp_path: Path, database_url: str) -> Iterator[Ekopost]:
    yield from _running(tmp_path, database_url, public_url="http://testserver")


def _request(app: Ekopost, envelope_id: str) -> SigningRequest:
    async def load() -> SigningRequest | None:
        async with app.runtime.reader() as uow:
            return await uow.signing.for_shipment(uuid.UUID(envelope_id))

    found = app.run(load)
    assert found is not None
    return found


def _jobs(app: Ekopost, kind: str) -> int:
    from sqlalchemy import func, select

    from postbud.storage import schema

    async def count() -> int:
        async with app.runtime.reader() as uow:
            query = select(func.count()).select_from(schema.jobs).where(schema.jobs.c.kind == kind)
            return int((await uow.conn.execute(query)).scalar_one())

    return app.run(count)


def _released(app: Ekopost) -> tuple[str, str]:
    campaign_id, envelope_id = _envelope_to_sign(app, letter_pdf(body="Avtal"))
    assert app.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close", {}).status_code == 200
    assert app.post(f"/campaigns/{campaign_id}/close", {}).status_code == 200
    return campaign_id, envelope_id


def test_each_e_mail_goes_once_however_often_its_job_runs(
    app: Ekopost, late_smtp: tuple[SmtpInbox, Controller]
) -> None:
    smtp, controller = late_smtp
    controller.start()
    _, envelope_id = _released(app)
    shipment_id = uuid.UUID(envelope_id)

    def sent() -> list[ShipmentEvent]:
        return [e for e in _events(app, envelope_id) if e.type is EventType.NOTIFICATION_SENT]

    _wait(lambda: len(sent()) == 2, "the two invitations recorded", app)
    request = _request(app, envelope_id)
    for _ in range(3):  # the job again and again, as after a crash and a restart
        app.run(lambda: send_invitation(request.id, 0, app.runtime))
        app.run(lambda: send_invitation(request.id, 1, app.runtime))
    # The letter's delivery running again (a publish job replayed) queues no second invitation.
    app.run(lambda: deliver(shipment_id, app.runtime))
    assert _jobs(app, job_kinds.SIGNING_INVITE) == 2
    assert sorted(m["To"] for m in smtp.messages) == sorted(s["email"] for s in SIGNERS)
    assert sorted(e.data["signer"] for e in sent()) == [0, 1]

    tolvan, ola = _person(app, SE_PERSON_WITH_MAILBOX), _person(app, NO_PERSON_WITH_MAILBOX)
    app.run(lambda: sign_document(app.runtime, request.id, tolvan.id))
    app.run(lambda: sign_document(app.runtime, request.id, ola.id))
    app.wait_for(envelope_id, ShipmentStatus.DELIVERED)
    sealed = _request(app, envelope_id)
    for _ in range(2):
        app.run(lambda: complete_signing(request.id, app.runtime))
    assert _jobs(app, job_kinds.SIGNING_COMPLETE) == 1
    assert len([m for m in smtp.messages if m["To"] == INFO_MAIL]) == 1
    delivered = [e for e in _events(app, envelope_id) if e.type is EventType.DELIVERED]
    assert len(delivered) == 1
    assert delivered[0].data["signed_document_sha256"] == sealed.signed_sha256
    assert _request(app, envelope_id).completed_at is not None


def test_a_sealed_document_is_reused_when_the_mail_server_was_down(
    app: Ekopost, late_smtp: tuple[SmtpInbox, Controller]
) -> None:
    smtp, controller = late_smtp
    _, envelope_id = _released(app)
    _wait(lambda: _jobs(app, job_kinds.SIGNING_INVITE) == 2, "the invitation jobs", app)
    request = _request(app, envelope_id)
    for signer in (_person(app, SE_PERSON_WITH_MAILBOX), _person(app, NO_PERSON_WITH_MAILBOX)):
        app.run(lambda who=signer.id: sign_document(app.runtime, request.id, who))  # type: ignore[misc]
    with pytest.raises(DeliveryFailed):
        app.run(lambda: complete_signing(request.id, app.runtime))
    first = _request(app, envelope_id).signed_sha256
    assert first is not None
    controller.start()  # the worker's next try (after its backoff) mails what was sealed
    app.wait_for(envelope_id, ShipmentStatus.DELIVERED, timeout=120)
    (mail,) = [m for m in smtp.messages if m["To"] == INFO_MAIL]
    (attachment,) = list(mail.iter_attachments())
    assert hashlib.sha256(attachment.get_content()).hexdigest() == first


def test_two_signers_signing_at_once_complete_it_once(app: Ekopost) -> None:
    _, envelope_id = _released(app)
    _wait(lambda: _jobs(app, job_kinds.SIGNING_INVITE) == 2, "the invitation jobs", app)
    request = _request(app, envelope_id)
    people = [_person(app, SE_PERSON_WITH_MAILBOX).id, _person(app, NO_PERSON_WITH_MAILBOX).id]

    async def both() -> None:
        await asyncio.gather(*(sign_document(app.runtime, request.id, who) for who in people))

    app.run(both)
    assert _jobs(app, job_kinds.SIGNING_COMPLETE) == 1
    assert _request(app, envelope_id).all_signed
    assert len([e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]) == 2


def test_a_cancelled_envelope_can_no_longer_be_signed(app: Ekopost) -> None:
    campaign_id, envelope_id = _released(app)
    _wait(lambda: _jobs(app, job_kinds.SIGNING_INVITE) == 2, "the invitation jobs", app)
    request = _request(app, envelope_id)
    cancelled = app.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/cancel", {})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["state"] == "cancelled"
    tolvan = _person(app, SE_PERSON_WITH_MAILBOX)
    with pytest.raises(Conflict):
        app.run(lambda: sign_document(app.runtime, request.id, tolvan.id))
    _sign_in(app, tolvan, e_id=True)
    assert "venter på signaturen din" not in app.http.get("/inbox/").text
    page = app.http.get(f"/inbox/signing/{request.id}").text
    assert "Dokumentet kan ikke lenger signeres." in page
    assert f"/inbox/signing/{request.id}/sign" not in page
    assert _post(app, f"/inbox/signing/{request.id}/sign").status_code == 303
    assert not [e for e in _events(app, envelope_id) if e.type is EventType.SIGNED]


def test_without_smtp_the_invitations_are_captured_for_the_console(captured: Ekopost) -> None:
    _, envelope_id = _released(captured)

    def invitations() -> list[str]:
        page = captured.run(lambda: list_captures(captured.runtime))
        return [c.captured.to for c in page.captures if str(c.captured.shipment_id) == envelope_id]

    _wait(lambda: len(invitations()) == 2, "two captured invitations", captured)
    assert sorted(invitations()) == sorted(s["email"] for s in SIGNERS)


def test_after_a_restart_each_invitation_still_goes_once(
    tmp_path: Path, database_url: str, late_smtp: tuple[SmtpInbox, Controller]
) -> None:
    """Postbud stops while the mail server is down and the invitations wait for their retry; the next
    Postbud on the same database sends each once, and a third one sends nothing again."""
    smtp, controller = late_smtp
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        workers=1,
        admin_token="test-admin-token",
        smtp_url=smtp.url,
        public_url="http://testserver",
    )

    def started() -> TestClient:
        return TestClient(create_app(settings))

    with started() as http:
        first = Ekopost(http, "", "")
        first.api_key, first.other_api_key = first.run(lambda: _prepare(first.runtime))
        _, envelope_id = _released(first)
        _wait(lambda: _jobs(first, job_kinds.SIGNING_INVITE) == 2, "the invitation jobs", first)
        request = _request(first, envelope_id)
        with pytest.raises(DeliveryFailed):  # what the worker met too: the server is down
            first.run(lambda: send_invitation(request.id, 0, first.runtime))
        api_key = first.api_key
    assert smtp.messages == []

    controller.start()
    for _ in range(2):  # the second restart finds everything sent
        with started() as http:
            again = Ekopost(http, api_key, "")
            again.run(lambda: advance_clock(again.runtime, timedelta(hours=1)))  # past every retry's backoff

            def recorded() -> list[ShipmentEvent]:
                events = _events(again, envelope_id)
                return [e for e in events if e.type is EventType.NOTIFICATION_SENT]

            _wait(lambda: len(recorded()) == 2, "both invitations recorded", again)
    assert sorted(m["To"] for m in smtp.messages) == sorted(s["email"] for s in SIGNERS)

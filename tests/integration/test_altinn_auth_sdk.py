"""The Altinn SDK against Postbud's Altinn dialect: the whole app on a loopback port (uvicorn, a job
worker, SQLite and PostgreSQL), tokens from the sandbox issuer through ``postbud token`` (a real
process) and minted in-process, the sender's and the recipient's calls, and errors as exceptions
carrying Altinn's codes."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from postbud.app import create_app
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate
from postbud.dialects.altinn.tokens import mint_organisation_token, mint_person_token
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.sdk.altinn import (
    AltinnApiError,
    AltinnClient,
    AsyncAltinnClient,
    AttachmentStatus,
    Correspondence,
    CorrespondenceStatus,
    InitializeCorrespondenceAttachment,
    InitializeCorrespondenceContent,
    InitializeCorrespondences,
    NewAttachment,
    ReplyOption,
    SandboxToken,
    SearchRole,
)
from postbud.services.parties.credentials import replace_digipost_certificate
from postbud.services.parties.resources import RegisterResource, register_resource
from postbud.services.parties.senders import RegisterSender, find_sender, register_sender
from postbud.services.runtime import Runtime
from postbud.services.sandbox.token_issuer import token_issuer
from tests.integration.sdk_live_server import loopback_listener, run_with_runtime, serving

OWNER = "974761076"
OTHER_OWNER = "991825827"
RESOURCE = "skd-melding"
ORG_RECIPIENT = "988077917"
PERSON = "15108695088"
WRITE = "altinn:correspondence.write"
READ = "altinn:correspondence.read"
ATTACHMENT = b"Vedtak i saken.\nMed vennlig hilsen\nSkatteetaten\n" * 100


@dataclass
class Live:
    url: str
    data_dir: Path
    app: Any

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime

    def sandbox(self, *, org: str | None = None, person: str | None = None, scope: str) -> SandboxToken:
        return SandboxToken(
            org=org, person=person, scopes=[scope], data_dir=self.data_dir, public_url=self.url
        )

    def minted(self, org: str, scope: str) -> str:
        return mint_organisation_token(token_issuer(self.data_dir), self.url, org, [scope])

    def owner_client_key(self) -> bytes:
        """The key of a new certificate registered for the owner: its Maskinporten client's key (in the
        sandbox, a client is its sender's certificate)."""
        key_pem, certificate_pem = generate_test_key_and_certificate("Skatteetaten")

        async def register(runtime: Runtime) -> None:
            sender = await find_sender(OWNER, runtime)
            await replace_digipost_certificate(runtime, sender.id, certificate_pem.decode())

        run_with_runtime(self.runtime.settings, register)
        return key_pem


async def _prepare(runtime: Runtime) -> None:
    await register_sender(RegisterSender(name="Skatteetaten", organisation_number=OWNER), runtime)
    await register_sender(RegisterSender(name="NAV", organisation_number=OTHER_OWNER), runtime)
    await register_resource(
        RegisterResource(id=RESOURCE, owner=OWNER, titles={"nb": "Skattemelding"}), runtime
    )
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        for number, name in [(PERSON, "Ola Nordmann"), (ORG_RECIPIENT, "Bedrift AS")]:
            capabilities = Capabilities(digital_mailbox=True, business_inbox=True)
            await uow.recipients.add(
                Recipient(uuid.uuid4(), parse_party_id(number), name, capabilities), now=now
            )


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[Live]:
    listener, url = loopback_listener()
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, database_url=database_url, workers=1, public_url=url)
    run_with_runtime(settings, _prepare)
    app = create_app(settings)
    with serving(app, listener):
        yield Live(url, data_dir, app)


def _request(*recipients: str, **changes: Any) -> InitializeCorrespondences:
    correspondence = Correspondence(
        resource_id=RESOURCE,
        senders_reference="sak-2026-17",
        content=InitializeCorrespondenceContent(
            message_title="Vedtak",
            message_body="Hei, se **vedlegget**.",
            message_summary="Vedtak i saken",
            attachments=[InitializeCorrespondenceAttachment("vedtak.txt", "vedlegg-1")],
        ),
        reply_options=[ReplyOption("https://example.no/svar", "Svar")],
        property_list={"saksnummer": "2026/17"},
        **changes,
    )
    return InitializeCorrespondences(correspondence, list(recipients))


def _published(client: AltinnClient, correspondence_id: uuid.UUID) -> None:
    deadline = time.monotonic() + 60
    while client.get_overview(correspondence_id).status is not CorrespondenceStatus.PUBLISHED:
        if time.monotonic() > deadline:
            raise AssertionError("the correspondence was not published within 60 s")
        time.sleep(0.2)


def test_send_read_download_and_purge_through_the_sdk(live: Live) -> None:
    """Altinn's own use case (initialize with an upload → published → attachment overview →
    download byte-identical → purge → 404), through the SDK and sandbox tokens from the CLI."""
    recipient_urn = f"urn:altinn:organization:identifier-no:{ORG_RECIPIENT}"
    with (
        AltinnClient(live.url, live.sandbox(org=OWNER, scope=WRITE)) as sender,
        AltinnClient(live.url, live.sandbox(org=ORG_RECIPIENT, scope=READ)) as recipient,
    ):
        sent = sender.initialize_with_attachments(
            _request(f"0192:{ORG_RECIPIENT}", PERSON), [NewAttachment("vedtak.txt", ATTACHMENT, "text/plain")]
        )
        assert len(sent.correspondences) == 2
        assert len(sent.attachment_ids) == 1
        first = next(c for c in sent.correspondences if c.recipient == recipient_urn)
        attachment_id = sent.attachment_ids[0]

        _published(sender, first.correspondence_id)
        overview = sender.get_attachment_overview(attachment_id)
        assert overview.status is AttachmentStatus.PUBLISHED
        assert overview.file_name == "vedtak.txt"

        assert first.correspondence_id in recipient.search(RESOURCE, SearchRole.RECIPIENT)
        details = recipient.get_details(first.correspondence_id)
        assert details.content is not None
        assert details.content.message_title == "Vedtak"
        assert CorrespondenceStatus.FETCHED in [event.status for event in details.status_history]
        assert recipient.download(first.correspondence_id, attachment_id) == ATTACHMENT
        assert recipient.mark_as_read(first.correspondence_id) == first.correspondence_id
        assert recipient.purge(first.correspondence_id) == first.correspondence_id
        with pytest.raises(AltinnApiError) as gone:
            recipient.get_overview(first.correspondence_id)
        assert gone.value.status == 404
        assert gone.value.code == "CORR-01001"
        assert gone.value.error_code == 1001


def test_errors_are_exceptions_with_altinns_codes(live: Live) -> None:
    with AltinnClient(live.url, live.minted(OWNER, WRITE)) as sender:
        with pytest.raises(AltinnApiError) as duplicate:
            sender.initialize(_request(PERSON, PERSON))
        assert duplicate.value.status == 400
        assert duplicate.value.error_code == 1006
        assert duplicate.value.code == "CORR-01006"
    with AltinnClient(live.url, live.minted(ORG_RECIPIENT, READ)) as reader:
        with pytest.raises(AltinnApiError) as refused:
            reader.initialize(_request(PERSON))
        assert refused.value.status == 403
        assert refused.value.detail is not None
        assert "altinn:correspondence.write" in refused.value.detail
    with AltinnClient(live.url, "not-a-token") as nobody:
        with pytest.raises(AltinnApiError) as unauthenticated:
            nobody.get_overview(uuid.uuid4())
        assert unauthenticated.value.status == 401
        assert unauthenticated.value.www_authenticate is not None
        assert unauthenticated.value.www_authenticate.startswith('Bearer error="invalid_token"')


def test_the_async_client_does_what_the_blocking_one_does(live: Live) -> None:
    later = datetime.now(UTC) + timedelta(days=3)
    person_token = mint_person_token(token_issuer(live.data_dir), live.url, PERSON, [READ])

    async def scenario() -> None:
        async with (
            AsyncAltinnClient(live.url, live.minted(OWNER, WRITE)) as sender,
            AsyncAltinnClient(live.url, person_token) as person,
        ):
            request = _request(PERSON, requested_publish_time=later)
            request.correspondence.content.attachments = []
            sent = await sender.initialize(request)
            (only,) = sent.correspondences
            assert only.recipient == f"urn:altinn:person:identifier-no:{PERSON}"
            overview = await sender.get_overview(only.correspondence_id)
            assert overview.status in (
                CorrespondenceStatus.READY_FOR_PUBLISH,
                CorrespondenceStatus.INITIALIZED,
            )
            # Not published yet: the person does not see it, the sender may still purge it.
            with pytest.raises(AltinnApiError) as hidden:
                await person.get_overview(only.correspondence_id)
            assert hidden.value.error_code == 1001
            assert await sender.purge(only.correspondence_id) == only.correspondence_id

    asyncio.run(scenario())


def test_content_confirm_and_download_all_without_attachments(live: Live) -> None:
    person_token = mint_person_token(token_issuer(live.data_dir), live.url, PERSON, [READ])
    with (
        AltinnClient(live.url, live.minted(OWNER, WRITE)) as sender,
        AltinnClient(live.url, person_token) as person,
    ):
        request = _request(
            PERSON, is_confirmation_needed=True, due_date_time=datetime.now(UTC) + timedelta(days=7)
        )
        request.correspondence.content.attachments = []
        (sent,) = sender.initialize(request).correspondences
        _published(sender, sent.correspondence_id)
        with pytest.raises(AltinnApiError) as early:
            person.confirm(sent.correspondence_id)  # not fetched yet
        assert early.value.error_code == 1025
        assert person.get_content(sent.correspondence_id) == "Hei, se **vedlegget**."
        history = [event.status for event in person.get_details(sent.correspondence_id).status_history]
        assert CorrespondenceStatus.READ in history
        assert person.confirm(sent.correspondence_id) == sent.correspondence_id
        assert person.get_overview(sent.correspondence_id).status is CorrespondenceStatus.CONFIRMED
        with pytest.raises(AltinnApiError) as missing:
            person.download_all(sent.correspondence_id)  # it has no attachments
        assert (missing.value.status, missing.value.error_code) == (404, 2001)

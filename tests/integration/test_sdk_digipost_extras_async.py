"""The async SDK client's archive, inbox, tags, user-account and pre-encryption methods against a
live server (the blocking client's run in docs/sdk/digipost.md, as a test)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from postbud.dialects.digipost.signing import content_sha256
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.sdk.digipost import (
    ArchiveDocument,
    AsyncDigipostClient,
    Channel,
    Document,
    Message,
    OrganisationNumber,
    PersonalIdentificationNumber,
    TagType,
)
from tests.integration.digipost_fixtures import MAILBOX_PERSON, a_pdf
from tests.integration.sdk_live_server import LiveDigipost, live_digipost

__all__ = ["live_digipost"]

OWN_ORGANISATION = "974760673"


async def _own_mailbox(live: LiveDigipost) -> None:
    runtime = live.runtime
    async with runtime.unit_of_work() as uow:
        if await uow.recipients.by_party_id(parse_party_id(OWN_ORGANISATION)) is None:
            own = Recipient(
                uuid.uuid4(),
                parse_party_id(OWN_ORGANISATION),
                "Testkommune",
                Capabilities(business_inbox=True),
            )
            await uow.recipients.add(own, now=runtime.clock.now())


@pytest.mark.anyio
async def test_async_archive(live_digipost: LiveDigipost) -> None:
    document = ArchiveDocument("pdf", "a.pdf", "application/pdf", reference_id="asynk", attributes={"k": "v"})
    pdf = a_pdf("Arkiv")
    async with AsyncDigipostClient(live_digipost.config()) as client:
        archived = await client.archive([document], {document.uuid: pdf}, archive_name="Asynk")
        (stored,) = archived.documents
        assert stored.uuid == document.uuid
        archive = next(a for a in await client.archives() if a.name == "Asynk")
        page = await client.archive_page(
            archive, attributes={"k": "v"}, archived_from=datetime.now(UTC) - timedelta(1)
        )
        assert [d.uuid for d in page.documents] == [document.uuid]
        assert await client.fetch_archive_document(stored) == pdf
        assert (await client.archive_document_content(stored)).content_type == "application/pdf"
        again = await client.add_unique_uuid(stored, uuid.uuid4())
        assert len(again.documents) == 1
        found = await client.archive_documents_by_reference_id("asynk")
        assert len([d for a in found for d in a.documents]) == 2
        await client.delete_archive_document(stored)
        assert (
            len([d for a in await client.archive_documents_by_reference_id("asynk") for d in a.documents])
            == 1
        )


@pytest.mark.anyio
async def test_async_inbox_tags_accounts_and_pre_encryption(live_digipost: LiveDigipost) -> None:
    live_digipost.run(_own_mailbox, live_digipost)
    pdf = a_pdf("Til oss")
    async with AsyncDigipostClient(live_digipost.config()) as client:
        letter = Document("Asynk til oss")
        await client.send(Message(letter, OrganisationNumber(OWN_ORGANISATION)), {letter.uuid: pdf})
        newest = (await client.inbox(limit=1))[0]
        assert newest.subject == "Asynk til oss"
        assert await client.fetch_inbox_document(newest) == pdf
        await client.delete_inbox_document(newest)
        assert all(d.subject != "Asynk til oss" for d in await client.inbox())

        await client.add_tag(MAILBOX_PERSON)
        assert await client.tags(MAILBOX_PERSON) == [TagType.PUBLIC_MAILBOX_TAG]
        await client.remove_tag(MAILBOX_PERSON)
        assert await client.tags(MAILBOX_PERSON) == []

        account = await client.create_or_activate_user_account("01088044300", "+4791234567", "ny@example.no")
        assert account.digipost_address
        assert "BEGIN PUBLIC KEY" in account.encryption_key_pem

        secret = Document("Asynk hemmelig", encrypted=True)
        delivery = await client.send(
            Message(secret, PersonalIdentificationNumber(MAILBOX_PERSON)), {secret.uuid: pdf}
        )
        assert delivery.delivery_method is Channel.DIGIPOST
        assert delivery.primary_document.content_hash is not None
        assert delivery.primary_document.content_hash.value == content_sha256(pdf)  # opened by the server

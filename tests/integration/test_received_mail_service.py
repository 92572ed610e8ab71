"""The organisation's received mail, tags and user accounts as core use cases, on both backends."""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pytest

from postbud.domain.errors import NotFound, ValidationFailed
from postbud.domain.identifiers import generate_fodselsnummer, parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from postbud.services.accounts.user_accounts import create_or_activate
from postbud.services.letters.letter_request import DocumentInput, SendLetter
from postbud.services.letters.send_letter import send_letter
from postbud.services.received import mail
from postbud.services.tags.person_tags import PersonTag, add_tag, remove_tag, tags_of
from tests.integration.core_helpers import runtime_for

pytestmark = pytest.mark.anyio

ORGANISATION = "974760673"


async def test_received_mail_on_both_backends(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = Sender(uuid.uuid4(), "Kommunen", ORGANISATION)
        other = Sender(uuid.uuid4(), "Etaten", "988077917")
        own = Recipient(
            uuid.uuid4(), parse_party_id(ORGANISATION), "Kommunen", Capabilities(business_inbox=True)
        )
        async with runtime.unit_of_work() as uow:
            await uow.senders.add(sender, now=runtime.clock.now())
            await uow.senders.add(other, now=runtime.clock.now())
            await uow.recipients.add(own, now=runtime.clock.now())
        for subject in ("Først", "Så", "Sist"):
            document = DocumentInput(subject.encode(), "txt", "text/plain", title=subject)
            command = SendLetter(other.id, "ekopost", (document,), recipient=parse_party_id(ORGANISATION))
            await send_letter(command, runtime)

        letters = await mail.received_letters(runtime, sender, offset=0, limit=10)
        assert [letter.shipment.subject for letter in letters] == ["Sist", "Så", "Først"]
        assert [letter.sender_name for letter in letters] == ["Etaten"] * 3
        page = await mail.received_letters(runtime, sender, offset=1, limit=1)
        assert [letter.shipment.subject for letter in page] == ["Så"]
        with pytest.raises(ValidationFailed):
            await mail.received_letters(runtime, sender, offset=0, limit=1001)
        assert await mail.received_letters(runtime, other, offset=0, limit=10) == []  # no mailbox of its own

        newest = letters[0].shipment.primary
        token = await mail.content_link(runtime, sender, newest.id)
        document, content = await mail.open_link(runtime, token)
        assert (document.id, content) == (newest.id, b"Sist")
        with pytest.raises(NotFound):
            await mail.open_link(runtime, token)
        with pytest.raises(NotFound):
            await mail.content_link(runtime, other, newest.id)
        accessed = await mail.received_letters(runtime, sender, offset=0, limit=1)
        assert accessed[0].first_accessed is not None

        await mail.delete_letter(runtime, sender, newest.id)
        left = await mail.received_letters(runtime, sender, offset=0, limit=10)
        assert [letter.shipment.subject for letter in left] == ["Så", "Først"]

        person = generate_fodselsnummer(random.Random(5))
        await add_tag(runtime, sender.id, person, PersonTag.PUBLIC_MAILBOX)
        await add_tag(runtime, sender.id, person, PersonTag.PUBLIC_MAILBOX)
        assert await tags_of(runtime, sender.id, person) == [PersonTag.PUBLIC_MAILBOX]
        assert await tags_of(runtime, other.id, person) == []
        await remove_tag(runtime, sender.id, person, PersonTag.PUBLIC_MAILBOX)
        assert await tags_of(runtime, sender.id, person) == []

        account = await create_or_activate(runtime, person, "+4791234567", "ny@example.no")
        assert account.recipient.capabilities.digital_mailbox
        again = await create_or_activate(runtime, person, "+4799999999", "ny@example.no")
        assert again.recipient.id == account.recipient.id
        assert again.encryption_key.key_id == account.encryption_key.key_id
        assert again.recipient.capabilities.mobile == "+4799999999"
    finally:
        await runtime.close()

"""Small builders shared by the core integration tests."""

from __future__ import annotations

import uuid
from pathlib import Path

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient, Sender
from postbud.services.letters.send_letter import DocumentInput, SendLetter
from postbud.services.runtime import Runtime
from tests.real_pdf import real_pdf

PERSON_WITH_MAILBOX = "15108695088"
PERSON_WITHOUT_MAILBOX = "31129956715"
ADDRESS = PostalAddress("Kari Nordmann", ("Storgata 1",), "0155", "Oslo")


async def runtime_for(tmp_path: Path, database_url: str) -> Runtime:
    return await build_runtime(Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0))


async def add_sender(runtime: Runtime, orgnr: str = "974761076") -> uuid.UUID:
    sender_id = uuid.uuid4()
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(
            Sender(id=sender_id, name="Skatteetaten", organisation_number=orgnr), now=runtime.clock.now()
        )
    return sender_id


async def add_sender_with_a_reader(runtime: Runtime) -> uuid.UUID:
    """A sender, and Ola (``PERSON_WITH_MAILBOX``) with a digital mailbox to send to: what a webhook
    test needs before its first letter."""
    sender = Sender(id=uuid.uuid4(), name="Skatteetaten", organisation_number="974761076")
    recipient = Recipient(
        id=uuid.uuid4(),
        party_id=parse_party_id(PERSON_WITH_MAILBOX),
        name="Ola Nordmann",
        capabilities=Capabilities(digital_mailbox=True),
    )
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(sender, now=runtime.clock.now())
        await uow.recipients.add(recipient, now=runtime.clock.now())
    return sender.id


async def add_recipients(runtime: Runtime) -> None:
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        await uow.recipients.add(
            Recipient(
                uuid.uuid4(),
                parse_party_id(PERSON_WITH_MAILBOX),
                "Ola Nordmann",
                Capabilities(
                    digital_mailbox=True, mailbox_address="ola.nordmann#1A2B", email="ola@example.no"
                ),
            ),
            now=now,
        )
        await uow.recipients.add(
            Recipient(uuid.uuid4(), parse_party_id(PERSON_WITHOUT_MAILBOX), "Kari Nordmann", Capabilities()),
            now=now,
        )


def pdf_document(text: str = "letter", external_id: str | None = None) -> DocumentInput:
    body = real_pdf(text)
    return DocumentInput(
        content=body, file_type="pdf", mime="application/pdf", title=text, external_id=external_id
    )


def letter(sender_id: uuid.UUID, **changes: object) -> SendLetter:
    fields: dict[str, object] = {
        "sender_id": sender_id,
        "dialect": "platform",
        "recipient": parse_party_id(PERSON_WITH_MAILBOX),
        "documents": (pdf_document(),),
    }
    fields.update(changes)
    return SendLetter(**fields)  # type: ignore[arg-type]

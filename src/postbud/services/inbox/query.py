"""Read side of the recipient inbox: pages of letters per folder, one letter, who has an inbox.

A recipient sees only letters in their own inbox. Any other letter id — someone else's, one still
held for its publish time, one that went only to print — is "not found", exactly as an id that
never existed, so a guessed id tells nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from postbud.domain.documents import AuthenticationLevel
from postbud.domain.errors import NotFound
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.letter_presentation import RECIPIENT_NAME_PLACEHOLDER
from postbud.domain.parties import Sender
from postbud.domain.shipments import Shipment
from postbud.services.page_cursor import decode_cursor, encode_cursor
from postbud.services.runtime import Runtime

# The read models this use case returns are part of its interface: outer layers import them from here.
from postbud.storage.repos.inbox import DocumentSummary as DocumentSummary
from postbud.storage.repos.inbox import InboxOwner as InboxOwner
from postbud.storage.repos.inbox import LetterSummary as LetterSummary

PAGE_SIZE = 20
SHAREABLE_LETTERS = 30
MAX_SEARCH_LENGTH = 100


class Folder(StrEnum):
    INBOX = "inbox"
    ARCHIVE = "archive"


@dataclass(frozen=True, slots=True)
class LetterPage:
    letters: list[LetterSummary]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Letter:
    shipment: Shipment
    sender: Sender | None
    events: list[ShipmentEvent]
    archived: bool

    @property
    def opened(self) -> bool:
        return any(e.type is EventType.OPENED for e in self.events)

    @property
    def received_at(self) -> datetime:
        """When an inbox received it: its first delivery, which for a letter held for a publish time
        comes after it was created."""
        return next((e.at for e in self.events if e.type is EventType.DELIVERED), self.shipment.created_at)

    @property
    def sender_name(self) -> str:
        return self.sender.name if self.sender else ""

    @property
    def required_level(self) -> AuthenticationLevel:
        """The strongest sign-in any of its documents asks for."""
        return max((d.authentication for d in self.shipment.documents), key=lambda level: level.rank)


@dataclass(frozen=True, slots=True)
class ShareableLetter:
    letter: LetterSummary
    documents: list[DocumentSummary]


async def list_letters(
    runtime: Runtime,
    recipient_id: uuid.UUID,
    *,
    folder: Folder = Folder.INBOX,
    search: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> LetterPage:
    """Newest first; a sensitive letter's subject is neither listed nor searched."""
    before = decode_cursor(cursor) if cursor else None
    text = (search or "").strip()[:MAX_SEARCH_LENGTH] or None
    async with runtime.reader() as uow:
        letters = await uow.inbox.page(
            recipient_id, archived=folder is Folder.ARCHIVE, search=text, before=before, limit=limit + 1
        )
    more = len(letters) > limit
    letters = await _named(runtime, recipient_id, letters[:limit])
    return LetterPage(
        letters, encode_cursor(letters[-1].created_at, letters[-1].shipment_id) if more else None
    )


async def _named(
    runtime: Runtime, recipient_id: uuid.UUID, letters: list[LetterSummary]
) -> list[LetterSummary]:
    """Subjects that name their reader (``{{recipientName}}``) show the reader's name, as the letter does."""
    if not any(letter.subject and RECIPIENT_NAME_PLACEHOLDER in letter.subject for letter in letters):
        return letters
    async with runtime.reader() as uow:
        recipient = await uow.recipients.get(recipient_id)
    name = recipient.name if recipient is not None else ""
    return [
        replace(letter, subject=letter.subject.replace(RECIPIENT_NAME_PLACEHOLDER, name))
        if letter.subject
        else letter
        for letter in letters
    ]


async def get_letter(runtime: Runtime, recipient_id: uuid.UUID, shipment_id: uuid.UUID) -> Letter:
    """The letter with its sender and events; NotFound unless it is in this recipient's inbox."""
    async with runtime.reader() as uow:
        inbox = uow.inbox
        shipment = (
            await uow.shipments.get(shipment_id) if await inbox.holds(recipient_id, shipment_id) else None
        )
        if shipment is None:
            raise NotFound("letter", shipment_id)
        sender = await uow.senders.get(shipment.sender_id)
        events = await uow.events.for_shipment(shipment_id)
        archived = await inbox.is_archived(shipment_id)
    return Letter(shipment, sender, events, archived)


async def inbox_owners(runtime: Runtime, text: str | None = None, *, limit: int = 20) -> list[InboxOwner]:
    async with runtime.reader() as uow:
        return await uow.inbox.owners(text, limit=limit)


async def inbox_owner(runtime: Runtime, recipient_id: uuid.UUID) -> InboxOwner | None:
    async with runtime.reader() as uow:
        return await uow.inbox.owner(recipient_id)


async def shareable_letters(
    runtime: Runtime,
    recipient_id: uuid.UUID,
    *,
    exclude: uuid.UUID,
    origins: tuple[str, ...] = (),
    limit: int = SHAREABLE_LETTERS,
) -> list[ShareableLetter]:
    """The newest letters of the inbox with their documents, to pick from when sharing.

    ``origins`` (organisation numbers), when given, keeps only letters from those senders.
    """
    async with runtime.reader() as uow:
        inbox = uow.inbox
        letters = [
            letter
            for letter in await inbox.page(recipient_id, archived=False, limit=limit + 1)
            if letter.shipment_id != exclude and (not origins or letter.sender_organisation_number in origins)
        ][:limit]
        documents = await inbox.documents([letter.shipment_id for letter in letters])
    by_letter: dict[uuid.UUID, list[DocumentSummary]] = {}
    for document in documents:
        by_letter.setdefault(document.shipment_id, []).append(document)
    return [ShareableLetter(letter, by_letter.get(letter.shipment_id, [])) for letter in letters]

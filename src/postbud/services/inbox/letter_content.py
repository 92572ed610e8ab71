"""What the inbox shows of a letter beyond its documents: its summary, a Markdown body, links to
follow, its due date and whether the sender asks for a confirmation (Altinn's correspondence
fields, read as the core's neutral properties and terms)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from postbud.domain.documents import Document
from postbud.domain.events import EventType
from postbud.domain.letter_presentation import (
    RECIPIENT_NAME_PLACEHOLDER,
    LetterLink,
    letter_links,
    letter_summary,
)
from postbud.services.inbox.query import Letter
from postbud.services.runtime import Runtime

MARKDOWN_FILE_TYPE: Final = "md"
_SAFE_SCHEMES: Final = ("https://", "http://")


@dataclass(frozen=True, slots=True)
class LetterContent:
    title: str | None = None
    """The subject with the reader's name where it names them."""
    summary: str | None = None
    body_markdown: str | None = None
    """The primary document's text when it is Markdown; shown as the letter's body."""
    body_document: Document | None = None
    links: list[LetterLink] = field(default_factory=list)
    due_at: datetime | None = None
    needs_confirmation: bool = False
    confirmed_at: datetime | None = None


def is_markdown_body(document: Document) -> bool:
    return document.is_primary and document.file_type.lower() == MARKDOWN_FILE_TYPE


async def letter_content(runtime: Runtime, letter: Letter) -> LetterContent:
    """Only for a letter the reader may see now (``readable_letter``/``open_letter`` checked it)."""
    shipment = letter.shipment
    async with runtime.reader() as uow:
        terms = await uow.letter_terms.get(shipment.id)
    name = shipment.recipient_name or ""
    body = next((d for d in shipment.documents if is_markdown_body(d)), None)
    markdown = (await runtime.blobs.get(body.sha256)).decode("utf-8", "replace") if body else None
    summary = letter_summary(shipment.properties)
    # Only web links are offered: a javascript: or data: link is dropped, never shown.
    links = [k for k in letter_links(shipment.properties) if k.url.lower().startswith(_SAFE_SCHEMES)]
    confirmed = next((e.at for e in letter.events if e.type is EventType.CONFIRMED), None)
    title = shipment.subject.replace(RECIPIENT_NAME_PLACEHOLDER, name) if shipment.subject else None
    return LetterContent(
        title=title,
        summary=summary.replace(RECIPIENT_NAME_PLACEHOLDER, name) if summary else None,
        body_markdown=markdown.replace(RECIPIENT_NAME_PLACEHOLDER, name) if markdown is not None else None,
        body_document=body,
        links=links,
        due_at=terms.due_at if terms else None,
        needs_confirmation=bool(terms and terms.needs_confirmation),
        confirmed_at=confirmed,
    )

"""A letter: its gates (step-up, opening receipt), its pages as images, files, cards and sender."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.documents import Document
from postbud.domain.events import EventType
from postbud.services.inbox.archive_letter import set_archived
from postbud.services.inbox.letter_content import letter_content
from postbud.services.inbox.open_letter import OpeningReceiptPending, StepUpRequired, open_letter
from postbud.services.inbox.page_images import DEFAULT_WIDTH, WIDTHS, PageNotRenderable, page_count
from postbud.services.inbox.query import Letter, get_letter
from postbud.web.context import web_context
from postbud.web.inbox import paths
from postbud.web.inbox.cards import Problems, letter_cards
from postbud.web.inbox.render import flash, page
from postbud.web.markdown import markdown_html
from postbud.web.navigation import see_other
from postbud.web.signin import Identity

MAX_INLINE_PAGES: Final = 30
"""Longer documents show their first pages; the whole file is a download away."""


@dataclass(frozen=True, slots=True)
class PageView:
    number: int
    src: str
    srcset: str


@dataclass(frozen=True, slots=True)
class DocumentView:
    document: Document
    download_url: str
    page_count: int
    pages: list[PageView]

    @property
    def truncated(self) -> bool:
        return self.page_count > len(self.pages)


def letter_id_of(request: Request) -> uuid.UUID:
    value = request.path_params["letter_id"]
    assert isinstance(value, uuid.UUID)
    return value


async def _document_view(request: Request, letter: Letter, document: Document) -> DocumentView:
    letter_id = letter.shipment.id
    try:
        count = await page_count(web_context(request).runtime, document)
    except PageNotRenderable:
        count = 0
    pages = [
        PageView(
            number,
            paths.page_image(letter_id, document.id, number, DEFAULT_WIDTH),
            ", ".join(f"{paths.page_image(letter_id, document.id, number, w)} {w}w" for w in WIDTHS),
        )
        for number in range(1, min(count, MAX_INLINE_PAGES) + 1)
    ]
    return DocumentView(document, paths.document(letter_id, document.id), count, pages)


async def render_letter(
    request: Request,
    identity: Identity,
    letter: Letter,
    *,
    problems: Problems | None = None,
    status: int = 200,
) -> Response:
    web = web_context(request)
    cards = await letter_cards(web.runtime, letter, identity.recipient_id, web.max_upload_bytes)
    content = await letter_content(web.runtime, letter)
    # A Markdown body is shown as the letter's text, not as a document to page through.
    shown = [d for d in letter.shipment.documents if d != content.body_document]
    documents = [await _document_view(request, letter, d) for d in shown]
    opened = next((e.at for e in letter.events if e.type is EventType.OPENED), None)
    body = markdown_html(content.body_markdown) if content.body_markdown is not None else None
    context = {
        "content": content,
        "body_html": body,
        "letter": letter,
        "shipment": letter.shipment,
        "sender": letter.sender,
        "documents": documents,
        "cards": cards,
        "problems": problems,
        "opened_at": opened,
        "now": web.runtime.clock.now(),
    }
    return page(request, "inbox/letter.html", context, status=status)


def gate(request: Request, exc: StepUpRequired | OpeningReceiptPending, letter_id: uuid.UUID) -> Response:
    """Where a reader goes who may not see the content yet."""
    if isinstance(exc, StepUpRequired):
        return see_other(paths.step_up(exc.level, paths.letter(letter_id)))
    return page(
        request, "inbox/receipt.html", {"letter_id": letter_id, "action": paths.action(letter_id, "open")}
    )


async def letter_page(request: Request, identity: Identity) -> Response:
    letter_id = letter_id_of(request)
    runtime = web_context(request).runtime
    try:
        letter = await open_letter(runtime, identity.recipient_id, letter_id, identity.level)
    except (StepUpRequired, OpeningReceiptPending) as exc:
        return gate(request, exc, letter_id)
    return await render_letter(request, identity, letter)


async def accept_receipt(request: Request, form: FormData, identity: Identity) -> Response:
    letter_id = letter_id_of(request)
    runtime = web_context(request).runtime
    try:
        await open_letter(runtime, identity.recipient_id, letter_id, identity.level, accept_receipt=True)
    except (StepUpRequired, OpeningReceiptPending) as exc:
        return gate(request, exc, letter_id)
    return see_other(paths.letter(letter_id))


async def _archive(request: Request, form: FormData, identity: Identity, *, archived: bool) -> Response:
    letter_id = letter_id_of(request)
    await set_archived(web_context(request).runtime, identity.recipient_id, letter_id, archived=archived)
    flash(request, "letter.archived" if archived else "letter.unarchived")
    back = paths.safe_next(str(form.get("next") or "")) if form.get("next") else paths.letter(letter_id)
    return see_other(back)


async def archive(request: Request, form: FormData, identity: Identity) -> Response:
    return await _archive(request, form, identity, archived=True)


async def unarchive(request: Request, form: FormData, identity: Identity) -> Response:
    return await _archive(request, form, identity, archived=False)


async def letter_for_change(request: Request, identity: Identity) -> Letter:
    """The letter a card's form acts on; NotFound unless it is in the reader's inbox."""
    return await get_letter(web_context(request).runtime, identity.recipient_id, letter_id_of(request))

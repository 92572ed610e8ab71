"""What a letter gives to download or look at: the original files, page images, the calendar entry.

Each read checks the same gates as the letter page (the letter is the reader's, the session's
level is high enough, an opening receipt is settled), so a copied URL shows nothing to anyone else.
"""

from __future__ import annotations

import uuid
from typing import Final
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.documents import Document
from postbud.domain.errors import Conflict, NotFound, ValidationFailed
from postbud.services.inbox.calendar import calendar_file
from postbud.services.inbox.open_letter import OpeningReceiptPending, StepUpRequired, readable_letter
from postbud.services.inbox.page_images import DEFAULT_WIDTH, PageNotRenderable, page_image
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.inbox import paths
from postbud.web.inbox.letter import letter_id_of
from postbud.web.navigation import see_other
from postbud.web.signin import Identity

PRIVATE_CACHE: Final = "private, max-age=3600"


def attachment_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in ".-_ ") else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def _filename(document: Document) -> str:
    stem = (document.title or "dokument").strip().replace("/", "-")[:100] or "dokument"
    return f"{stem}.{document.file_type.lower()}" if document.file_type else stem


def _document_id(request: Request) -> uuid.UUID:
    value = request.path_params["document_id"]
    assert isinstance(value, uuid.UUID)
    return value


async def _readable_document(request: Request, identity: Identity) -> Document | Response:
    letter_id = letter_id_of(request)
    try:
        letter = await readable_letter(
            web_context(request).runtime, identity.recipient_id, letter_id, identity.level
        )
    except StepUpRequired as exc:
        return see_other(paths.step_up(exc.level, paths.letter(letter_id)))
    except OpeningReceiptPending:
        return see_other(paths.letter(letter_id))
    document = next((d for d in letter.shipment.documents if d.id == _document_id(request)), None)
    if document is None:
        raise NotFound("document", _document_id(request))
    return document


async def download(request: Request, identity: Identity) -> Response:
    document = await _readable_document(request, identity)
    if isinstance(document, Response):
        return document
    content = await web_context(request).runtime.blobs.get(document.sha256)
    headers = {
        "content-disposition": attachment_disposition(_filename(document)),
        "cache-control": "private, no-store",
    }
    return Response(content, media_type=document.mime or "application/octet-stream", headers=headers)


async def page_png(request: Request, identity: Identity) -> Response:
    document = await _readable_document(request, identity)
    if isinstance(document, Response):
        return document
    try:
        width = int(request.query_params.get("w", DEFAULT_WIDTH))
        png = await page_image(
            web_context(request).runtime, document, int(request.path_params["page"]), width
        )
    except (ValueError, ValidationFailed):
        return error_page(request, 400)
    except PageNotRenderable:
        return error_page(request, 404)
    return Response(png, media_type="image/png", headers={"cache-control": PRIVATE_CACHE})


async def calendar_download(request: Request, identity: Identity) -> Response:
    letter_id = letter_id_of(request)
    try:
        ics = await calendar_file(
            web_context(request).runtime, identity.recipient_id, letter_id, identity.level
        )
    except StepUpRequired as exc:
        return see_other(paths.step_up(exc.level, paths.letter(letter_id)))
    except OpeningReceiptPending:
        return see_other(paths.letter(letter_id))
    except Conflict:
        return error_page(request, 404)
    headers = {
        "content-disposition": attachment_disposition(ics.filename),
        "cache-control": "private, no-store",
    }
    return Response(ics.content, media_type="text/calendar; charset=utf-8", headers=headers)

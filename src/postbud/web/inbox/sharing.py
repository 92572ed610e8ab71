"""Answering a share-documents request: pick letters from the inbox or upload a PDF; withdraw later.

Only PDF uploads are taken here (the sharing use case also knows PNG and JPEG, but a request for
documents is answered with documents). A file that is not a PDF, is empty or too large is refused
with a message and nothing is shared; the same for an id that is not one of the reader's letters.
"""

from __future__ import annotations

import uuid
from typing import Final

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import Conflict, DomainError, NotFound, NotPermitted, ValidationFailed
from postbud.services.inbox.sharing import (
    InboxDocument,
    SharedItem,
    Upload,
    share_documents,
    withdraw_sharing,
)
from postbud.web.context import web_context
from postbud.web.inbox import paths
from postbud.web.inbox.cards import Problems
from postbud.web.inbox.letter import letter_for_change, letter_id_of, render_letter
from postbud.web.inbox.render import flash
from postbud.web.navigation import see_other
from postbud.web.signin import Identity

PDF_MIME: Final = "application/pdf"
PDF_MAGIC: Final = b"%PDF-"
MAX_CHOSEN: Final = 50


class _Refused(Exception):
    def __init__(self, field: str, message_key: str, **params: object) -> None:
        self.field = field
        self.message_key = message_key
        self.params = params


async def _upload(request: Request, file: UploadFile) -> Upload:
    limit = web_context(request).max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise _Refused("file", "share.error.too_large", size=limit // (1024 * 1024))
    if not content:
        raise _Refused("file", "share.error.empty")
    declared = (file.content_type or "").split(";")[0].strip().lower()
    if declared != PDF_MIME or not content.startswith(PDF_MAGIC):
        raise _Refused("file", "share.error.not_pdf")
    return Upload(content=content, filename=file.filename or "dokument.pdf", mime=PDF_MIME)


async def _items(request: Request, form: FormData) -> list[SharedItem]:
    items: list[SharedItem] = []
    chosen = [value for value in form.getlist("document") if isinstance(value, str)]
    if len(chosen) > MAX_CHOSEN:
        raise _Refused("document", "share.error.too_many", count=MAX_CHOSEN)
    for value in dict.fromkeys(chosen):
        try:
            items.append(InboxDocument(uuid.UUID(value)))
        except ValueError:
            raise _Refused("document", "share.error.unknown_document") from None
    file = form.get("file")
    if isinstance(file, UploadFile) and file.filename:
        items.append(await _upload(request, file))
    if not items:
        raise _Refused("document", "share.error.nothing")
    return items


async def _refusal(request: Request, identity: Identity, field: str, message: str, status: int) -> Response:
    web = web_context(request)
    problems = Problems(web.pages.text(request, "share.error.summary"), {field: message})
    letter = await letter_for_change(request, identity)
    return await render_letter(request, identity, letter, problems=problems, status=status)


async def share(request: Request, form: FormData, identity: Identity) -> Response:
    web = web_context(request)
    letter_id = letter_id_of(request)
    await letter_for_change(request, identity)  # someone else's request is "not found", before anything
    try:
        items = await _items(request, form)
        await share_documents(web.runtime, letter_id, identity.recipient_id, items)
    except _Refused as exc:
        message = web.pages.text(request, exc.message_key, **exc.params)
        return await _refusal(request, identity, exc.field, message, 400)
    except NotFound:
        message = web.pages.text(request, "share.error.unknown_document")
        return await _refusal(request, identity, "document", message, 400)
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        message = web.pages.text(request, "share.error.refused", reason=str(exc))
        return await _refusal(
            request, identity, "document", message, 409 if isinstance(exc, Conflict) else 400
        )
    flash(request, "share.done")
    return see_other(paths.letter(letter_id))


async def withdraw(request: Request, form: FormData, identity: Identity) -> Response:
    web = web_context(request)
    letter_id = letter_id_of(request)
    await letter_for_change(request, identity)
    try:
        await withdraw_sharing(web.runtime, letter_id, identity.recipient_id)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        message = web.pages.text(request, "share.error.refused", reason=str(exc))
        return await _refusal(request, identity, "withdraw", message, 409)
    flash(request, "share.withdrawn")
    return see_other(paths.letter(letter_id))

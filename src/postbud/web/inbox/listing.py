"""The letter list: inbox or archive folder, search, and keyset paging ("older letters")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import ValidationFailed
from postbud.services.inbox.query import MAX_SEARCH_LENGTH, Folder, LetterSummary, list_letters
from postbud.services.signing.query import waiting_for
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.inbox import paths
from postbud.web.inbox.render import page
from postbud.web.signin import Identity


@dataclass(frozen=True, slots=True)
class Row:
    """One letter as the list shows it; a sensitive letter's subject is left out here."""

    url: str
    sender: str
    subject: str | None
    sensitive: bool
    received: datetime
    unread: bool
    attachments: int
    kind: str | None


def _row(letter: LetterSummary, url: str) -> Row:
    kind = (letter.datatype or {}).get("kind")
    return Row(
        url=url,
        sender=letter.sender_name,
        subject=None if letter.sensitive else letter.subject,
        sensitive=letter.sensitive,
        received=letter.received_at,
        unread=not letter.opened,
        attachments=max(letter.documents - 1, 0),
        kind=str(kind) if kind and not letter.sensitive else None,
    )


def _folder(raw: str | None) -> Folder:
    try:
        return Folder(raw or Folder.INBOX.value)
    except ValueError:
        return Folder.INBOX


async def inbox_page(request: Request, identity: Identity) -> Response:
    folder = _folder(request.query_params.get("folder"))
    query = request.query_params.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    cursor = request.query_params.get("cursor") or None
    try:
        letters = await list_letters(
            web_context(request).runtime, identity.recipient_id, folder=folder, search=query, cursor=cursor
        )
    except ValidationFailed:
        return error_page(request, 400)
    rows = [_row(letter, paths.letter(letter.shipment_id)) for letter in letters.letters]
    older = paths.home(folder.value, query or None, letters.next_cursor) if letters.next_cursor else None
    newest = paths.home(folder.value, query or None) if cursor else None
    context = {
        "folder": folder.value,
        "query": query,
        "rows": rows,
        "older_url": older,
        "newest_url": newest,
        "to_sign": await waiting_for(web_context(request).runtime, identity.recipient_id),
    }
    return page(request, "inbox/list.html", context)

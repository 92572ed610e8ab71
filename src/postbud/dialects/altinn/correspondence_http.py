"""The correspondence endpoints after initialize: overview C4, details C5, mark as read C6, confirm
C7, purge C8, attachment download C9 and the inbox's content H1, each with the rules of §5.4 and
their catalogue codes. Thin: the core's recipient actions decide; this words their refusals."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from postbud.dialects.altinn.access import Letter, load_letter
from postbud.dialects.altinn.auth import AltinnCaller, Policy, authenticate
from postbud.dialects.altinn.context import AltinnDialect
from postbud.dialects.altinn.errors import error
from postbud.dialects.altinn.http_in import path_guid
from postbud.dialects.altinn.statuses import (
    AVAILABLE_FOR_RECIPIENT,
    PURGEABLE_BY_SENDER,
    PURGED,
    CorrespondenceStatus,
    StatusEntry,
    current,
    status_history,
)
from postbud.dialects.altinn.views import Correspondence, data_type, details, overview
from postbud.domain.attachments import Attachment, AttachmentStatus
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.letter_actions import AsRecipient
from postbud.services.letters.attachments import purge_attachment
from postbud.services.letters.query import get_shipment
from postbud.services.recipient_actions.confirm import confirm_letter
from postbud.services.recipient_actions.download import download_document
from postbud.services.recipient_actions.fetch import record_fetched
from postbud.services.recipient_actions.purge import purge_letter
from postbud.services.recipient_actions.read import mark_read
from postbud.services.runtime import Runtime

RECIPIENT_NAME = "{{recipientName}}"
_INLINE = frozenset({"pdf", "png", "jpg", "jpeg", "gif", "bmp"})


def history_of(letter: Letter) -> list[StatusEntry]:
    attachment_of = {str(d.id): d.attachment_id for d in letter.shipment.documents if d.attachment_id}
    return status_history(letter.events, attachment_of)


def _require_available(history: list[StatusEntry]) -> None:
    if current(history).status not in AVAILABLE_FOR_RECIPIENT:
        raise error(1001)


async def _reloaded(runtime: Runtime, letter: Letter) -> Letter:
    found = await get_shipment(letter.shipment.id, runtime)
    return Letter(found.shipment, found.events, letter.record, letter.role)


async def _fetched(runtime: Runtime, letter: Letter) -> Letter:
    """A recipient's look-up: refused unless available, noted as Fetched (debounced by the core)."""
    assert isinstance(letter.role, AsRecipient)
    _require_available(history_of(letter))
    try:
        await record_fetched(runtime, letter.role, letter.shipment.id)
    except Conflict:
        raise error(1001) from None
    return await _reloaded(runtime, letter)


async def _body(runtime: Runtime, letter: Letter) -> str:
    primary = next((d for d in letter.shipment.documents if d.is_primary), None)
    if primary is None:
        return ""
    try:
        text = (await runtime.blobs.get(primary.sha256)).decode("utf-8")
    except LookupError:  # the blob was released after a purge
        return ""
    return text


async def _attachments(runtime: Runtime, letter: Letter) -> list[Attachment]:
    ids = [uuid.UUID(i) for i in letter.record.attachment_ids]
    async with runtime.reader() as uow:
        found = await uow.attachments.many(ids)
    return [found[i] for i in ids if i in found]


def _named(text: str, letter: Letter) -> str:
    return text.replace(RECIPIENT_NAME, letter.shipment.recipient_name or "")


async def _view(runtime: Runtime, letter: Letter) -> Correspondence:
    view = Correspondence(
        shipment=letter.shipment,
        record=letter.record,
        history=history_of(letter),
        body=_named(await _body(runtime, letter), letter),
        attachments=await _attachments(runtime, letter),
        as_sender=letter.as_sender,
        events=letter.events,
    )
    return view


def _with_names(body: dict[str, Any], letter: Letter) -> dict[str, Any]:
    content = body["content"]
    for key in ("messageTitle", "messageSummary"):
        if isinstance(content.get(key), str):
            content[key] = _named(content[key], letter)
    return body


async def _letter(dialect: AltinnDialect, request: Request, policy: Policy) -> tuple[AltinnCaller, Letter]:
    caller = await authenticate(request, dialect.runtime, policy)
    return caller, await load_letter(dialect.runtime, caller, path_guid(request, "correspondenceId"))


async def get_overview(dialect: AltinnDialect, request: Request) -> Response:
    _, letter = await _letter(dialect, request, Policy.SENDER_OR_RECIPIENT)
    if any(e.status in PURGED for e in history_of(letter)):
        raise error(1001)
    if not letter.as_sender:
        letter = await _fetched(dialect.runtime, letter)
    view = await _view(dialect.runtime, letter)
    return JSONResponse(_with_names(overview(view), letter))


async def get_details(dialect: AltinnDialect, request: Request) -> Response:
    _, letter = await _letter(dialect, request, Policy.SENDER_OR_RECIPIENT)
    if not letter.as_sender:
        letter = await _fetched(dialect.runtime, letter)
    view = await _view(dialect.runtime, letter)
    return JSONResponse(_with_names(details(view), letter))


def _recipient(letter: Letter) -> AsRecipient:
    if not isinstance(letter.role, AsRecipient):
        raise error(4001)
    return letter.role


async def mark_as_read(dialect: AltinnDialect, request: Request) -> Response:
    _, letter = await _letter(dialect, request, Policy.RECIPIENT)
    role = _recipient(letter)
    _require_available(history_of(letter))
    try:
        await mark_read(dialect.runtime, role, letter.shipment.id)
    except Conflict as exc:
        raise error(
            {ConflictCode.NOT_YET: 1024, ConflictCode.ALREADY_DONE: 1040}.get(exc.code, 1001)
        ) from None
    return JSONResponse(str(letter.shipment.id))


async def confirm(dialect: AltinnDialect, request: Request) -> Response:
    _, letter = await _letter(dialect, request, Policy.RECIPIENT)
    role = _recipient(letter)
    _require_available(history_of(letter))
    try:
        await confirm_letter(dialect.runtime, role, letter.shipment.id)
    except Conflict as exc:
        raise error(
            {ConflictCode.NOT_YET: 1025, ConflictCode.ALREADY_DONE: 1041}.get(exc.code, 1001)
        ) from None
    return JSONResponse(str(letter.shipment.id))


async def purge(dialect: AltinnDialect, request: Request) -> Response:
    _, letter = await _letter(dialect, request, Policy.SENDER_OR_RECIPIENT)
    history = history_of(letter)
    if any(e.status in PURGED for e in history):
        raise error(1014)
    if letter.as_sender:
        if current(history).status not in PURGEABLE_BY_SENDER:
            raise error(1013)
    else:
        _require_available(history)
        confirmed = any(e.status is CorrespondenceStatus.Confirmed for e in history)
        if letter.record.is_confirmation_needed and not confirmed:
            raise error(1026)
    try:
        await purge_letter(dialect.runtime, letter.role, letter.shipment.id)
    except Conflict as exc:
        if exc.code is ConflictCode.ALREADY_DONE:
            raise error(1014) from None
        raise error(1013 if letter.as_sender else 1001) from None
    await _purge_unshared_attachments(dialect.runtime, letter)
    return JSONResponse(str(letter.shipment.id))


async def _purge_unshared_attachments(runtime: Runtime, letter: Letter) -> None:
    """As the real service: a purged correspondence's attachments that no other one uses are purged."""
    for attachment_id in letter.record.attachment_ids:
        try:
            await purge_attachment(letter.shipment.sender_id, uuid.UUID(attachment_id), runtime)
        except (Conflict, NotFound):  # still used by another correspondence, or purged already
            continue


async def content(dialect: AltinnDialect, request: Request) -> Response:
    """H1: the body as Markdown text; the first call also marks the correspondence Read."""
    _, letter = await _letter(dialect, request, Policy.RECIPIENT)
    role = _recipient(letter)
    letter = await _fetched(dialect.runtime, letter)
    if not any(e.status is CorrespondenceStatus.Read for e in history_of(letter)):
        try:
            await mark_read(dialect.runtime, role, letter.shipment.id)
        except Conflict as exc:
            if exc.code is not ConflictCode.ALREADY_DONE:  # a concurrent first read came first
                raise error(1001) from None
    return PlainTextResponse(_named(await _body(dialect.runtime, letter), letter))


async def download(dialect: AltinnDialect, request: Request) -> Response:
    """C9: the recipient downloads one attachment, byte for byte; noted AttachmentsDownloaded."""
    _, letter = await _letter(dialect, request, Policy.RECIPIENT)
    role = _recipient(letter)
    attachment_id = path_guid(request, "attachmentId")
    document = next((d for d in letter.shipment.documents if d.attachment_id == attachment_id), None)
    if document is None:
        raise error(2001)
    _require_available(history_of(letter))
    attachments = {a.id: a for a in await _attachments(dialect.runtime, letter)}
    attachment = attachments.get(attachment_id)
    try:
        await download_document(dialect.runtime, role, letter.shipment.id, document.id)
    except Conflict as exc:
        if attachment is not None and attachment.status is AttachmentStatus.PURGED:
            raise error(2019) from None
        if exc.field == "document":
            raise error(2020) from None
        raise error(1001) from None
    data = await dialect.runtime.blobs.get(document.sha256)
    name = attachment.file_name if attachment else (document.title or "attachment")
    disposition = "inline" if document.file_type in _INLINE else "attachment"
    headers = {"content-disposition": f'{disposition}; filename="{_quoted(name)}"'}
    return Response(
        data,
        media_type=data_type(name) if disposition == "inline" else "application/octet-stream",
        headers=headers,
    )


def _quoted(name: str) -> str:
    return name.replace("\\", "_").replace('"', "_")

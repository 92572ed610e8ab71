"""C10: every attachment of a correspondence in one zip, streamed entry by entry (stored, not
compressed, as the real service writes it). The recipient's call, with C9's rules for each
attachment (purged 2019, expired 2020), at most 25 MB in all (2023); each attachment is noted
downloaded (``AttachmentsDownloaded``) before the stream starts. Behind the real service's
``EnableDownloadAll`` flag (``POSTBUD_ALTINN_DOWNLOAD_ALL``, on by default): off, a 404 problem."""

from __future__ import annotations

import zipfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import IO, Final, cast

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from postbud.dialects.altinn.access import Letter, load_letter
from postbud.dialects.altinn.auth import Policy, authenticate
from postbud.dialects.altinn.context import AltinnApiSettings, AltinnDialect
from postbud.dialects.altinn.correspondence_http import history_of
from postbud.dialects.altinn.errors import error, trace_id
from postbud.dialects.altinn.http_in import path_guid
from postbud.dialects.altinn.statuses import AVAILABLE_FOR_RECIPIENT, current
from postbud.dialects.altinn.zip_names import entry_names, zip_name
from postbud.domain.attachments import Attachment, AttachmentStatus
from postbud.domain.documents import Document
from postbud.domain.errors import Conflict
from postbud.domain.letter_actions import AsRecipient
from postbud.http.problem_details import ProblemDetails
from postbud.services.recipient_actions.download import download_document
from postbud.services.runtime import Runtime

MAX_ZIP_BYTES: Final = 25_000_000
"""The real service's limit when C10 came (``25_000_000 // 25 MB``), which its error 2023 names."""
DISABLED = "Download all attachments is not available in this environment."


@dataclass(frozen=True, slots=True)
class _Entry:
    document: Document
    attachment: Attachment
    name: str


class _Sink:
    """A write-only, unseekable file for ``zipfile``: what it writes is taken out after each entry."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


async def _entries(runtime: Runtime, letter: Letter) -> list[_Entry]:
    documents = [d for d in letter.shipment.documents if d.attachment_id is not None]
    if not documents:
        raise error(2001)
    if current(history_of(letter)).status not in AVAILABLE_FOR_RECIPIENT:
        raise error(1001)
    async with runtime.reader() as uow:
        found = await uow.attachments.many([d.attachment_id for d in documents if d.attachment_id])
    now = runtime.clock.now()
    pairs: list[tuple[Document, Attachment]] = []
    for document in sorted(documents, key=lambda d: d.position):
        attachment = found.get(document.attachment_id) if document.attachment_id else None
        if attachment is None or attachment.status is AttachmentStatus.PURGED:
            raise error(2019)
        if attachment.status is AttachmentStatus.EXPIRED or attachment.expired_at(now):
            raise error(2020)
        pairs.append((document, attachment))
    if sum(d.size for d, _ in pairs) > MAX_ZIP_BYTES:
        raise error(2023)
    names = entry_names([a.file_name for _, a in pairs])
    return [_Entry(d, a, n) for (d, a), n in zip(pairs, names, strict=True)]


async def _zip(runtime: Runtime, entries: Sequence[_Entry]) -> AsyncIterator[bytes]:
    sink = _Sink()
    archive = zipfile.ZipFile(cast(IO[bytes], sink), "w", zipfile.ZIP_STORED)
    for entry in entries:
        info = zipfile.ZipInfo(entry.name, date_time=entry.attachment.created_at.utctimetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED
        archive.writestr(info, await runtime.blobs.get(entry.document.sha256))
        yield sink.take()
    archive.close()
    yield sink.take()


def _disabled() -> Response:
    return ProblemDetails(
        404,
        "Not Found",
        "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        DISABLED,
        extensions={"traceId": trace_id()},
    ).response()


async def download_all(dialect: AltinnDialect, request: Request) -> Response:
    if not AltinnApiSettings().download_all:
        return _disabled()
    caller = await authenticate(request, dialect.runtime, Policy.RECIPIENT)
    letter = await load_letter(dialect.runtime, caller, path_guid(request, "correspondenceId"))
    if not isinstance(letter.role, AsRecipient):
        raise error(4001)
    entries = await _entries(dialect.runtime, letter)
    for entry in entries:
        try:
            await download_document(dialect.runtime, letter.role, letter.shipment.id, entry.document.id)
        except Conflict:
            raise error(2020) from None
    name = zip_name(letter.record.title)
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(_zip(dialect.runtime, entries), media_type="application/zip", headers=headers)

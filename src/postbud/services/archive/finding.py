"""Use cases: a sender's archives, a page of one, a document by uuid or reference, its content."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from postbud.domain.archives import PAGE_SIZE, Archive, ArchivedDocument, DocumentFilter
from postbud.domain.errors import NotFound
from postbud.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class ArchivePage:
    archive: Archive
    documents: list[ArchivedDocument]
    next_after: tuple[datetime, uuid.UUID] | None
    """Where the next page starts; None when this is the last."""


async def sender_archives(runtime: Runtime, sender_id: uuid.UUID) -> list[Archive]:
    async with runtime.reader() as uow:
        return await uow.archives.for_sender(sender_id)


async def archive_page(
    runtime: Runtime,
    sender_id: uuid.UUID,
    archive_id: uuid.UUID,
    match: DocumentFilter,
    *,
    after: tuple[datetime, uuid.UUID] | None = None,
    limit: int = PAGE_SIZE,
) -> ArchivePage:
    async with runtime.reader() as uow:
        archive = await uow.archives.get(archive_id)
        if archive is None or archive.sender_id != sender_id:
            raise NotFound("archive", archive_id)
        documents = await uow.archives.page(
            archive_id, match, after=after, limit=limit + 1, now=runtime.clock.now()
        )
    more = len(documents) > limit
    documents = documents[:limit]
    last = documents[-1] if more else None
    return ArchivePage(archive, documents, (last.archived_at, last.id) if last else None)


async def archived_document(
    runtime: Runtime, sender_id: uuid.UUID, external_id: str
) -> tuple[Archive, ArchivedDocument]:
    async with runtime.reader() as uow:
        document = await uow.archives.by_external_id(sender_id, external_id, now=runtime.clock.now())
        archive = await uow.archives.get(document.archive_id) if document else None
    if document is None or archive is None:
        raise NotFound("archive document", external_id)
    return archive, document


async def by_reference_id(
    runtime: Runtime, sender_id: uuid.UUID, reference_id: str
) -> list[tuple[Archive, list[ArchivedDocument]]]:
    """The documents with this reference id, grouped by the archive they are in."""
    async with runtime.reader() as uow:
        documents = await uow.archives.by_reference_id(sender_id, reference_id, now=runtime.clock.now())
        archives = {a.id: a for a in await uow.archives.for_sender(sender_id)}
    grouped: dict[uuid.UUID, list[ArchivedDocument]] = {}
    for document in documents:
        grouped.setdefault(document.archive_id, []).append(document)
    return [(archives[archive_id], docs) for archive_id, docs in grouped.items()]


async def archived_content(
    runtime: Runtime, sender_id: uuid.UUID, external_id: str
) -> tuple[ArchivedDocument, bytes]:
    _, document = await archived_document(runtime, sender_id, external_id)
    return document, await runtime.blobs.get(document.sha256)

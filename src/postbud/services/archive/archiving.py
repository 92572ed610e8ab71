"""Use case: archive documents for a sender, in its default archive or a named one.

The contents are stored (content-addressed, durably) before the rows; all documents of a request
are archived in one transaction or none. A uuid the sender used before is a Conflict.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from postbud.domain.archives import Archive, ArchivedDocument, NewArchiveDocument, check_new_documents
from postbud.domain.errors import Conflict, ConflictCode
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey
from postbud.storage.unit_of_work import SqlUnitOfWork

_UUID_TAKEN = "uq_archive_documents_sender_id_external_id"
_ARCHIVE_TAKEN = "uq_archives_sender_id_name_key"


@dataclass(frozen=True, slots=True)
class Archived:
    archive: Archive
    documents: list[ArchivedDocument]


async def _archive(uow: SqlUnitOfWork, sender_id: uuid.UUID, name: str | None, runtime: Runtime) -> Archive:
    found = await uow.archives.named(sender_id, name)
    if found is not None:
        return found
    archive = Archive(uuid.uuid4(), sender_id, name, runtime.clock.now())
    await uow.archives.add(archive)
    return archive


async def archive_documents(
    runtime: Runtime, sender_id: uuid.UUID, name: str | None, documents: Sequence[NewArchiveDocument]
) -> Archived:
    check_new_documents(name, documents)
    refs = await runtime.blobs.put_many([d.content for d in documents])
    for attempt in range(2):  # a concurrent first use of the same archive name creates it once
        try:
            return await _store(runtime, sender_id, name, documents, [(r.sha256, r.size) for r in refs])
        except DuplicateKey as exc:
            if exc.constraint == _UUID_TAKEN:
                raise Conflict(
                    "archive/documents/uuid",
                    "a document with this uuid is archived already",
                    ConflictCode.DUPLICATE_DOCUMENT,
                ) from None
            if exc.constraint != _ARCHIVE_TAKEN or attempt:
                raise
    raise AssertionError("unreachable")


async def _store(
    runtime: Runtime,
    sender_id: uuid.UUID,
    name: str | None,
    documents: Sequence[NewArchiveDocument],
    contents: Sequence[tuple[str, int]],
) -> Archived:
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        archive = await _archive(uow, sender_id, name, runtime)
        stored = [
            ArchivedDocument(
                uuid.uuid4(),
                archive.id,
                sender_id,
                d.external_id,
                d.file_name,
                d.file_type,
                d.reference_id,
                d.content_type,
                sha256,
                size,
                d.attributes,
                now,
                d.deletion_at,
            )
            for d, (sha256, size) in zip(documents, contents, strict=True)
        ]
        await uow.archives.add_documents(stored)
    return Archived(archive, stored)

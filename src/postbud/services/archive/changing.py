"""Use cases: change an archived document's metadata, give it another uuid, delete it.

Deleting drops the document's reference to its content; the content itself goes when nothing else
refers to it (``blob_release``).
"""

from __future__ import annotations

import uuid

from postbud.domain.archives import ArchivedDocument, DocumentChange, change_errors
from postbud.domain.errors import Conflict, ConflictCode, NotFound, ValidationFailed
from postbud.services.letters.blob_release import release_blobs
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey

_UUID_TAKEN = "uq_archive_documents_sender_id_external_id"


async def update_document(
    runtime: Runtime, sender_id: uuid.UUID, external_id: str, change: DocumentChange
) -> ArchivedDocument:
    errors = change_errors(change, "archive-document")
    if errors:
        raise ValidationFailed(errors)
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        document = await uow.archives.by_external_id(sender_id, external_id, now=now)
        if document is None:
            raise NotFound("archive document", external_id)
        await uow.archives.update(document.id, change)
        updated = await uow.archives.by_external_id(sender_id, external_id, now=now)
    assert updated is not None
    return updated


async def add_unique_uuid(
    runtime: Runtime, sender_id: uuid.UUID, external_id: str, new_external_id: str
) -> ArchivedDocument:
    """The same content, archive, reference and attributes under another uuid of the sender's."""
    now = runtime.clock.now()
    try:
        async with runtime.unit_of_work() as uow:
            document = await uow.archives.by_external_id(sender_id, external_id, now=now)
            if document is None:
                raise NotFound("archive document", external_id)
            copy = ArchivedDocument(
                uuid.uuid4(),
                document.archive_id,
                sender_id,
                new_external_id,
                document.file_name,
                document.file_type,
                document.reference_id,
                document.content_type,
                document.sha256,
                document.size,
                document.attributes,
                now,
                document.deletion_at,
            )
            await uow.archives.add_documents([copy])
    except DuplicateKey as exc:
        if exc.constraint != _UUID_TAKEN:
            raise
        raise Conflict(
            "archive-document/uuid",
            "a document with this uuid is archived already",
            ConflictCode.DUPLICATE_DOCUMENT,
        ) from None
    return copy


async def delete_document(runtime: Runtime, sender_id: uuid.UUID, external_id: str) -> None:
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        document = await uow.archives.by_external_id(sender_id, external_id, now=now)
        if document is None:
            raise NotFound("archive document", external_id)
        await uow.archives.delete(document.id)
        await release_blobs(uow, [document.sha256], now=now)
    runtime.jobs_available()

"""The two SEND repositories on a unit of work, until the unit of work builds them itself."""

from __future__ import annotations

from postbud.storage.repos.attachments import AttachmentRepository
from postbud.storage.repos.documents import DocumentRepository
from postbud.storage.unit_of_work import SqlUnitOfWork


def attachments_of(uow: SqlUnitOfWork) -> AttachmentRepository:
    return AttachmentRepository(uow.conn)


def documents_of_letters(uow: SqlUnitOfWork) -> DocumentRepository:
    return DocumentRepository(uow.conn)

"""Kept for callers written before the unit of work built these two: use ``uow.attachments`` and
``uow.documents`` instead."""

from __future__ import annotations

from postbud.storage.repos.attachments import AttachmentRepository
from postbud.storage.repos.documents import DocumentRepository
from postbud.storage.unit_of_work import SqlUnitOfWork


def attachments_of(uow: SqlUnitOfWork) -> AttachmentRepository:
    return uow.attachments


def documents_of_letters(uow: SqlUnitOfWork) -> DocumentRepository:
    return uow.documents

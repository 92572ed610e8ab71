"""A sender's own document archive (Digipost's archive API): named archives of stored documents.

Documents are the sender's, kept for the sender: nobody receives them. Each has the sender's uuid
(unique for the sender), optionally a reference id and up to 15 attributes the sender searches by,
and may name the time it is to be deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed

MAX_DOCUMENTS_PER_REQUEST = 201
MAX_FILE_NAME = 255
MAX_REFERENCE_ID = 255
MAX_ARCHIVE_NAME = 255
MAX_ATTRIBUTES = 15
MAX_ATTRIBUTE_KEY = 20
MAX_ATTRIBUTE_VALUE = 100
MAX_FILE_TYPE = 30
PAGE_SIZE = 100
"""Documents per page of an archive, as Digipost pages them."""

Attributes = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Archive:
    id: uuid.UUID
    sender_id: uuid.UUID
    name: str | None
    """None is the sender's default archive."""
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ArchivedDocument:
    id: uuid.UUID
    archive_id: uuid.UUID
    sender_id: uuid.UUID
    external_id: str
    """The sender's uuid for it."""
    file_name: str | None
    file_type: str
    reference_id: str | None
    content_type: str
    sha256: str
    size: int
    attributes: Attributes
    archived_at: datetime
    deletion_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewArchiveDocument:
    external_id: str
    file_type: str
    content: bytes
    content_type: str = "application/octet-stream"
    file_name: str | None = None
    reference_id: str | None = None
    attributes: Attributes = ()
    deletion_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """What an update may change: everything but the uuid and the content."""

    file_name: str | None
    file_type: str
    reference_id: str | None
    content_type: str
    attributes: Attributes
    deletion_at: datetime | None


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """Every attribute must match exactly (a document has each key once); the archived time is in
    [archived_from, archived_to)."""

    attributes: Attributes = ()
    archived_from: datetime | None = None
    archived_to: datetime | None = None


def _too_long(errors: list[FieldError], field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        errors.append(FieldError(field, f"at most {limit} characters", RuleCode.TOO_LONG))


def attribute_errors(attributes: Attributes, field: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if len(attributes) > MAX_ATTRIBUTES:
        errors.append(FieldError(field, f"at most {MAX_ATTRIBUTES} attributes", RuleCode.TOO_MANY))
    keys = [key for key, _ in attributes]
    if len(set(keys)) != len(keys):
        errors.append(FieldError(field, "each attribute key at most once", RuleCode.NOT_UNIQUE))
    for index, (key, value) in enumerate(attributes):
        if not key:
            errors.append(FieldError(f"{field}[{index}]/key", "must not be empty", RuleCode.EMPTY))
        _too_long(errors, f"{field}[{index}]/key", key, MAX_ATTRIBUTE_KEY)
        _too_long(errors, f"{field}[{index}]/value", value, MAX_ATTRIBUTE_VALUE)
    return errors


def change_errors(change: DocumentChange, field: str) -> list[FieldError]:
    errors: list[FieldError] = []
    _too_long(errors, f"{field}/file-name", change.file_name, MAX_FILE_NAME)
    _too_long(errors, f"{field}/referenceid", change.reference_id, MAX_REFERENCE_ID)
    _too_long(errors, f"{field}/file-type", change.file_type, MAX_FILE_TYPE)
    if not change.file_type:
        errors.append(FieldError(f"{field}/file-type", "must not be empty", RuleCode.EMPTY))
    errors += attribute_errors(change.attributes, f"{field}/attributes")
    return errors


def check_new_documents(name: str | None, documents: Sequence[NewArchiveDocument]) -> None:
    """Raise ValidationFailed naming every broken rule of an archiving request."""
    errors: list[FieldError] = []
    _too_long(errors, "archive/name", name, MAX_ARCHIVE_NAME)
    if not documents:
        errors.append(FieldError("archive/documents", "at least one document", RuleCode.TOO_FEW))
    if len(documents) > MAX_DOCUMENTS_PER_REQUEST:
        errors.append(
            FieldError("archive/documents", f"at most {MAX_DOCUMENTS_PER_REQUEST}", RuleCode.TOO_MANY)
        )
    ids = [d.external_id for d in documents]
    if len(set(ids)) != len(ids):
        errors.append(FieldError("archive/documents/uuid", "each uuid at most once", RuleCode.NOT_UNIQUE))
    for index, document in enumerate(documents):
        change = DocumentChange(
            document.file_name,
            document.file_type,
            document.reference_id,
            document.content_type,
            document.attributes,
            document.deletion_at,
        )
        errors += change_errors(change, f"archive/documents[{index}]")
    if errors:
        raise ValidationFailed(errors)

"""Documents: the files a letter carries, referenced by content hash."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class AuthenticationLevel(StrEnum):
    """How strongly the recipient must have logged in to open a document."""

    PASSWORD = "password"
    TWO_FACTOR = "two_factor"
    IDPORTEN_3 = "idporten_3"
    IDPORTEN_4 = "idporten_4"

    @property
    def rank(self) -> int:
        return list(AuthenticationLevel).index(self)


class DocumentIdScope(StrEnum):
    """Where a document's ``external_id`` must be unique."""

    SENDER = "sender"
    """Across every letter of the sender (Digipost's document ids)."""
    LETTER = "letter"
    """Only within its letter, so that one attachment can be in many letters under one id."""


class Sensitivity(StrEnum):
    NORMAL = "normal"
    SENSITIVE = "sensitive"


@dataclass(frozen=True, slots=True)
class Document:
    id: uuid.UUID
    position: int
    """0 is the primary document; attachments follow in the sender's order."""
    external_id: str | None
    title: str | None
    file_type: str
    mime: str
    sha256: str
    size: int
    pages: int | None = None
    authentication: AuthenticationLevel = AuthenticationLevel.PASSWORD
    sensitivity: Sensitivity = Sensitivity.NORMAL
    datatype: dict[str, Any] | None = None
    """A structured payload (invoice, appointment, …) in its JSON form: ``{"kind": ..., ...}``."""
    opening_receipt: bool = False
    id_scope: DocumentIdScope = DocumentIdScope.SENDER
    attachment_id: uuid.UUID | None = None
    """The stand-alone attachment this document is (its blob is the attachment's)."""

    @property
    def is_primary(self) -> bool:
        return self.position == 0

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf" or self.file_type.lower() == "pdf"

"""The sender's archive (§12.2): archives, archived documents and where to read their content."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from .links import Link, Relation, find_link

__all__ = ["Archive", "ArchiveDocument", "ArchiveDocumentContent"]


@dataclass(frozen=True, slots=True)
class ArchiveDocument:
    """A document to archive, or one archived (then ``content_hash``, ``archived_time`` and
    ``links`` are the server's). At most 15 attributes, keys ≤ 20 and values ≤ 100 characters."""

    file_type: str
    file_name: str | None = None
    content_type: str = "application/octet-stream"
    reference_id: str | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    deletion_time: datetime | None = None
    uuid: UUID = field(default_factory=uuid4)
    content_hash: str | None = None
    archived_time: datetime | None = None
    links: tuple[Link, ...] = ()

    def link(self, relation: Relation) -> Link | None:
        return find_link(self.links, relation)


@dataclass(frozen=True, slots=True)
class Archive:
    """An archive (``name`` None: the sender's default one), with a page of its documents."""

    name: str | None
    sender_id: int | None = None
    documents: tuple[ArchiveDocument, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def next_documents_link(self) -> Link | None:
        """The (next) page of this archive's documents; None on the last page."""
        return find_link(self.links, Relation.NEXT_DOCUMENTS)


@dataclass(frozen=True, slots=True)
class ArchiveDocumentContent:
    """Where to view an archived document, and its media type."""

    content_type: str
    uri: str

"""Document sharing ("Digipost Control", §11): the request state and the shared documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias

from .links import Link, Relation, find_link

__all__ = [
    "OrganisationOrigin",
    "PrivatePersonOrigin",
    "ShareDocumentsRequestState",
    "SharedDocument",
    "SharedDocumentContent",
    "SharedDocumentOrigin",
]


@dataclass(frozen=True, slots=True)
class OrganisationOrigin:
    """The user received the document from this organisation through Digipost."""

    organisation_number: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class PrivatePersonOrigin:
    """From another user, or uploaded by the user."""

    name: str | None = None


SharedDocumentOrigin: TypeAlias = OrganisationOrigin | PrivatePersonOrigin


@dataclass(frozen=True, slots=True)
class SharedDocument:
    delivery_time: datetime
    subject: str
    file_type: str
    file_size_bytes: int
    origin: SharedDocumentOrigin
    links: tuple[Link, ...] = ()

    @property
    def content_link(self) -> Link | None:
        return find_link(self.links, Relation.GET_SHARED_DOCUMENT_CONTENT)

    @property
    def content_stream_link(self) -> Link | None:
        return find_link(self.links, Relation.GET_SHARED_DOCUMENT_CONTENT_STREAM)


@dataclass(frozen=True, slots=True)
class ShareDocumentsRequestState:
    """Empty ``shared_documents`` until the user shares; ``stop_sharing_link`` while sharing is active."""

    shared_documents: tuple[SharedDocument, ...]
    shared_at_time: datetime | None = None
    expiry_time: datetime | None = None
    withdrawn_time: datetime | None = None
    links: tuple[Link, ...] = ()

    @property
    def stop_sharing_link(self) -> Link | None:
        return find_link(self.links, Relation.STOP_SHARING)


@dataclass(frozen=True, slots=True)
class SharedDocumentContent:
    """Where to view a shared document (a short-lived URI) and its media type."""

    content_type: str
    uri: str

"""Hypermedia links and the relation names the API uses (Java's ``Relation`` enum, §3.2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Entrypoint", "Link", "Relation", "find_link"]


class Relation(StrEnum):
    SELF = "self"
    SELF_UPDATE = "self_update"
    SELF_DELETE = "self_delete"
    ADD_CONTENT = "add_content"
    SEND = "send"
    SEARCH = "search"
    AUTOCOMPLETE = "autocomplete"
    CREATE_MESSAGE = "create_message"
    API_DOCUMENTATION = "api_documentation"
    GET_ENCRYPTION_KEY = "get_encryption_key"
    GET_PRINT_ENCRYPTION_CERTIFICATE = "get_print_encryption_certificate"
    IDENTIFY_RECIPIENT = "identify_recipient"
    IDENTIFY_RECIPIENT_WITH_ENCRYPTION_KEY = "identify_recipient_with_encryption_key"
    DOCUMENT_EVENTS = "document_events"
    DOCUMENT_STATUS = "document_status"
    GET_DOCUMENT_CONTENT = "get_document_content"
    GET_SENDER_INFORMATION = "get_sender_information"
    DUPLICATE_DOCUMENT = "duplicate_document"
    GET_INBOX = "get_inbox"
    ADD_DATA = "add_data"
    ARCHIVE_DOCUMENTS = "archive_documents"
    GET_ARCHIVES = "get_archives"
    NEXT_DOCUMENTS = "next_documents"
    GET_ARCHIVE_DOCUMENTS_BY_REFERENCEID = "get_archive_documents_by_referenceid"
    GET_ARCHIVE_DOCUMENT_BY_UUID = "get_archive_document_by_uuid"
    GET_ARCHIVE_DOCUMENT_CONTENT = "get_archive_document_content"
    GET_ARCHIVE_DOCUMENT_CONTENT_STREAM = "get_archive_document_content_stream"
    ADD_UNIQUE_UUID = "add_unique_uuid"
    CREATE_BATCH = "create_batch"
    GET_BATCH = "get_batch"
    COMPLETE_BATCH = "complete_batch"
    CREATE_OR_ACTIVATE_USER_ACCOUNT = "create_or_activate_user_account"
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    GET_TAGS = "get_tags"
    GET_SHARE_DOCUMENTS_REQUEST_STATE = "get_share_documents_request_state"
    GET_SHARED_DOCUMENT_CONTENT = "get_shared_document_content"
    GET_SHARED_DOCUMENT_CONTENT_STREAM = "get_shared_document_content_stream"
    STOP_SHARING = "stop_sharing"


@dataclass(frozen=True, slots=True)
class Link:
    """``<link rel="…/relations/create_message" uri="…" media-type="…"/>``."""

    rel: str
    uri: str
    media_type: str | None = None

    @property
    def relation(self) -> str:
        """The relation name: the last path segment of ``rel``, lower-cased (as the clients read it)."""
        return self.rel.rstrip("/").rsplit("/", 1)[-1].lower()


def find_link(links: Iterable[Link], relation: str) -> Link | None:
    wanted = str(relation).lower()
    return next((link for link in links if link.relation == wanted), None)


@dataclass(frozen=True, slots=True)
class Entrypoint:
    """The root (``GET /``) or a sender-scoped (``GET /{senderId}``) resource: certificate and links."""

    certificate_pem: str | None
    links: tuple[Link, ...]

    def link(self, relation: str) -> Link | None:
        return find_link(self.links, relation)

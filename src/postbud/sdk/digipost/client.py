"""`DigipostClient` (blocking) and `AsyncDigipostClient` (asyncio): the same API, operation by operation.

All protocol work lives in :mod:`operations`, :mod:`transport` and :mod:`session`; the two classes only
read document content and move requests, so they cannot drift apart.
"""

from __future__ import annotations

import asyncio
import uuid as uuid_module
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar
from uuid import UUID

import httpx2

from postbud.domain.datatypes import DataType

from . import archive_calls as arch
from . import encryption_calls as enc
from . import inbox_calls as inb
from . import operations as ops
from . import search as srch
from .archive import Archive, ArchiveDocument, ArchiveDocumentContent
from .batch import Batch
from .config import DigipostConfig
from .delivery import DeliveredDocument, MessageDelivery
from .errors import InvalidRequestError
from .events import DocumentEvents
from .identification import IdentificationResult
from .inbox import InboxDocument, TagType, UserAccount
from .links import Entrypoint, Link
from .message import Document, Message, SenderOrganization
from .operations import Call, ContentSource
from .print_details import PrintDetails
from .recipients import (
    BankAccountNumber,
    DigipostAddress,
    IdentificationTarget,
    NameAndAddress,
    OrganisationNumber,
    PersonalIdentificationNumber,
)
from .search import FoundRecipient, Suggestion
from .sender_information import SenderInformation
from .session import Session
from .sharing import SharedDocument, SharedDocumentContent, ShareDocumentsRequestState
from .status import DocumentStatus
from .transport import AsyncTransport, SyncTransport

__all__ = ["AsyncDigipostClient", "DigipostClient"]

T = TypeVar("T")
IdentificationTargets = (
    PersonalIdentificationNumber,
    OrganisationNumber,
    DigipostAddress,
    NameAndAddress,
    BankAccountNumber,
)
"""The recipients identification (and so an encryption key) can be asked for."""
D = TypeVar("D", Document, ArchiveDocument)
Contents = Mapping[UUID | str, ContentSource]


def _read_source(source: ContentSource) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _with_fallback(message: Message, print_details: PrintDetails) -> Message:
    if message.recipient is None:
        raise InvalidRequestError("MISSING_RECIPIENT", ["print fallback needs a recipient to try first"])
    return replace(message, print_details=print_details)


class DigipostClient:
    """Blocking client. Use as a context manager, or call :meth:`close` when done."""

    def __init__(self, config: DigipostConfig, *, transport: httpx2.BaseTransport | None = None) -> None:
        self.config = config
        self._session = Session(config)
        self._http = SyncTransport(config, transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _run(self, call: Call[T]) -> T:
        self.entrypoint()  # the server certificate comes from the root entrypoint
        return call.read(self._http.send(call.request, self._session.verification()))

    def entrypoint(self, sender_id: int | None = None) -> Entrypoint:
        """The root entrypoint, or a sender's; cached for ``config.entrypoint_cache_ttl``."""
        cached = self._session.cached(sender_id)
        if cached is not None:
            return cached
        if sender_id is not None and self._session.server_key is None:
            self.entrypoint()
        call = ops.entrypoint(self.config, sender_id)
        verification = self._session.verification(root_entrypoint=sender_id is None)
        found = call.read(self._http.send(call.request, verification))
        self._session.remember(sender_id, found)
        return found

    # -------------------------------------------------------------------------------- sending

    def send(self, message: Message, contents: Contents) -> MessageDelivery:
        """Send ``message`` with each document's content (bytes or a file path) keyed by document uuid.

        Documents marked ``encrypted`` are pre-encrypted first: for the recipient's key when it is a
        Digipost user, else for the print certificate when the message may go to print."""
        documents = [(doc, _read_source(src)) for doc, src in ops.match_contents(message, contents)]
        if any(doc.encrypted for doc in message.documents):
            documents = self._encrypted(message, documents)
        return self._run(ops.send(self.config, self.entrypoint(), message, documents))

    def _encrypted(
        self, message: Message, documents: list[tuple[Document, bytes]]
    ) -> list[tuple[Document, bytes]]:
        key = None
        if message.recipient is not None and isinstance(message.recipient, IdentificationTargets):
            key = self._run(enc.identify_with_encryption_key(self.entrypoint(), message.recipient))
        certificate = None
        if key is None and message.print_details is not None:
            certificate = self._run(enc.print_encryption_certificate(self.entrypoint()))
        return enc.encrypt_documents(message, documents, key, certificate)

    def send_with_print_fallback(
        self, message: Message, print_details: PrintDetails, contents: Contents
    ) -> MessageDelivery:
        """Digital delivery if the recipient has Digipost, printed and posted otherwise."""
        return self.send(_with_fallback(message, print_details), contents)

    def identify(
        self, recipient: IdentificationTarget, *, include_person_alias: bool = False
    ) -> IdentificationResult:
        return self._run(
            ops.identify(self.entrypoint(), recipient, include_person_alias=include_person_alias)
        )

    # -------------------------------------------------------------------------------- status and events

    def document_status(self, document: UUID | str | Link, *, sender_id: int | None = None) -> DocumentStatus:
        return self._run(
            ops.document_status(self.config, document, sender_id or self.config.effective_sender_id)
        )

    def document_events(
        self,
        start: datetime,
        end: datetime,
        *,
        offset: int = 0,
        max_results: int = 100,
        sender_id: int | None = None,
    ) -> DocumentEvents:
        """Events created in [start, end]; page with ``offset`` until a page is short."""
        return self._run(
            ops.document_events(
                self.entrypoint(), start, end, offset=offset, max_results=max_results, sender_id=sender_id
            )
        )

    # -------------------------------------------------------------------------------- sharing

    def share_documents_request_state(
        self, request_uuid: UUID | str, *, sender_id: int | None = None
    ) -> ShareDocumentsRequestState:
        sender_root = self.entrypoint(sender_id or self.config.effective_sender_id)
        return self._run(ops.share_documents_request_state(sender_root, request_uuid))

    def shared_document_content(self, document: SharedDocument | Link) -> SharedDocumentContent:
        """Where to view a shared document (content type and a short-lived URI)."""
        return self._run(ops.shared_document_content(document))

    def fetch_shared_document(self, document: SharedDocument | Link) -> bytes:
        """The shared document's bytes."""
        return self._run(ops.shared_document_stream(document))

    def stop_sharing(self, state: ShareDocumentsRequestState | Link, *, sender_id: int | None = None) -> None:
        self._run(ops.stop_sharing(state, sender_id or self.config.effective_sender_id))

    # -------------------------------------------------------------------------------- additional data

    def add_additional_data(
        self,
        document: DeliveredDocument | Link,
        datatype: DataType,
        *,
        sender_id: int | None = None,
        sender_organization: SenderOrganization | None = None,
    ) -> None:
        """Add a follow-up datatype (e.g. ``InvoicePayment``) to a sent document (its ``add_data`` link)."""
        self._run(
            ops.add_data(document, datatype, sender_id=sender_id, sender_organization=sender_organization)
        )

    # -------------------------------------------------------------------------------- batches

    def create_batch(self, batch_uuid: UUID | None = None) -> Batch:
        return self._run(ops.create_batch(self.entrypoint(), batch_uuid or uuid_module.uuid4()))

    def get_batch(self, batch_uuid: UUID | str) -> Batch:
        return self._run(ops.get_batch(self.entrypoint(), batch_uuid))

    def complete_batch(self, batch: Batch) -> Batch:
        completed = self._run(ops.complete_batch(batch))
        return completed if completed is not None else self.get_batch(batch.uuid)

    def cancel_batch(self, batch: Batch) -> None:
        self._run(ops.cancel_batch(batch))

    # -------------------------------------------------------------------------------- sender information

    def sender_information(self, sender_id: int | None = None) -> SenderInformation:
        return self._run(
            ops.sender_information(self.entrypoint(), sender_id or self.config.effective_sender_id)
        )

    # -------------------------------------------------------------------------------- search

    def search(self, query: str) -> list[FoundRecipient]:
        """At most 10 people or organisations with a published mailbox matching every word."""
        return self._run(srch.search(self.entrypoint(), query))

    def autocomplete(self, query: str) -> list[Suggestion]:
        return self._run(srch.autocomplete(self.entrypoint(), query))

    def recipient(self, found: FoundRecipient) -> FoundRecipient:
        """A search hit read again through its ``self`` link."""
        return self._run(srch.recipient(found))

    # -------------------------------------------------------------------------------- archive

    def archive(
        self, documents: Sequence[ArchiveDocument], contents: Contents, *, archive_name: str | None = None
    ) -> Archive:
        """Archive ``documents`` (content keyed by document uuid) in the default or a named archive."""
        pairs = [(d, _read_source(src)) for d, src in arch.match_archive_contents(documents, contents)]
        return self._run(arch.archive_documents(self.entrypoint(), archive_name, pairs))

    def archives(self, *, sender_id: int | None = None) -> list[Archive]:
        """The sender's archives; follow each one's ``next_documents_link`` with :meth:`archive_page`."""
        return self._run(arch.archives(self.entrypoint(sender_id or self.config.effective_sender_id)))

    def archive_page(
        self,
        page: Archive | Link,
        *,
        attributes: Mapping[str, str] | None = None,
        archived_from: datetime | None = None,
        archived_to: datetime | None = None,
    ) -> Archive:
        """Up to 100 documents; the answer's ``next_documents_link`` (if any) is the next page."""
        return self._run(
            arch.archive_page(
                page, attributes=attributes, archived_from=archived_from, archived_to=archived_to
            )
        )

    def archive_document_by_uuid(self, document_uuid: UUID | str, *, sender_id: int | None = None) -> Archive:
        root = self.entrypoint(sender_id or self.config.effective_sender_id)
        return self._run(arch.archive_document_by_uuid(root, document_uuid))

    def archive_documents_by_reference_id(
        self, reference_id: str, *, sender_id: int | None = None
    ) -> list[Archive]:
        root = self.entrypoint(sender_id or self.config.effective_sender_id)
        return self._run(arch.archive_documents_by_reference_id(root, reference_id))

    def update_archive_document(self, document: ArchiveDocument) -> ArchiveDocument:
        """Replace an archived document's metadata (``document`` as read, with its links, changed)."""
        return self._run(arch.update_archive_document(document))

    def delete_archive_document(self, document: ArchiveDocument) -> None:
        self._run(arch.delete_archive_document(document))

    def add_unique_uuid(self, document: ArchiveDocument, new_uuid: UUID) -> Archive:
        return self._run(arch.add_unique_uuid(document, new_uuid))

    def archive_document_content(self, document: ArchiveDocument) -> ArchiveDocumentContent:
        return self._run(arch.archive_document_content(document))

    def fetch_archive_document(self, document: ArchiveDocument) -> bytes:
        return self._run(arch.fetch_archive_document(document))

    # -------------------------------------------------------------------------------- inbox, tags, accounts

    def inbox(
        self, *, offset: int = 0, limit: int = 100, sender_id: int | None = None
    ) -> list[InboxDocument]:
        """The organisation's received documents, newest first (``limit`` at most 1000)."""
        root = self.entrypoint(sender_id or self.config.effective_sender_id)
        return self._run(inb.inbox(root, offset=offset, limit=limit))

    def fetch_inbox_document(self, document: InboxDocument) -> bytes:
        return self._run(inb.fetch_inbox_document(document))

    def delete_inbox_document(self, document: InboxDocument) -> None:
        self._run(inb.delete_inbox_document(document))

    def add_tag(self, personal_identification_number: str) -> None:
        """Tag the person with ``PUBLIC_MAILBOX_TAG``."""
        self._run(inb.add_tag(self.entrypoint(), personal_identification_number))

    def remove_tag(self, personal_identification_number: str) -> None:
        self._run(inb.remove_tag(self.entrypoint(), personal_identification_number))

    def tags(self, personal_identification_number: str) -> list[TagType]:
        return self._run(inb.tags(self.entrypoint(), personal_identification_number))

    def create_or_activate_user_account(
        self, national_identity_number: str, phone_number: str, email_address: str
    ) -> UserAccount:
        call = inb.create_or_activate_user_account(
            self.entrypoint(), national_identity_number, phone_number, email_address
        )
        return self._run(call)


async def _read_sources(pairs: Sequence[tuple[D, ContentSource]]) -> list[tuple[D, bytes]]:
    return [
        (doc, src if isinstance(src, bytes) else await asyncio.to_thread(Path(src).read_bytes))
        for doc, src in pairs
    ]


class AsyncDigipostClient:
    """The asyncio twin of :class:`DigipostClient`; every method is a coroutine."""

    def __init__(self, config: DigipostConfig, *, transport: httpx2.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self._session = Session(config)
        self._http = AsyncTransport(config, transport)
        self._entrypoint_lock = asyncio.Lock()  # concurrent first calls fetch the entrypoint once

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _run(self, call: Call[T]) -> T:
        await self.entrypoint()  # the server certificate comes from the root entrypoint
        return call.read(await self._http.send(call.request, self._session.verification()))

    async def entrypoint(self, sender_id: int | None = None) -> Entrypoint:
        cached = self._session.cached(sender_id)
        if cached is not None:
            return cached
        if sender_id is not None and self._session.server_key is None:
            await self.entrypoint()
        async with self._entrypoint_lock:
            cached = self._session.cached(sender_id)
            if cached is not None:
                return cached
            call = ops.entrypoint(self.config, sender_id)
            verification = self._session.verification(root_entrypoint=sender_id is None)
            found = call.read(await self._http.send(call.request, verification))
            self._session.remember(sender_id, found)
            return found

    async def send(self, message: Message, contents: Contents) -> MessageDelivery:
        documents = await _read_sources(ops.match_contents(message, contents))
        if any(doc.encrypted for doc in message.documents):
            key = None
            if message.recipient is not None and isinstance(message.recipient, IdentificationTargets):
                key = await self._run(
                    enc.identify_with_encryption_key(await self.entrypoint(), message.recipient)
                )
            certificate = None
            if key is None and message.print_details is not None:
                certificate = await self._run(enc.print_encryption_certificate(await self.entrypoint()))
            documents = enc.encrypt_documents(message, documents, key, certificate)
        return await self._run(ops.send(self.config, await self.entrypoint(), message, documents))

    async def send_with_print_fallback(
        self, message: Message, print_details: PrintDetails, contents: Contents
    ) -> MessageDelivery:
        return await self.send(_with_fallback(message, print_details), contents)

    async def identify(
        self, recipient: IdentificationTarget, *, include_person_alias: bool = False
    ) -> IdentificationResult:
        root = await self.entrypoint()
        return await self._run(ops.identify(root, recipient, include_person_alias=include_person_alias))

    async def document_status(
        self, document: UUID | str | Link, *, sender_id: int | None = None
    ) -> DocumentStatus:
        sender = sender_id or self.config.effective_sender_id
        return await self._run(ops.document_status(self.config, document, sender))

    async def document_events(
        self,
        start: datetime,
        end: datetime,
        *,
        offset: int = 0,
        max_results: int = 100,
        sender_id: int | None = None,
    ) -> DocumentEvents:
        root = await self.entrypoint()
        return await self._run(
            ops.document_events(root, start, end, offset=offset, max_results=max_results, sender_id=sender_id)
        )

    async def share_documents_request_state(
        self, request_uuid: UUID | str, *, sender_id: int | None = None
    ) -> ShareDocumentsRequestState:
        sender_root = await self.entrypoint(sender_id or self.config.effective_sender_id)
        return await self._run(ops.share_documents_request_state(sender_root, request_uuid))

    async def shared_document_content(self, document: SharedDocument | Link) -> SharedDocumentContent:
        return await self._run(ops.shared_document_content(document))

    async def fetch_shared_document(self, document: SharedDocument | Link) -> bytes:
        return await self._run(ops.shared_document_stream(document))

    async def stop_sharing(
        self, state: ShareDocumentsRequestState | Link, *, sender_id: int | None = None
    ) -> None:
        await self._run(ops.stop_sharing(state, sender_id or self.config.effective_sender_id))

    async def add_additional_data(
        self,
        document: DeliveredDocument | Link,
        datatype: DataType,
        *,
        sender_id: int | None = None,
        sender_organization: SenderOrganization | None = None,
    ) -> None:
        await self._run(
            ops.add_data(document, datatype, sender_id=sender_id, sender_organization=sender_organization)
        )

    async def create_batch(self, batch_uuid: UUID | None = None) -> Batch:
        return await self._run(ops.create_batch(await self.entrypoint(), batch_uuid or uuid_module.uuid4()))

    async def get_batch(self, batch_uuid: UUID | str) -> Batch:
        return await self._run(ops.get_batch(await self.entrypoint(), batch_uuid))

    async def complete_batch(self, batch: Batch) -> Batch:
        completed = await self._run(ops.complete_batch(batch))
        return completed if completed is not None else await self.get_batch(batch.uuid)

    async def cancel_batch(self, batch: Batch) -> None:
        await self._run(ops.cancel_batch(batch))

    async def sender_information(self, sender_id: int | None = None) -> SenderInformation:
        root = await self.entrypoint()
        return await self._run(ops.sender_information(root, sender_id or self.config.effective_sender_id))

    async def search(self, query: str) -> list[FoundRecipient]:
        return await self._run(srch.search(await self.entrypoint(), query))

    async def autocomplete(self, query: str) -> list[Suggestion]:
        return await self._run(srch.autocomplete(await self.entrypoint(), query))

    async def recipient(self, found: FoundRecipient) -> FoundRecipient:
        return await self._run(srch.recipient(found))

    async def archive(
        self, documents: Sequence[ArchiveDocument], contents: Contents, *, archive_name: str | None = None
    ) -> Archive:
        pairs = await _read_sources(arch.match_archive_contents(documents, contents))
        return await self._run(arch.archive_documents(await self.entrypoint(), archive_name, pairs))

    async def archives(self, *, sender_id: int | None = None) -> list[Archive]:
        root = await self.entrypoint(sender_id or self.config.effective_sender_id)
        return await self._run(arch.archives(root))

    async def archive_page(
        self,
        page: Archive | Link,
        *,
        attributes: Mapping[str, str] | None = None,
        archived_from: datetime | None = None,
        archived_to: datetime | None = None,
    ) -> Archive:
        return await self._run(
            arch.archive_page(
                page, attributes=attributes, archived_from=archived_from, archived_to=archived_to
            )
        )

    async def archive_document_by_uuid(
        self, document_uuid: UUID | str, *, sender_id: int | None = None
    ) -> Archive:
        root = await self.entrypoint(sender_id or self.config.effective_sender_id)
        return await self._run(arch.archive_document_by_uuid(root, document_uuid))

    async def archive_documents_by_reference_id(
        self, reference_id: str, *, sender_id: int | None = None
    ) -> list[Archive]:
        root = await self.entrypoint(sender_id or self.config.effective_sender_id)
        return await self._run(arch.archive_documents_by_reference_id(root, reference_id))

    async def update_archive_document(self, document: ArchiveDocument) -> ArchiveDocument:
        return await self._run(arch.update_archive_document(document))

    async def delete_archive_document(self, document: ArchiveDocument) -> None:
        await self._run(arch.delete_archive_document(document))

    async def add_unique_uuid(self, document: ArchiveDocument, new_uuid: UUID) -> Archive:
        return await self._run(arch.add_unique_uuid(document, new_uuid))

    async def archive_document_content(self, document: ArchiveDocument) -> ArchiveDocumentContent:
        return await self._run(arch.archive_document_content(document))

    async def fetch_archive_document(self, document: ArchiveDocument) -> bytes:
        return await self._run(arch.fetch_archive_document(document))

    async def inbox(
        self, *, offset: int = 0, limit: int = 100, sender_id: int | None = None
    ) -> list[InboxDocument]:
        root = await self.entrypoint(sender_id or self.config.effective_sender_id)
        return await self._run(inb.inbox(root, offset=offset, limit=limit))

    async def fetch_inbox_document(self, document: InboxDocument) -> bytes:
        return await self._run(inb.fetch_inbox_document(document))

    async def delete_inbox_document(self, document: InboxDocument) -> None:
        await self._run(inb.delete_inbox_document(document))

    async def add_tag(self, personal_identification_number: str) -> None:
        await self._run(inb.add_tag(await self.entrypoint(), personal_identification_number))

    async def remove_tag(self, personal_identification_number: str) -> None:
        await self._run(inb.remove_tag(await self.entrypoint(), personal_identification_number))

    async def tags(self, personal_identification_number: str) -> list[TagType]:
        return await self._run(inb.tags(await self.entrypoint(), personal_identification_number))

    async def create_or_activate_user_account(
        self, national_identity_number: str, phone_number: str, email_address: str
    ) -> UserAccount:
        call = inb.create_or_activate_user_account(
            await self.entrypoint(), national_identity_number, phone_number, email_address
        )
        return await self._run(call)

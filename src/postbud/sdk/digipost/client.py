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

from . import operations as ops
from .batch import Batch
from .config import DigipostConfig
from .delivery import DeliveredDocument, MessageDelivery
from .errors import InvalidRequestError
from .events import DocumentEvents
from .identification import IdentificationResult
from .links import Entrypoint, Link
from .message import Document, Message, SenderOrganization
from .operations import Call, ContentSource
from .print_details import PrintDetails
from .recipients import IdentificationTarget
from .sender_information import SenderInformation
from .session import Session
from .sharing import SharedDocument, SharedDocumentContent, ShareDocumentsRequestState
from .status import DocumentStatus
from .transport import AsyncTransport, SyncTransport

__all__ = ["AsyncDigipostClient", "DigipostClient"]

T = TypeVar("T")
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
        """Send ``message`` with each document's content (bytes or a file path) keyed by document uuid."""
        documents = [(doc, _read_source(src)) for doc, src in ops.match_contents(message, contents)]
        return self._run(ops.send(self.config, self.entrypoint(), message, documents))

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


async def _read_sources(pairs: Sequence[tuple[Document, ContentSource]]) -> list[tuple[Document, bytes]]:
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

"""`AltinnClient` (blocking) and `AsyncAltinnClient` (asyncio): the same methods, endpoint by endpoint.

Both only add the bearer token and move bytes; requests and answers are built and read in
:mod:`operations`. The base URL is Postbud's (``http://127.0.0.1:8080``) or Altinn's
(``https://platform.tt02.altinn.no``); paths are the API's own (``/correspondence/api/v1/...``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Self, TypeVar
from uuid import UUID

import httpx2

from . import operations as ops
from .errors import AltinnApiError, AltinnConnectionError
from .events_models import EventsSubscription, EventsSubscriptionList, EventsSubscriptionRequest
from .models import (
    AttachmentDetails,
    AttachmentOverview,
    CorrespondenceDetails,
    CorrespondenceOverview,
    CorrespondenceStatus,
    InitializeAttachment,
    InitializeCorrespondences,
    InitializeCorrespondencesResponse,
    NewAttachment,
    SearchRole,
)
from .operations import Answer, Call
from .tokens import StaticToken, TokenProvider

__all__ = ["PRODUCTION_BASE_URL", "TEST_BASE_URL", "AltinnClient", "AsyncAltinnClient"]

T = TypeVar("T")
TEST_BASE_URL = "https://platform.tt02.altinn.no"
PRODUCTION_BASE_URL = "https://platform.altinn.no"
USER_AGENT = "postbud-sdk-altinn/1"


def _provider(token: TokenProvider | str) -> TokenProvider:
    return StaticToken(token) if isinstance(token, str) else token


def _request_arguments(call: Call[Any], token: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}", "Accept": call.accept, "User-Agent": USER_AGENT}
    arguments: dict[str, Any] = {"params": call.params or None, "headers": headers}
    if call.json_body is not None:
        arguments["json"] = call.json_body
    elif call.content is not None:
        headers["Content-Type"] = call.content_type or "application/octet-stream"
        arguments["content"] = call.content
    elif call.form is not None or call.files:
        arguments["data"] = _form_data(call.form or [])
        arguments["files"] = call.files or None
    return arguments


def _form_data(fields: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for key, value in fields:
        data[key] = value
    return data


def _answer(call: Call[T], response: httpx2.Response) -> T:
    headers = {k.lower(): v for k, v in response.headers.items()}
    if not 200 <= response.status_code < 300:
        raise AltinnApiError.from_response(response.status_code, headers, response.content)
    return call.read(Answer(response.status_code, headers, response.content))


class AltinnClient:
    """Blocking client. ``token`` is a string or a provider (``SandboxToken``, ``MaskinportenExchange``,
    any ``Callable[[], str]``). Use as a context manager, or call :meth:`close` when done."""

    def __init__(
        self,
        base_url: str,
        token: TokenProvider | str,
        *,
        timeout: float = 60.0,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = _provider(token)
        self._http = httpx2.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _run(self, call: Call[T]) -> T:
        try:
            response = self._http.request(call.method, call.path, **_request_arguments(call, self._token()))
        except httpx2.TransportError as exc:
            raise AltinnConnectionError(f"{call.method} {self.base_url}{call.path}: {exc}") from exc
        return _answer(call, response)

    # -------------------------------------------------------------------------------- correspondence

    def initialize(self, request: InitializeCorrespondences) -> InitializeCorrespondencesResponse:
        """C1: one correspondence per recipient; attachments only as ``existing_attachments``."""
        return self._run(ops.initialize(request))

    def initialize_with_attachments(
        self, request: InitializeCorrespondences, files: Sequence[NewAttachment]
    ) -> InitializeCorrespondencesResponse:
        """C2: the new attachments' bytes in the same request (multipart)."""
        return self._run(ops.initialize_with_attachments(request, files))

    def search(
        self,
        resource_id: str,
        role: SearchRole = SearchRole.RECIPIENT_AND_SENDER,
        *,
        from_time: datetime | None = None,
        to_time: datetime | None = None,
        status: CorrespondenceStatus | None = None,
        on_behalf_of: str | None = None,
        senders_reference: str | None = None,
        idempotent_key: UUID | None = None,
    ) -> list[UUID]:
        return self._run(
            ops.search(
                resource_id,
                role,
                from_time=from_time,
                to_time=to_time,
                status=status,
                on_behalf_of=on_behalf_of,
                senders_reference=senders_reference,
                idempotent_key=idempotent_key,
            )
        )

    def get_overview(self, correspondence_id: UUID | str) -> CorrespondenceOverview:
        return self._run(ops.overview(correspondence_id))

    def get_details(self, correspondence_id: UUID | str) -> CorrespondenceDetails:
        return self._run(ops.details(correspondence_id))

    def get_content(self, correspondence_id: UUID | str) -> str:
        return self._run(ops.content(correspondence_id))

    def mark_as_read(self, correspondence_id: UUID | str) -> UUID:
        return self._run(ops.mark_as_read(correspondence_id))

    def confirm(self, correspondence_id: UUID | str) -> UUID:
        return self._run(ops.confirm(correspondence_id))

    def purge(self, correspondence_id: UUID | str) -> UUID:
        return self._run(ops.purge(correspondence_id))

    def forward(
        self, correspondence_id: UUID | str, forward_to: str, forwarding_text: str | None = None
    ) -> UUID:
        return self._run(ops.forward(correspondence_id, forward_to, forwarding_text))

    def download(self, correspondence_id: UUID | str, attachment_id: UUID | str) -> bytes:
        """C9: an attachment of a correspondence, as its recipient downloads it."""
        return self._run(ops.download(correspondence_id, attachment_id))

    def download_all(self, correspondence_id: UUID | str) -> bytes:
        """C10: every attachment in one zip."""
        return self._run(ops.download_all(correspondence_id))

    def can_forward(self, correspondence_id: UUID | str) -> bool:
        """H4: whether the correspondence allows forwarding (scope ``…correspondence.forward.check``)."""
        return self._run(ops.forward_check(correspondence_id))

    def get_confidential_reminders(self, language_code: str = "nb") -> str:
        """H6: the organisation's confidential correspondences unread for a week, as text."""
        return self._run(ops.confidential_reminders(language_code))

    def subscribe(self, request: EventsSubscriptionRequest) -> EventsSubscription:
        """Altinn Events (``/events/api/v1/subscriptions``): subscribe an endpoint to a resource."""
        return self._run(ops.subscribe(request))

    def list_subscriptions(self) -> EventsSubscriptionList:
        return self._run(ops.subscriptions())

    def get_subscription(self, subscription_id: int) -> EventsSubscription:
        return self._run(ops.subscription(subscription_id))

    def delete_subscription(self, subscription_id: int) -> None:
        self._run(ops.unsubscribe(subscription_id))

    # -------------------------------------------------------------------------------- attachments

    def initialize_attachment(self, request: InitializeAttachment) -> UUID:
        return self._run(ops.initialize_attachment(request))

    def upload_attachment(self, attachment_id: UUID | str, data: bytes) -> AttachmentOverview:
        return self._run(ops.upload_attachment(attachment_id, data))

    def get_attachment_overview(self, attachment_id: UUID | str) -> AttachmentOverview:
        return self._run(ops.attachment_overview(attachment_id))

    def get_attachment_details(self, attachment_id: UUID | str) -> AttachmentDetails:
        return self._run(ops.attachment_details(attachment_id))

    def purge_attachment(self, attachment_id: UUID | str) -> None:
        self._run(ops.purge_attachment(attachment_id))

    def download_attachment(self, attachment_id: UUID | str) -> bytes:
        """A6: the sender's download of a shared attachment."""
        return self._run(ops.download_attachment_as_sender(attachment_id))


class AsyncAltinnClient:
    """The asyncio twin of :class:`AltinnClient`; every method is a coroutine."""

    def __init__(
        self,
        base_url: str,
        token: TokenProvider | str,
        *,
        timeout: float = 60.0,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = _provider(token)
        self._http = httpx2.AsyncClient(base_url=self.base_url, timeout=timeout, transport=transport)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _bearer(self) -> str:
        if isinstance(self._token, StaticToken):
            return self._token.token
        return await asyncio.to_thread(self._token)

    async def _run(self, call: Call[T]) -> T:
        arguments = _request_arguments(call, await self._bearer())
        try:
            response = await self._http.request(call.method, call.path, **arguments)
        except httpx2.TransportError as exc:
            raise AltinnConnectionError(f"{call.method} {self.base_url}{call.path}: {exc}") from exc
        return _answer(call, response)

    async def initialize(self, request: InitializeCorrespondences) -> InitializeCorrespondencesResponse:
        return await self._run(ops.initialize(request))

    async def initialize_with_attachments(
        self, request: InitializeCorrespondences, files: Sequence[NewAttachment]
    ) -> InitializeCorrespondencesResponse:
        return await self._run(ops.initialize_with_attachments(request, files))

    async def search(
        self,
        resource_id: str,
        role: SearchRole = SearchRole.RECIPIENT_AND_SENDER,
        *,
        from_time: datetime | None = None,
        to_time: datetime | None = None,
        status: CorrespondenceStatus | None = None,
        on_behalf_of: str | None = None,
        senders_reference: str | None = None,
        idempotent_key: UUID | None = None,
    ) -> list[UUID]:
        return await self._run(
            ops.search(
                resource_id,
                role,
                from_time=from_time,
                to_time=to_time,
                status=status,
                on_behalf_of=on_behalf_of,
                senders_reference=senders_reference,
                idempotent_key=idempotent_key,
            )
        )

    async def get_overview(self, correspondence_id: UUID | str) -> CorrespondenceOverview:
        return await self._run(ops.overview(correspondence_id))

    async def get_details(self, correspondence_id: UUID | str) -> CorrespondenceDetails:
        return await self._run(ops.details(correspondence_id))

    async def get_content(self, correspondence_id: UUID | str) -> str:
        return await self._run(ops.content(correspondence_id))

    async def mark_as_read(self, correspondence_id: UUID | str) -> UUID:
        return await self._run(ops.mark_as_read(correspondence_id))

    async def confirm(self, correspondence_id: UUID | str) -> UUID:
        return await self._run(ops.confirm(correspondence_id))

    async def purge(self, correspondence_id: UUID | str) -> UUID:
        return await self._run(ops.purge(correspondence_id))

    async def forward(
        self, correspondence_id: UUID | str, forward_to: str, forwarding_text: str | None = None
    ) -> UUID:
        return await self._run(ops.forward(correspondence_id, forward_to, forwarding_text))

    async def download(self, correspondence_id: UUID | str, attachment_id: UUID | str) -> bytes:
        return await self._run(ops.download(correspondence_id, attachment_id))

    async def download_all(self, correspondence_id: UUID | str) -> bytes:
        return await self._run(ops.download_all(correspondence_id))

    async def can_forward(self, correspondence_id: UUID | str) -> bool:
        return await self._run(ops.forward_check(correspondence_id))

    async def get_confidential_reminders(self, language_code: str = "nb") -> str:
        return await self._run(ops.confidential_reminders(language_code))

    async def subscribe(self, request: EventsSubscriptionRequest) -> EventsSubscription:
        return await self._run(ops.subscribe(request))

    async def list_subscriptions(self) -> EventsSubscriptionList:
        return await self._run(ops.subscriptions())

    async def get_subscription(self, subscription_id: int) -> EventsSubscription:
        return await self._run(ops.subscription(subscription_id))

    async def delete_subscription(self, subscription_id: int) -> None:
        await self._run(ops.unsubscribe(subscription_id))

    async def initialize_attachment(self, request: InitializeAttachment) -> UUID:
        return await self._run(ops.initialize_attachment(request))

    async def upload_attachment(self, attachment_id: UUID | str, data: bytes) -> AttachmentOverview:
        return await self._run(ops.upload_attachment(attachment_id, data))

    async def get_attachment_overview(self, attachment_id: UUID | str) -> AttachmentOverview:
        return await self._run(ops.attachment_overview(attachment_id))

    async def get_attachment_details(self, attachment_id: UUID | str) -> AttachmentDetails:
        return await self._run(ops.attachment_details(attachment_id))

    async def purge_attachment(self, attachment_id: UUID | str) -> None:
        await self._run(ops.purge_attachment(attachment_id))

    async def download_attachment(self, attachment_id: UUID | str) -> bytes:
        return await self._run(ops.download_attachment_as_sender(attachment_id))

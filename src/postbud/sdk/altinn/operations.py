"""Every endpoint as a ``Call``: the request to send and how to read its answer.

The blocking and the asyncio client share these, so they cannot drift apart; they only add the
token and move bytes. Paths are Altinn's (reference §2.1, §2.2), relative to the base URL.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from .errors import UnexpectedResponseError
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
from .wire import from_json, to_json

T = TypeVar("T")
ROOT = "/correspondence/api/v1"
EVENTS_SUBSCRIPTIONS = "/events/api/v1/subscriptions"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    method: str
    path: str
    read: Callable[[Answer], T]
    params: dict[str, str] = field(default_factory=dict)
    json_body: Any = None
    content: bytes | None = None
    content_type: str | None = None
    form: list[tuple[str, str]] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None
    accept: str = JSON


def _parsed(answer: Answer) -> Any:
    try:
        return json.loads(answer.body)
    except ValueError as exc:
        raise UnexpectedResponseError(f"the answer is not JSON: {answer.body[:200]!r}") from exc


def _model(cls: type[T]) -> Callable[[Answer], T]:
    def read(answer: Answer) -> T:
        try:
            return from_json(cls, _parsed(answer))
        except (ValueError, TypeError) as exc:
            raise UnexpectedResponseError(f"the answer is not a {cls.__name__}: {exc}") from exc

    return read


def _guid(answer: Answer) -> UUID:
    """A bare JSON string holding a GUID (markasread, confirm, purge, attachment initialize)."""
    value = _parsed(answer)
    try:
        return UUID(str(value))
    except ValueError as exc:
        raise UnexpectedResponseError(f"expected a GUID, got {value!r}") from exc


def _bytes(answer: Answer) -> bytes:
    return answer.body


def _nothing(answer: Answer) -> None:
    return None


def _ids(answer: Answer) -> list[UUID]:
    value = _parsed(answer)
    ids = value.get("ids") if isinstance(value, dict) else None
    if not isinstance(ids, list):
        raise UnexpectedResponseError(f"expected {{'ids': [...]}}, got {value!r}")
    return [UUID(str(i)) for i in ids]


def _guid_path(value: UUID | str) -> str:
    return str(UUID(str(value)))


# ------------------------------------------------------------------------------------ correspondence


def initialize(request: InitializeCorrespondences) -> Call[InitializeCorrespondencesResponse]:
    return Call(
        "POST",
        f"{ROOT}/correspondence",
        _model(InitializeCorrespondencesResponse),
        json_body=to_json(request),
    )


def initialize_with_attachments(
    request: InitializeCorrespondences, files: Sequence[NewAttachment]
) -> Call[InitializeCorrespondencesResponse]:
    """C2: the request as dotted form fields, each file a part named ``attachments``."""
    return Call(
        "POST",
        f"{ROOT}/correspondence/upload",
        _model(InitializeCorrespondencesResponse),
        form=form_fields(to_json(request)),
        files=[("attachments", (f.file_name, f.content, f.content_type)) for f in files],
    )


def form_fields(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """JSON as ASP.NET form binding reads it: ``a.b``, ``list[0]``, ``map.key``."""
    if isinstance(data, dict):
        fields: list[tuple[str, str]] = []
        for key, value in data.items():
            fields += form_fields(value, f"{prefix}.{key}" if prefix else key)
        return fields
    if isinstance(data, list):
        fields = []
        for index, value in enumerate(data):
            fields += form_fields(value, f"{prefix}[{index}]")
        return fields
    if isinstance(data, bool):
        return [(prefix, "true" if data else "false")]
    return [(prefix, str(data))]


def search(
    resource_id: str,
    role: SearchRole,
    *,
    from_time: datetime | None = None,
    to_time: datetime | None = None,
    status: CorrespondenceStatus | None = None,
    on_behalf_of: str | None = None,
    senders_reference: str | None = None,
    idempotent_key: UUID | None = None,
) -> Call[list[UUID]]:
    given = {
        "resourceId": resource_id,
        "role": role,
        "from": from_time,
        "to": to_time,
        "status": status,
        "onBehalfOf": on_behalf_of,
        "sendersReference": senders_reference,
        "idempotentKey": idempotent_key,
    }
    params = {k: str(to_json(v)) for k, v in given.items() if v is not None}
    return Call("GET", f"{ROOT}/correspondence", _ids, params=params)


def overview(correspondence_id: UUID | str) -> Call[CorrespondenceOverview]:
    return Call(
        "GET", f"{ROOT}/correspondence/{_guid_path(correspondence_id)}", _model(CorrespondenceOverview)
    )


def details(correspondence_id: UUID | str) -> Call[CorrespondenceDetails]:
    path = f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/details"
    return Call("GET", path, _model(CorrespondenceDetails))


def content(correspondence_id: UUID | str) -> Call[str]:
    """H1: the body as Markdown text (the first call marks it Read)."""
    path = f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/content"
    return Call("GET", path, lambda answer: answer.body.decode("utf-8"), accept="text/plain")


def mark_as_read(correspondence_id: UUID | str) -> Call[UUID]:
    return Call("POST", f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/markasread", _guid)


def confirm(correspondence_id: UUID | str) -> Call[UUID]:
    return Call("POST", f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/confirm", _guid)


def purge(correspondence_id: UUID | str) -> Call[UUID]:
    return Call("DELETE", f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/purge", _guid)


def forward(correspondence_id: UUID | str, forward_to: str, forwarding_text: str | None = None) -> Call[UUID]:
    body: dict[str, str] = {"forwardTo": forward_to}
    if forwarding_text is not None:
        body["forwardingText"] = forwarding_text
    return Call(
        "POST", f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/forward", _guid, json_body=body
    )


def download(correspondence_id: UUID | str, attachment_id: UUID | str) -> Call[bytes]:
    correspondence = _guid_path(correspondence_id)
    path = f"{ROOT}/correspondence/{correspondence}/attachment/{_guid_path(attachment_id)}/download"
    return Call("GET", path, _bytes, accept="*/*")


def download_all(correspondence_id: UUID | str) -> Call[bytes]:
    path = f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/attachments/downloadall"
    return Call("GET", path, _bytes, accept="*/*")


def forward_check(correspondence_id: UUID | str) -> Call[bool]:
    """H4 (scope ``altinn:correspondence.forward.check``): whether the correspondence allows forwarding."""

    def read(answer: Answer) -> bool:
        value = _parsed(answer)
        allowed = value.get("allowForwarding") if isinstance(value, dict) else None
        if not isinstance(allowed, bool):
            raise UnexpectedResponseError(f"expected {{'allowForwarding': bool}}, got {value!r}")
        return allowed

    return Call("GET", f"{ROOT}/correspondence/{_guid_path(correspondence_id)}/forward/check", read)


def confidential_reminders(language_code: str = "nb") -> Call[str]:
    """H6: the caller organisation's unread confidential correspondences, as the inbox's text."""
    return Call(
        "GET",
        f"{ROOT}/confidential-reminders",
        lambda answer: answer.body.decode("utf-8"),
        params={"languageCode": language_code},
        accept="text/plain",
    )


# ------------------------------------------------------------------------------------ attachments


def initialize_attachment(request: InitializeAttachment) -> Call[UUID]:
    return Call("POST", f"{ROOT}/attachment", _guid, json_body=to_json(request))


def upload_attachment(attachment_id: UUID | str, data: bytes) -> Call[AttachmentOverview]:
    path = f"{ROOT}/attachment/{_guid_path(attachment_id)}/upload"
    return Call(
        "POST", path, _model(AttachmentOverview), content=data, content_type="application/octet-stream"
    )


def attachment_overview(attachment_id: UUID | str) -> Call[AttachmentOverview]:
    return Call("GET", f"{ROOT}/attachment/{_guid_path(attachment_id)}", _model(AttachmentOverview))


def attachment_details(attachment_id: UUID | str) -> Call[AttachmentDetails]:
    path = f"{ROOT}/attachment/{_guid_path(attachment_id)}/details"
    return Call("GET", path, _model(AttachmentDetails))


def purge_attachment(attachment_id: UUID | str) -> Call[None]:
    return Call("DELETE", f"{ROOT}/attachment/{_guid_path(attachment_id)}", _nothing)


def download_attachment_as_sender(attachment_id: UUID | str) -> Call[bytes]:
    return Call("GET", f"{ROOT}/attachment/{_guid_path(attachment_id)}/download", _bytes, accept="*/*")


# ------------------------------------------------------------------------------------ Altinn Events


def subscribe(request: EventsSubscriptionRequest) -> Call[EventsSubscription]:
    """Altinn Events: subscribe an endpoint to a resource's events (scope ``altinn:events.subscribe``)."""
    return Call("POST", EVENTS_SUBSCRIPTIONS, _model(EventsSubscription), json_body=to_json(request))


def subscriptions() -> Call[EventsSubscriptionList]:
    return Call("GET", EVENTS_SUBSCRIPTIONS, _model(EventsSubscriptionList))


def subscription(subscription_id: int) -> Call[EventsSubscription]:
    return Call("GET", f"{EVENTS_SUBSCRIPTIONS}/{int(subscription_id)}", _model(EventsSubscription))


def unsubscribe(subscription_id: int) -> Call[None]:
    return Call("DELETE", f"{EVENTS_SUBSCRIPTIONS}/{int(subscription_id)}", _nothing)

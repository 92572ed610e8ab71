"""Use case: the e-mails and SMS the sandbox captured instead of sending, as an operator reads them.

Without an SMTP server or SMS gateway the channels store each message (the .eml as it would have
been sent; the SMS as the JSON the gateway would have been posted) and name it in the event of its
outcome. Here they are listed newest first, and each can be read rendered (headers, text,
attachments) and raw, as Mailpit shows mail. Every capture belongs to a letter.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Final

from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound
from postbud.domain.events import EventType
from postbud.services.runtime import Runtime
from postbud.storage.blobs import BlobNotFound
from postbud.storage.repos.captures import CapturedMessage

__all__ = [
    "CaptureKind",
    "CapturePage",
    "CaptureSummary",
    "CaptureView",
    "CapturedMessage",
    "EmailAttachment",
    "EmailView",
    "SmsView",
    "capture_attachment",
    "captures_of_letter",
    "get_capture",
    "list_captures",
]

PAGE_SIZE: Final = 50
_PREVIEW_CHARS: Final = 120
_HEADERS_SHOWN: Final = ("From", "To", "Subject", "Date", "Message-ID")

CaptureKind = str
"""``letter`` (the letter itself), ``notice``, ``reminder``, ``registration`` (a request to register)
or ``mailing`` (one SMS of an SMS mailing, which belongs to no letter)."""


def kind_of(captured: CapturedMessage) -> CaptureKind:
    if captured.mailing_id is not None:
        return "mailing"
    if captured.event_type is EventType.DELIVERED:
        return "letter"
    if captured.event_type is EventType.REGISTRATION_REQUESTED:
        return "registration"
    return "reminder" if captured.data.get("reminder") else "notice"


@dataclass(frozen=True, slots=True)
class CaptureSummary:
    captured: CapturedMessage
    kind: CaptureKind
    title: str | None
    """An e-mail's subject, an SMS's first words; None when the message is no longer stored."""


@dataclass(frozen=True, slots=True)
class CapturePage:
    captures: list[CaptureSummary]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class EmailAttachment:
    index: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class EmailView:
    headers: list[tuple[str, str]]
    subject: str
    text: str
    """The plain-text body (an HTML-only message shows its HTML source)."""
    attachments: list[EmailAttachment]


@dataclass(frozen=True, slots=True)
class SmsView:
    to: str
    sender_name: str
    text: str
    key: str
    at: str


@dataclass(frozen=True, slots=True)
class CaptureView:
    captured: CapturedMessage
    kind: CaptureKind
    raw: bytes | None
    """The message as stored; None when it is no longer stored (the letter was purged or reset)."""
    email: EmailView | None
    sms: SmsView | None


def _cursor(captured: CapturedMessage) -> str:
    return f"{captured.at.isoformat()}|{captured.event_id}"


def _parse_cursor(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    at, _, event_id = cursor.partition("|")
    try:
        moment = datetime.fromisoformat(at)
        return (moment, uuid.UUID(event_id)) if moment.tzinfo else None
    except ValueError:
        return None


def _message(raw: bytes) -> EmailMessage:
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(parsed, EmailMessage)
    return parsed


def _sms(raw: bytes) -> SmsView:
    record = json.loads(raw)
    return SmsView(
        to=str(record.get("to", "")),
        sender_name=str(record.get("from", "")),
        text=str(record.get("text", "")),
        key=str(record.get("key", "")),
        at=str(record.get("at", "")),
    )


def _title(captured: CapturedMessage, raw: bytes) -> str:
    if captured.channel is Channel.EMAIL:
        return str(BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)["Subject"] or "")
    text = _sms(raw).text
    return text if len(text) <= _PREVIEW_CHARS else text[: _PREVIEW_CHARS - 1] + "…"


def _email(raw: bytes) -> EmailView:
    message = _message(raw)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if isinstance(body, EmailMessage) else ""
    attachments = [
        EmailAttachment(
            index=index,
            filename=part.get_filename() or f"attachment-{index}",
            content_type=part.get_content_type(),
            size=len(part.get_payload(decode=True) or b""),
        )
        for index, part in enumerate(message.iter_attachments(), 1)
        if isinstance(part, EmailMessage)
    ]
    headers = [(name, str(message[name])) for name in _HEADERS_SHOWN if message[name] is not None]
    return EmailView(headers, str(message["Subject"] or ""), str(text), attachments)


async def _raw(runtime: Runtime, captured: CapturedMessage) -> bytes | None:
    try:
        return await runtime.blobs.get(captured.sha256)
    except BlobNotFound:
        return None


async def _summary(runtime: Runtime, captured: CapturedMessage) -> CaptureSummary:
    raw = await _raw(runtime, captured)
    return CaptureSummary(captured, kind_of(captured), _title(captured, raw) if raw is not None else None)


async def list_captures(
    runtime: Runtime, *, channel: Channel | None = None, cursor: str | None = None, limit: int = PAGE_SIZE
) -> CapturePage:
    """The newest captures first, ``limit`` at a time; ``cursor`` is the last page's ``next_cursor``."""
    async with runtime.reader() as uow:
        found = await uow.captures.newest(limit + 1, channel=channel, before=_parse_cursor(cursor))
    shown = found[:limit]
    summaries = await asyncio.gather(*(_summary(runtime, c) for c in shown))
    return CapturePage(list(summaries), _cursor(shown[-1]) if len(found) > limit else None)


async def get_capture(runtime: Runtime, event_id: uuid.UUID) -> CaptureView:
    async with runtime.reader() as uow:
        captured = await uow.captures.get(event_id)
    if captured is None:
        raise NotFound("capture", event_id)
    raw = await _raw(runtime, captured)
    email = _email(raw) if raw is not None and captured.channel is Channel.EMAIL else None
    sms = _sms(raw) if raw is not None and captured.channel is Channel.SMS else None
    return CaptureView(captured, kind_of(captured), raw, email, sms)


async def capture_attachment(
    runtime: Runtime, event_id: uuid.UUID, index: int
) -> tuple[EmailAttachment, bytes]:
    """The ``index``-th attachment (from 1) of a captured e-mail, decoded."""
    view = await get_capture(runtime, event_id)
    if view.raw is None or view.email is None:
        raise NotFound("attachment", f"{event_id}/{index}")
    for number, part in enumerate(_message(view.raw).iter_attachments(), 1):
        if number == index and isinstance(part, EmailMessage):
            return view.email.attachments[index - 1], bytes(part.get_payload(decode=True) or b"")
    raise NotFound("attachment", f"{event_id}/{index}")


async def captures_of_letter(runtime: Runtime, shipment_id: uuid.UUID) -> dict[uuid.UUID, CaptureKind]:
    """Event id → kind, for the letter's captured messages (its timeline links to them)."""
    async with runtime.reader() as uow:
        return {c.event_id: kind_of(c) for c in await uow.captures.for_shipment(shipment_id)}

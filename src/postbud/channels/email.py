"""The EMAIL channel (Digipost EPOST, Ekopost e-mail envelopes): letters and notices by e-mail.

With ``smtp_url`` set, messages go out through that SMTP server (Mailpit in development). Without
it, the sandbox captures them instead: the .eml is stored in the blob store and the event says
``captured: true``. Nothing pretends a captured message was sent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import unquote, urlsplit

import aiosmtplib
from email_validator import EmailNotValidError, validate_email

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import FaultInjector, Rejected
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock
from postbud.domain.documents import Document, Sensitivity
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.shipments import Shipment
from postbud.storage.blobs import BlobStore, BlobTooLarge

CAPTURE_NOTE = "sandbox capture: no SMTP server is configured, so the e-mail was stored, not sent"
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
"""Most mail servers refuse messages over 25–50 MB, and base64 adds a third."""
# Size and content refusals (552, 554) stay refused however often we try.
_PERMANENT_DATA_CODES = frozenset({552, 554})


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    use_tls: bool = False
    """Implicit TLS (``smtps://``)."""
    start_tls: bool | None = None
    """None: upgrade when the server offers STARTTLS (``smtp://``); True: require it (``smtp+starttls://``)."""


def parse_smtp_url(url: str) -> SmtpServer:
    """``smtp://[user:pass@]host[:port]``, ``smtp+starttls://…`` or ``smtps://…``."""
    parts = urlsplit(url)
    defaults = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
    if parts.scheme not in defaults or not parts.hostname:
        raise ValueError(f"not an SMTP URL (smtp://, smtp+starttls:// or smtps://host:port): {url!r}")
    return SmtpServer(
        host=parts.hostname,
        port=parts.port or defaults[parts.scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=parts.scheme == "smtps",
        start_tls=True if parts.scheme == "smtp+starttls" else None,
    )


def normalise_address(address: str) -> str:
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Rejected(f"invalid e-mail address {address!r}: {exc}") from exc


class Mailer:
    """Builds messages and sends them by SMTP, or captures them when no server is configured."""

    def __init__(
        self, blobs: BlobStore, clock: Clock, *, smtp_url: str | None, sender: str, timeout: float = 30.0
    ) -> None:
        self.blobs = blobs
        self.clock = clock
        self.server = parse_smtp_url(smtp_url) if smtp_url else None
        self.sender = sender
        self.envelope_from = parseaddr(sender)[1] or sender
        self.domain = self.envelope_from.rpartition("@")[2] or "localhost"
        self.timeout = timeout

    def message(self, to: str, subject: str, text: str, key: str) -> EmailMessage:
        """A plain-text message; ``key`` makes a Message-ID that stays the same when a job retries."""
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(self.clock.now())
        message["Message-ID"] = f"<{key}@{self.domain}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text)
        return message

    async def send(self, message: EmailMessage) -> dict[str, Any]:
        """Send or capture; returns the event data. Raises DeliveryFailed (retry) or Rejected."""
        to, message_id = str(message["To"]), str(message["Message-ID"])
        if self.server is None:
            try:
                ref = await self.blobs.put(message.as_bytes())
            except BlobTooLarge as exc:
                raise Rejected(f"the message is too large to capture ({exc})") from exc
            return {
                "to": to,
                "message_id": message_id,
                "captured": True,
                "eml_sha256": ref.sha256,
                "note": CAPTURE_NOTE,
            }
        await self._smtp(message, to)
        return {"to": to, "message_id": message_id, "captured": False}

    async def _smtp(self, message: EmailMessage, to: str) -> None:
        server = self.server
        assert server is not None
        try:
            await aiosmtplib.send(
                message,
                sender=self.envelope_from,
                recipients=[to],
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.use_tls,
                start_tls=server.start_tls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            reasons = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
            if all(500 <= r.code < 600 for r in exc.recipients):
                raise Rejected(f"the mail server refused {to}: {reasons}") from exc
            raise DeliveryFailed(f"the mail server deferred {to}: {reasons}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code in _PERMANENT_DATA_CODES:
                raise Rejected(f"the mail server refused the message: {exc.code} {exc.message}") from exc
            raise DeliveryFailed(f"SMTP error {exc.code}: {exc.message}") from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise DeliveryFailed(f"SMTP failure: {type(exc).__name__}: {exc}") from exc


def attachment_names(documents: Sequence[Document]) -> list[str]:
    """File names from titles and file types, unique within the message."""
    names: list[str] = []
    for number, doc in enumerate(documents, 1):
        base = _UNSAFE_FILENAME.sub("_", doc.title or "").strip(" ._")[:100] or f"document-{number}"
        ext = doc.file_type.lower().strip(".")
        name = base if not ext.isalnum() or base.lower().endswith(f".{ext}") else f"{base}.{ext}"
        stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
        candidate, copy = name, 2
        while candidate in names:
            candidate = f"{stem} ({copy}){dot}{suffix}"
            copy += 1
        names.append(candidate)
    return names


class EmailChannel:
    channel = Channel.EMAIL
    inline = False

    def __init__(self, mailer: Mailer, faults: FaultInjector | None = None) -> None:
        self.mailer = mailer
        self.faults = faults if faults is not None else FaultInjector()

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        raw = shipment.email_address or (recipient.capabilities.email if recipient else None)
        if not raw:
            return [_failed("no e-mail address for the recipient")]
        if (size := sum(d.size for d in shipment.documents)) > MAX_ATTACHMENT_BYTES:
            return [_failed(f"the documents ({size} bytes) are too large for e-mail")]
        try:
            to = normalise_address(raw)
            message = await self._letter(shipment, to)
            data = await self._send(message)
        except Rejected as exc:
            return [_failed(exc.reason)]
        data["documents"] = len(shipment.documents)
        return [EventDraft(EventType.DELIVERED, Channel.EMAIL, data, "delivered")]

    async def send_notice(self, address: str, subject: str, text: str, key: str) -> dict[str, Any]:
        message = self.mailer.message(normalise_address(address), subject, text, key)
        return {"channel": Channel.EMAIL.value, "address": address, **await self._send(message)}

    async def send_files(
        self, address: str, subject: str, text: str, key: str, files: Sequence[tuple[str, str, bytes]]
    ) -> dict[str, Any]:
        """A message with attachments (file name, MIME type, content), not a letter's documents."""
        message = self.mailer.message(normalise_address(address), subject, text, key)
        for name, mime, content in files:
            maintype, _, subtype = mime.partition("/")
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        return {"channel": Channel.EMAIL.value, "address": address, **await self._send(message)}

    async def send_with_files(
        self, address: str, subject: str, text: str, files: Sequence[tuple[str, str, bytes]], key: str
    ) -> dict[str, Any]:
        """A message with ``files`` (name, MIME type, content) attached: a letter sent on by e-mail."""
        if (size := sum(len(content) for _, _, content in files)) > MAX_ATTACHMENT_BYTES:
            raise Rejected(f"the documents ({size} bytes) are too large for e-mail")
        message = self.mailer.message(normalise_address(address), subject, text, key)
        for name, mime, content in files:
            maintype, _, subtype = mime.partition("/")
            if not maintype or not subtype or maintype == "multipart":
                maintype, subtype = "application", "octet-stream"
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        return {"channel": Channel.EMAIL.value, "address": address, **await self._send(message)}

    async def _send(self, message: EmailMessage) -> dict[str, Any]:
        if error := self.faults.should_fail(Channel.EMAIL):
            raise DeliveryFailed(error)
        return await self.mailer.send(message)

    async def _letter(self, shipment: Shipment, to: str) -> EmailMessage:
        documents = sorted(shipment.documents, key=lambda d: d.position)
        sensitive = shipment.primary.sensitivity is Sensitivity.SENSITIVE
        # A sensitive letter's subject must not show on a lock screen or in a mail list.
        subject = "A letter for you" if sensitive or not shipment.subject else shipment.subject
        count = f"{len(documents)} document{'s' if len(documents) != 1 else ''}"
        text = f"You have received a letter through Postbud. It is attached to this e-mail ({count})."
        message = self.mailer.message(to, subject, text, f"letter.{shipment.id}")
        for doc, name in zip(documents, attachment_names(documents), strict=True):
            maintype, _, subtype = doc.mime.partition("/")
            if not maintype or not subtype or maintype == "multipart":
                maintype, subtype = "application", "octet-stream"
            content = await self.mailer.blobs.get(doc.sha256)
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        return message


def _failed(reason: str) -> EventDraft:
    return EventDraft(EventType.DELIVERY_FAILED, Channel.EMAIL, {"reason": reason}, "delivery_failed")

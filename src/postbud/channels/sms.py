"""The SMS channel: notices, and short text letters, through an HTTP SMS gateway.

The gateway takes ``POST <sms_gateway_url>`` with JSON ``{"to": "+47…", "from": "Postbud",
"text": "…"}`` and answers 2xx when it accepted the message. Without a gateway the sandbox
captures the message in the blob store and the event says ``captured: true``.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Sequence
from typing import Any

import httpx2
import phonenumbers

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import FaultInjector, Rejected
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.regional import NORWAY
from postbud.domain.shipments import Shipment
from postbud.storage.blobs import BlobStore

CAPTURE_NOTE = "sandbox capture: no SMS gateway is configured, so the SMS was stored, not sent"
MAX_SENDER_NAME = 11
"""Alphanumeric sender ids are at most 11 characters on every network."""
MAX_LETTER_CHARS = 1600
_RETRY_STATUSES = frozenset({408, 425, 429})
PARALLEL_GATEWAY_REQUESTS = 8
"""A mailing's SMS in flight at once: a gateway's usual limit on one client's connections."""


def to_e164(number: str, region: str = NORWAY.country) -> str:
    """Normalise a mobile number; national numbers are read as ``region``'s (8 digits: +47)."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as exc:
        raise Rejected(f"invalid mobile number {number!r}: {exc}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise Rejected(f"invalid mobile number {number!r}")
    if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise Rejected(f"{number!r} is a landline number, which cannot take SMS")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class SmsGateway:
    """Posts messages to the HTTP gateway, or captures them when none is configured."""

    def __init__(
        self,
        blobs: BlobStore,
        clock: Clock,
        *,
        url: str | None,
        sender_name: str = "Postbud",
        timeout: float = 10.0,
    ) -> None:
        if not 0 < len(sender_name) <= MAX_SENDER_NAME:
            raise ValueError(f"an SMS sender name has 1 to {MAX_SENDER_NAME} characters: {sender_name!r}")
        self.blobs = blobs
        self.clock = clock
        self.url = url
        self.sender_name = sender_name
        self.timeout = timeout
        self._tls: ssl.SSLContext | None = None

    async def send(self, to: str, text: str, key: str, *, sender_name: str | None = None) -> dict[str, Any]:
        """Send (or capture) one SMS to an E.164 number; ``key`` lets the gateway drop repeats.
        ``sender_name``: the name it shows as from (a mailing's own), else the gateway's."""
        payload = {"to": to, "from": sender_name or self.sender_name, "text": text}
        if self.url is None:
            record = {**payload, "key": key, "at": self.clock.now().isoformat()}
            ref = await self.blobs.put(json.dumps(record, ensure_ascii=False, sort_keys=True).encode())
            return {"to": to, "captured": True, "sms_sha256": ref.sha256, "note": CAPTURE_NOTE}
        try:
            async with httpx2.AsyncClient(timeout=self.timeout, verify=await self._tls_context()) as client:
                response = await client.post(self.url, json=payload, headers={"Idempotency-Key": key})
        except httpx2.HTTPError as exc:
            raise DeliveryFailed(f"SMS gateway request failed: {type(exc).__name__}: {exc}") from exc
        if response.is_success:
            return {"to": to, "captured": False, "gateway_id": _gateway_id(response)}
        detail = f"SMS gateway answered {response.status_code}: {response.text[:200]}"
        if response.status_code >= 500 or response.status_code in _RETRY_STATUSES:
            raise DeliveryFailed(detail)
        raise Rejected(detail)

    async def capture_many(self, messages: Sequence[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
        """Capture (to, text, key, sender name) messages in one blob-store commit: what ``send``
        does without a gateway, for a batch of a mailing."""
        at = self.clock.now().isoformat()
        records = [
            json.dumps(
                {"to": to, "from": name, "text": text, "key": key, "at": at},
                ensure_ascii=False,
                sort_keys=True,
            ).encode()
            for to, text, key, name in messages
        ]
        refs = await self.blobs.put_many(records)
        return [
            {"to": to, "captured": True, "sms_sha256": ref.sha256, "note": CAPTURE_NOTE}
            for (to, *_), ref in zip(messages, refs, strict=True)
        ]

    async def _tls_context(self) -> ssl.SSLContext:
        # Loading the CA bundle takes ~100 ms: once per gateway, off the event loop.
        if self._tls is None:
            self._tls = await asyncio.to_thread(httpx2.create_ssl_context)
        return self._tls


def _gateway_id(response: httpx2.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    found = body.get("id") if isinstance(body, dict) else None
    return str(found) if found is not None else None


class SmsChannel:
    """Letters routed to SMS must be plain text; anything else cannot travel as an SMS."""

    channel = Channel.SMS
    inline = False

    def __init__(
        self, gateway: SmsGateway, faults: FaultInjector | None = None, *, region: str = NORWAY.country
    ) -> None:
        self.gateway = gateway
        self.faults = faults if faults is not None else FaultInjector()
        self.region = region
        """National numbers (without a country code) are read as this country's."""

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        mobile = recipient.capabilities.mobile if recipient else None
        if not mobile:
            return [_failed("no mobile number for the recipient")]
        primary = shipment.primary
        if not primary.mime.lower().startswith("text/plain"):
            return [_failed(f"only a text/plain letter can go by SMS, not {primary.mime}")]
        try:
            text = (await self.gateway.blobs.get(primary.sha256)).decode("utf-8").strip()
        except UnicodeDecodeError:
            return [_failed("the letter text is not UTF-8")]
        if not text or len(text) > MAX_LETTER_CHARS:
            return [_failed(f"an SMS letter has 1 to {MAX_LETTER_CHARS} characters, not {len(text)}")]
        try:
            data = await self._send(to_e164(mobile, self.region), text, f"letter.{shipment.id}")
        except Rejected as exc:
            return [_failed(exc.reason)]
        return [EventDraft(EventType.DELIVERED, Channel.SMS, data, "delivered")]

    async def send_notice(self, address: str, subject: str, text: str, key: str) -> dict[str, Any]:
        data = await self._send(to_e164(address, self.region), text, key)
        return {"channel": Channel.SMS.value, "address": address, **data}

    async def send_to_numbers(
        self, numbers: Sequence[tuple[str, str]], text: str, sender_name: str
    ) -> list[dict[str, Any] | Rejected | DeliveryFailed]:
        """One SMS of a mailing to each (E.164 number, idempotency key), from the mailing's sender
        name: per number what the gateway answered, or why it refused (``Rejected``) or failed for
        now (``DeliveryFailed``). A fault the sandbox injects refuses that number for good rather
        than failing the batch. Without a gateway the batch is captured in one blob-store commit."""
        results: list[dict[str, Any] | Rejected | DeliveryFailed] = []
        for _ in numbers:
            error = self.faults.should_fail(Channel.SMS)
            results.append(Rejected(error) if error else {})
        wanted = [i for i, result in enumerate(results) if not isinstance(result, Rejected)]
        if self.gateway.url is None:
            messages = [(numbers[i][0], text, numbers[i][1], sender_name) for i in wanted]
            for i, captured in zip(wanted, await self.gateway.capture_many(messages), strict=True):
                results[i] = captured
            return results
        limit = asyncio.Semaphore(PARALLEL_GATEWAY_REQUESTS)

        async def one(i: int) -> None:
            to, key = numbers[i]
            async with limit:
                try:
                    results[i] = await self.gateway.send(to, text, key, sender_name=sender_name)
                except (Rejected, DeliveryFailed) as failed:
                    results[i] = failed

        await asyncio.gather(*(one(i) for i in wanted))
        return results

    async def _send(self, to: str, text: str, key: str) -> dict[str, Any]:
        if error := self.faults.should_fail(Channel.SMS):
            raise DeliveryFailed(error)
        return await self.gateway.send(to, text, key)


def _failed(reason: str) -> EventDraft:
    return EventDraft(EventType.DELIVERY_FAILED, Channel.SMS, {"reason": reason}, "delivery_failed")

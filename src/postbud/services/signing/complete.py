"""The ``signing.complete`` job: every signer has signed; seal the document and deliver the letter.

Three steps, each safe to repeat: the signed PDF is made and its hash stored (once: a retry reuses
it), it is e-mailed to the address that asked for the signatures (the same Message-ID each time), and
the letter's ``delivered`` event (keyed, so once) is recorded with the request's completion.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Sequence
from typing import Any, Final, Protocol, runtime_checkable

from postbud.channels.faults import Rejected
from postbud.crypto.document_seal import load_or_create_seal
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.shipments import Shipment
from postbud.domain.signing import SigningRequest
from postbud.domain.status import TERMINAL
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime
from postbud.services.signing.signed_pdf import SignatureLine, seal_signed_document

SEAL_FOLDER: Final = "sandbox"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


@runtime_checkable
class FileMailer(Protocol):
    """A channel that can e-mail files (the e-mail channel)."""

    async def send_files(
        self, address: str, subject: str, text: str, key: str, files: Sequence[tuple[str, str, bytes]]
    ) -> dict[str, Any]: ...


def signed_file_name(subject: str | None) -> str:
    base = _UNSAFE.sub("_", subject or "").strip(" ._")[:100] or "document"
    return f"{base} (signed).pdf"


async def _signed_document(runtime: Runtime, request: SigningRequest) -> bytes:
    if request.signed_sha256 is not None:
        return await runtime.blobs.get(request.signed_sha256)
    original = await runtime.blobs.get(request.document_sha256)
    folder = runtime.settings.ensure_data_dir() / SEAL_FOLDER
    seal = await asyncio.to_thread(load_or_create_seal, folder)
    lines = [SignatureLine(s.name, s.party.value, s.signed_at) for s in request.signers if s.signed_at]
    signed = await asyncio.to_thread(seal_signed_document, original, lines, seal)
    ref = await runtime.blobs.put(signed)
    async with runtime.unit_of_work() as uow:
        await uow.signing.set_signed_document(request.id, ref.sha256)
        stored = await uow.signing.get(request.id)
    if stored is not None and stored.signed_sha256 not in (None, ref.sha256):
        return await runtime.blobs.get(stored.signed_sha256)  # another run sealed it first
    return signed


def _message(shipment: Shipment, request: SigningRequest) -> tuple[str, str]:
    names = "\n".join(f"- {s.name}, {s.signed_at:%Y-%m-%d %H:%M} UTC" for s in request.signers if s.signed_at)
    subject = f"Signed: {shipment.subject or 'document'}"
    text = (
        "Everyone has signed the document. The signed PDF is attached;"
        " its signature covers the whole file.\n\n"
        f"Signed by:\n{names}\n"
    )
    return subject, text


async def complete_signing(request_id: uuid.UUID, runtime: Runtime) -> None:
    async with runtime.reader() as uow:
        request = await uow.signing.get(request_id)
        if request is None:
            raise NotFound("signing request", request_id)
        shipment = await uow.shipments.get(request.shipment_id)
    if shipment is None or shipment.status in TERMINAL or request.completed_at is not None:
        return
    if not request.all_signed:
        return
    signed = await _signed_document(runtime, request)
    async with runtime.reader() as uow:
        stored = await uow.signing.get(request_id)
    signed_sha256 = stored.signed_sha256 if stored is not None else None
    mailer = runtime.channel(Channel.EMAIL)
    subject, text = _message(shipment, request)
    files = [(signed_file_name(shipment.subject), "application/pdf", signed)]
    if not isinstance(mailer, FileMailer):
        draft = _failed("the e-mail channel of this deployment cannot send files")
    else:
        try:
            data = await mailer.send_files(
                request.info_email, subject, text, f"signing.{request.id}.signed", files
            )
        except Rejected as exc:
            draft = _failed(exc.reason)
        else:
            data |= {
                "to": request.info_email,
                "signed_document_sha256": signed_sha256,
                "signers": len(request.signers),
            }
            draft = EventDraft(EventType.DELIVERED, Channel.EMAIL, data, "delivered")
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        locked = await uow.shipments.get(shipment.id, for_update=True)
        if locked is not None:
            await record_events(uow, locked, [draft], now=now)
        if draft.type is EventType.DELIVERED:
            await uow.signing.mark_completed(request.id, now=now)


def _failed(reason: str) -> EventDraft:
    return EventDraft(EventType.DELIVERY_FAILED, Channel.EMAIL, {"reason": reason}, "delivery_failed")


async def give_up_signing(request_id: uuid.UUID, runtime: Runtime, error: str) -> None:
    async with runtime.unit_of_work() as uow:
        request = await uow.signing.get(request_id)
        shipment = await uow.shipments.get(request.shipment_id, for_update=True) if request else None
        if shipment is not None:
            await record_events(uow, shipment, [_failed(error)], now=runtime.clock.now())

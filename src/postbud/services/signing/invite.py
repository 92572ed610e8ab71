"""The ``signing.invite`` job: one e-mail asking one signer to sign, with a link to their inbox (or,
for a signer without one, to the signing page behind an e-ID login).

Sent once per signer: the outcome is the letter's event keyed by the signer's position, and a job
that finds it recorded sends nothing (a retry after a crash between sending and recording sends the
same message again, with the same Message-ID).
"""

from __future__ import annotations

import uuid
from typing import Final

from postbud.channels.faults import Rejected
from postbud.domain.channels import Channel
from postbud.domain.errors import NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.signing import Signer, SigningRequest, invitation_key
from postbud.domain.status import TERMINAL
from postbud.services.letters.notify import send_by
from postbud.services.letters.record_event import record_events_for
from postbud.services.runtime import Runtime

SIGNING_PAGE: Final = "/inbox/signing/{request_id}"
"""Where a signer sees and signs the document in the web inbox (the inbox's route is built from it)."""
E_ID_SIGNING_PAGE: Final = "/inbox/e-signing/{request_id}"
"""Where a signer without an inbox sees and signs it, after an e-ID login proving who they are."""


def signing_link(public_url: str, request_id: uuid.UUID, signer: Signer) -> str:
    page = SIGNING_PAGE if signer.recipient_id is not None else E_ID_SIGNING_PAGE
    return public_url.rstrip("/") + page.format(request_id=request_id)


def invitation_text(sender_name: str, subject: str | None, link: str, *, in_inbox: bool) -> tuple[str, str]:
    what = f"“{subject}”" if subject else "a document"
    where = "in your inbox (you sign in with your e-ID)" if in_inbox else "with your e-ID"
    text = (
        f"{sender_name} asks you to sign {what}.\n\n"
        f"Read and sign it {where}:\n{link}\n\n"
        "When everyone has signed, the signed document is sent to the sender."
    )
    return f"Please sign: {subject or 'a document'}", text


async def _outcome(
    runtime: Runtime, request: SigningRequest, signer: Signer, sender_name: str, subject: str | None
) -> EventDraft:
    link = signing_link(runtime.settings.resolved_public_url, request.id, signer)
    title, text = invitation_text(sender_name, subject, link, in_inbox=signer.recipient_id is not None)
    data_of = {"purpose": "signing", "signer": signer.position}
    try:
        data = await send_by(
            runtime, Channel.EMAIL, signer.email, title, text, key=f"signing.{request.id}.{signer.position}"
        )
    except Rejected as exc:
        failed = {**data_of, "address": signer.email, "reason": exc.reason}
        return EventDraft(
            EventType.NOTIFICATION_FAILED, Channel.EMAIL, failed, invitation_key(signer.position)
        )
    return EventDraft(
        EventType.NOTIFICATION_SENT, Channel.EMAIL, {**data, **data_of}, invitation_key(signer.position)
    )


async def send_invitation(request_id: uuid.UUID, position: int, runtime: Runtime) -> None:
    """E-mail signer ``position`` the link to sign; DeliveryFailed propagates (the job retries)."""
    async with runtime.reader() as uow:
        request = await uow.signing.get(request_id)
        if request is None:
            raise NotFound("signing request", request_id)
        shipment = await uow.shipments.get(request.shipment_id)
        if shipment is None:
            raise NotFound("shipment", request.shipment_id)
        sender = await uow.senders.get(shipment.sender_id)
        done = {e.dedup_key for e in await uow.events.for_shipment(shipment.id)}
    signer = next(s for s in request.signers if s.position == position)
    if invitation_key(position) in done or shipment.status in TERMINAL or signer.signed_at is not None:
        return
    draft = await _outcome(runtime, request, signer, sender.name if sender else "A sender", shipment.subject)
    await record_events_for(runtime, shipment.id, [draft])


async def give_up_invitation(request_id: uuid.UUID, position: int, runtime: Runtime, error: str) -> None:
    async with runtime.reader() as uow:
        request = await uow.signing.get(request_id)
    if request is None:
        return
    data = {"purpose": "signing", "signer": position, "reason": error}
    draft = EventDraft(EventType.NOTIFICATION_FAILED, Channel.EMAIL, data, invitation_key(position))
    await record_events_for(runtime, request.shipment_id, [draft])

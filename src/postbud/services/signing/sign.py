"""A signer signs the document (in their inbox, or on the signing page after an e-ID login): one
``signed`` event, in the letter's transaction.

The letter's row is locked first, so two signers signing at once take turns and exactly one of them
sees that everyone has signed; that one queues ``signing.complete`` in the same transaction.
"""

from __future__ import annotations

import uuid

from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.signing import SignerLogin, SigningRequest, signed_key, signer_who_may_sign
from postbud.domain.status import TERMINAL
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds


def completion_job_key(request_id: uuid.UUID) -> str:
    return f"signing-complete:{request_id}"


async def sign_document(
    runtime: Runtime, request_id: uuid.UUID, who: SignerLogin, *, proven_name: str | None = None
) -> SigningRequest:
    """Sign as ``who``; NotPermitted for anyone who is not one of its signers. ``proven_name``: the
    name an e-ID login proved, which the signature then carries (as a bank e-ID's would)."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        found = await uow.signing.get(request_id)
        if found is None:
            raise NotFound("signing request", request_id)
        shipment = await uow.shipments.get(found.shipment_id, for_update=True)
        request = await uow.signing.get(request_id)  # as it is now that the letter is ours
        if shipment is None or request is None:
            raise NotFound("signing request", request_id)
        signer = signer_who_may_sign(request, who)
        if shipment.status in TERMINAL:
            raise Conflict("signing", f"the letter is {shipment.status.value}", ConflictCode.WRONG_STATE)
        name = proven_name or signer.name
        await uow.signing.mark_signed(request.id, signer.position, at=now, name=name)
        data = {
            "signer": signer.position,
            "party": str(signer.party),
            "name": name,
            "by": "inbox" if isinstance(who, uuid.UUID) else "e-id",
            "issuer": signer.issuer,
            "document_sha256": request.document_sha256,
        }
        await record_events(
            uow, shipment, [EventDraft(EventType.SIGNED, None, data, signed_key(signer.position))], now=now
        )
        others = [s for s in request.signers if s.position != signer.position]
        if all(s.signed_at is not None for s in others):
            await uow.jobs.enqueue(
                job_kinds.SIGNING_COMPLETE,
                {"request_id": str(request.id)},
                now=now,
                idempotency_key=completion_job_key(request.id),
            )
        signed = await uow.signing.get(request_id)
    runtime.jobs_available()
    assert signed is not None
    return signed

"""A letter to be signed is released: its signers are invited instead of the letter being carried.

The letter's channel (e-mail to the party that asked for the signatures) carries it only when all
have signed (``complete.py``). Releasing it marks the request open and queues one invitation per
signer, in one transaction and once: a repeated release finds it open and queues nothing.
"""

from __future__ import annotations

import uuid

from postbud.domain.status import TERMINAL
from postbud.services.runtime import Runtime
from postbud.storage import job_kinds


def invitation_job_key(request_id: uuid.UUID, position: int) -> str:
    return f"signing-invite:{request_id}:{position}"


async def carried_by_signing(shipment_id: uuid.UUID, runtime: Runtime) -> bool:
    """Whether the letter waits for signatures (its delivery is then the signing's); invites its
    signers the first time."""
    async with runtime.reader() as reader:  # most e-mail letters have none: no write lock for them
        if await reader.signing.for_shipment(shipment_id) is None:
            return False
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        request = await uow.signing.for_shipment(shipment_id)
        if request is None:
            return False
        shipment = await uow.shipments.get(shipment_id, for_update=True)
        if shipment is None or shipment.status in TERMINAL or request.completed_at is not None:
            return True
        if await uow.signing.mark_opened(request.id, now=now):
            for signer in request.signers:
                await uow.jobs.enqueue(
                    job_kinds.SIGNING_INVITE,
                    {"request_id": str(request.id), "position": signer.position},
                    now=now,
                    idempotency_key=invitation_job_key(request.id, signer.position),
                )
    runtime.jobs_available()
    return True

"""What a signer sees in the inbox: the documents they are asked to sign, and one of them.

Only a signer of a request sees it — signed in to their inbox, or proven by an e-ID login to be the
person it names: anyone else gets NotFound, as for a letter that is not theirs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from postbud.domain.documents import Document
from postbud.domain.errors import NotFound
from postbud.domain.signing import Signer, SignerLogin, SigningRequest
from postbud.domain.status import TERMINAL, ShipmentStatus
from postbud.services.runtime import Runtime
from postbud.storage.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class SigningTask:
    request: SigningRequest
    signer: Signer
    """The person looking at it."""
    sender_name: str
    subject: str | None
    document: Document
    letter_status: ShipmentStatus

    @property
    def done(self) -> bool:
        return self.request.completed_at is not None

    @property
    def may_sign(self) -> bool:
        """This person has yet to sign, and the letter still waits for signatures (not cancelled)."""
        return self.signer.signed_at is None and not self.done and self.letter_status not in TERMINAL


async def tasks_of(runtime: Runtime, recipient_id: uuid.UUID) -> list[SigningTask]:
    """Every released request this person signs, newest first."""
    async with runtime.reader() as uow:
        requests = await uow.signing.for_signer(recipient_id)
        tasks = []
        for request in requests:
            tasks.append(await _task(uow, request, recipient_id))
    return tasks


async def task_of(runtime: Runtime, request_id: uuid.UUID, who: SignerLogin) -> SigningTask:
    async with runtime.reader() as uow:
        request = await uow.signing.get(request_id)
        if request is None or request.opened_at is None or request.signer_logged_in_as(who) is None:
            raise NotFound("signing request", request_id)
        return await _task(uow, request, who)


async def _task(uow: SqlUnitOfWork, request: SigningRequest, who: SignerLogin) -> SigningTask:
    shipment = await uow.shipments.get(request.shipment_id)
    sender = await uow.senders.get(request.sender_id)
    if shipment is None:
        raise NotFound("signing request", request.id)
    signer = request.signer_logged_in_as(who)
    assert signer is not None
    document = next(d for d in shipment.documents if d.position == 0)
    return SigningTask(
        request, signer, sender.name if sender else "", shipment.subject, document, shipment.status
    )


async def document_of(
    runtime: Runtime, request_id: uuid.UUID, who: SignerLogin, *, signed: bool
) -> tuple[bytes, SigningTask]:
    """The document to sign, or (``signed``) the signed one once it exists, for a signer only."""
    task = await task_of(runtime, request_id, who)
    sha256 = task.request.signed_sha256 if signed else task.request.document_sha256
    if sha256 is None:
        raise NotFound("signed document", request_id)
    return await runtime.blobs.get(sha256), task


async def waiting_for(runtime: Runtime, recipient_id: uuid.UUID) -> int:
    """How many released documents still wait for this person's signature (the inbox shows it)."""
    return sum(task.may_sign for task in await tasks_of(runtime, recipient_id))

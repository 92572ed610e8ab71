"""Use cases of EDI: register a sender (and invite the receiver it names), list a customer's
invitations, and move them along as the sandbox's EDI operator does.

Each invitation moves by ``domain.edi.next_step`` on the business clock: a durable job is due at
the time of its next status (``edi.invitation.advance``), and asking for an updated list catches
up every step that is due by then, so the two never disagree. Each status is an appended event,
written in the transaction that moves the invitation, with the job of the next step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Final

from postbud.domain.edi import (
    FINAL,
    EdiInvitation,
    EdiSender,
    EdiSenderDetails,
    InvitationStatus,
    next_step,
    sandbox_outcome,
    validate_sender,
)
from postbud.domain.ids import new_id
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job, job_row
from postbud.storage.unit_of_work import SqlUnitOfWork

__all__ = [
    "ADVANCE_JOB",
    "EdiInvitation",
    "EdiSender",
    "EdiSenderDetails",
    "InvitationStatus",
    "RegisteredSender",
    "advance_invitation",
    "invitations_of",
    "register_edi_sender",
    "run_advance_job",
]

ADVANCE_JOB: Final = "edi.invitation.advance"


@dataclass(frozen=True, slots=True)
class RegisteredSender:
    sender: EdiSender
    invitation: EdiInvitation | None
    """The invitation to the receiver the sender named by GLN; None when it named none."""


async def _advance(uow: SqlUnitOfWork, invitation: EdiInvitation, runtime: Runtime) -> EdiInvitation:
    """Every step that is due now, each with its event; then the job of the next one."""
    edi_sender = await uow.edi.sender(invitation.edi_sender_id)
    if edi_sender is None:
        return invitation
    outcome = sandbox_outcome(invitation.receiver_gln, edi_sender.details.can_be_paid)
    now = runtime.clock.now()
    while (step := next_step(invitation.status, outcome)) is not None:
        due = invitation.status_changed_at + step.after
        if due > now:
            key = f"{ADVANCE_JOB}:{invitation.id}:{step.status.value}"
            job = job_row(
                ADVANCE_JOB, {"invitation_id": str(invitation.id)}, now=now, run_at=due, idempotency_key=key
            )
            await uow.edi.schedule_once(job)
            break
        sent = step.status is InvitationStatus.SENT
        if not await uow.edi.advance(invitation, step.status, due, sent=sent):
            break
        date_sent = due if sent else invitation.date_sent
        invitation = replace(invitation, status=step.status, status_changed_at=due, date_sent=date_sent)
    return invitation


async def register_edi_sender(
    sender_id: uuid.UUID, details: EdiSenderDetails, runtime: Runtime
) -> RegisteredSender:
    """Check the details and store the EDI sender; when it names a receiver's GLN, the invitation
    to it too (registered, and sent at once), with the job of its next step."""
    checked = validate_sender(details)
    now = runtime.clock.now()
    edi_sender = EdiSender(new_id(), sender_id, checked, now)
    invitation = None
    async with runtime.unit_of_work() as uow:
        await uow.edi.add_sender(edi_sender)
        if checked.gln is not None:
            invitation = EdiInvitation(
                id=new_id(),
                sender_id=sender_id,
                edi_sender_id=edi_sender.id,
                receiver_cin=None,
                receiver_gln=checked.gln,
                status=InvitationStatus.REGISTERED,
                date_sent=None,
                status_changed_at=now,
                created_at=now,
            )
            await uow.edi.add_invitation(invitation)
            invitation = await _advance(uow, invitation, runtime)
    runtime.jobs_available()
    return RegisteredSender(edi_sender, invitation)


async def advance_invitation(invitation_id: uuid.UUID, runtime: Runtime) -> None:
    """The job: take the invitation through every step due by now (idempotent)."""
    async with runtime.unit_of_work() as uow:
        invitation = await uow.edi.invitation(invitation_id)
        if invitation is not None and invitation.status not in FINAL:
            await _advance(uow, invitation, runtime)


async def invitations_of(
    sender_id: uuid.UUID, runtime: Runtime, *, update: bool = False
) -> list[EdiInvitation]:
    """A customer's invitations, oldest first; ``update``: first ask the operator for news (in the
    sandbox: every step due by the business clock is taken now)."""
    if update:
        async with runtime.unit_of_work() as uow:
            for invitation in await uow.edi.invitations(sender_id, open_only=True):
                await _advance(uow, invitation, runtime)
    async with runtime.reader() as uow:
        return await uow.edi.invitations(sender_id)


async def run_advance_job(job: Job, runtime: Runtime) -> None:
    await advance_invitation(uuid.UUID(job.payload["invitation_id"]), runtime)

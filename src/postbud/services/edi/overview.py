"""What an operator sees of EDI: each customer's EDI senders, their invitations and each
invitation's statuses with their times, newest sender first."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from postbud.domain.edi import EdiInvitation, EdiSender, InvitationStatus
from postbud.services.runtime import Runtime

__all__ = ["EdiSenderView", "InvitationView", "edi_customers", "edi_overview"]


@dataclass(frozen=True, slots=True)
class InvitationView:
    invitation: EdiInvitation
    history: list[tuple[InvitationStatus, datetime]]


@dataclass(frozen=True, slots=True)
class EdiSenderView:
    sender: EdiSender
    customer_name: str
    customer_orgnr: str
    invitations: list[InvitationView]


async def edi_overview(runtime: Runtime, customer_id: uuid.UUID | None = None) -> list[EdiSenderView]:
    """Every customer's EDI senders (or one customer's), newest first, with their invitations."""
    async with runtime.reader() as uow:
        senders = await uow.edi.senders(customer_id)
        invitations = await uow.edi.invitations(customer_id)
        histories = await uow.edi.histories([i.id for i in invitations])
        by_sender: dict[uuid.UUID, list[InvitationView]] = defaultdict(list)
        for invitation in invitations:
            by_sender[invitation.edi_sender_id].append(InvitationView(invitation, histories[invitation.id]))
        customers = {s.id: s for s in await uow.senders.list()}
    views = []
    for sender in senders:
        customer = customers.get(sender.sender_id)
        views.append(
            EdiSenderView(
                sender=sender,
                customer_name=customer.name if customer else "",
                customer_orgnr=customer.organisation_number if customer else "",
                invitations=by_sender.get(sender.id, []),
            )
        )
    return views


async def edi_customers(runtime: Runtime) -> list[tuple[uuid.UUID, str]]:
    """The customers that registered an EDI sender (id, name), by name: the page's filter."""
    async with runtime.reader() as uow:
        having = {s.sender_id for s in await uow.edi.senders()}
        return sorted(
            ((s.id, s.name) for s in await uow.senders.list() if s.id in having), key=lambda c: c[1]
        )

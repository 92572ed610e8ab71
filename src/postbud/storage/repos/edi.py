"""EDI senders, their invitations and each invitation's statuses (appended, each once)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.edi import FINAL, EdiInvitation, EdiSender, EdiSenderDetails, InvitationStatus
from postbud.domain.ids import new_id
from postbud.storage import schema


def _sender(row: Any) -> EdiSender:
    details = EdiSenderDetails(name=row.name, cin=row.cin, gln=row.gln, **dict(row.details or {}))
    return EdiSender(id=row.id, sender_id=row.sender_id, details=details, created_at=row.created_at)


def _invitation(row: Any) -> EdiInvitation:
    return EdiInvitation(
        id=row.id,
        sender_id=row.sender_id,
        edi_sender_id=row.edi_sender_id,
        receiver_cin=row.receiver_cin,
        receiver_gln=row.receiver_gln,
        status=InvitationStatus(row.status),
        date_sent=row.date_sent,
        status_changed_at=row.status_changed_at,
        created_at=row.created_at,
    )


class EdiRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add_sender(self, sender: EdiSender) -> None:
        d = sender.details
        await self._conn.execute(
            insert(schema.edi_senders).values(
                id=sender.id,
                sender_id=sender.sender_id,
                name=d.name,
                cin=d.cin,
                gln=d.gln,
                details=d.extras(),
                created_at=sender.created_at,
            )
        )

    async def add_invitation(self, invitation: EdiInvitation) -> None:
        """The invitation and the event of its first status."""
        await self._conn.execute(
            insert(schema.edi_invitations).values(
                id=invitation.id,
                sender_id=invitation.sender_id,
                edi_sender_id=invitation.edi_sender_id,
                receiver_cin=invitation.receiver_cin,
                receiver_gln=invitation.receiver_gln,
                status=invitation.status.value,
                date_sent=invitation.date_sent,
                status_changed_at=invitation.status_changed_at,
                created_at=invitation.created_at,
            )
        )
        await self._event(invitation.id, invitation.status, invitation.created_at)

    async def _event(self, invitation_id: uuid.UUID, status: InvitationStatus, at: datetime) -> None:
        await self._conn.execute(
            insert(schema.edi_invitation_events).values(
                id=new_id(), invitation_id=invitation_id, status=status.value, at=at, data={}
            )
        )

    async def sender(self, edi_sender_id: uuid.UUID) -> EdiSender | None:
        s = schema.edi_senders
        row = (await self._conn.execute(select(s).where(s.c.id == edi_sender_id))).first()
        return _sender(row) if row is not None else None

    async def senders(self, sender_id: uuid.UUID | None = None, *, limit: int = 500) -> list[EdiSender]:
        """Newest first; of one customer if asked."""
        s = schema.edi_senders
        query = select(s).order_by(s.c.created_at.desc(), s.c.id.desc()).limit(limit)
        if sender_id is not None:
            query = query.where(s.c.sender_id == sender_id)
        return [_sender(row) for row in await self._conn.execute(query)]

    async def invitation(self, invitation_id: uuid.UUID) -> EdiInvitation | None:
        i = schema.edi_invitations
        row = (await self._conn.execute(select(i).where(i.c.id == invitation_id))).first()
        return _invitation(row) if row is not None else None

    async def invitations(
        self, sender_id: uuid.UUID | None = None, *, open_only: bool = False, limit: int = 1000
    ) -> list[EdiInvitation]:
        """Oldest first (the order they were sent in); of one customer if asked."""
        i = schema.edi_invitations
        query = select(i).order_by(i.c.created_at, i.c.id).limit(limit)
        if sender_id is not None:
            query = query.where(i.c.sender_id == sender_id)
        if open_only:
            query = query.where(i.c.status.not_in([s.value for s in FINAL]))
        return [_invitation(row) for row in await self._conn.execute(query)]

    async def advance(
        self, invitation: EdiInvitation, status: InvitationStatus, at: datetime, *, sent: bool = False
    ) -> bool:
        """Move it from the status it has to ``status`` with its event; False when it had moved already."""
        i = schema.edi_invitations.c
        values: dict[str, Any] = {"status": status.value, "status_changed_at": at}
        if sent:
            values["date_sent"] = at
        moved = await self._conn.execute(
            update(schema.edi_invitations)
            .where(i.id == invitation.id, i.status == invitation.status.value)
            .values(**values)
        )
        if moved.rowcount != 1:
            return False
        await self._event(invitation.id, status, at)
        return True

    async def history(self, invitation_id: uuid.UUID) -> list[tuple[InvitationStatus, datetime]]:
        e = schema.edi_invitation_events.c
        query = select(e.status, e.at).where(e.invitation_id == invitation_id).order_by(e.at, e.id)
        return [(InvitationStatus(row.status), row.at) for row in await self._conn.execute(query)]

    async def histories(
        self, invitation_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[tuple[InvitationStatus, datetime]]]:
        """The statuses of many invitations in one query, each oldest first."""
        found: dict[uuid.UUID, list[tuple[InvitationStatus, datetime]]] = {i: [] for i in invitation_ids}
        if not invitation_ids:
            return found
        e = schema.edi_invitation_events.c
        query = (
            select(e.invitation_id, e.status, e.at)
            .where(e.invitation_id.in_(list(invitation_ids)))
            .order_by(e.invitation_id, e.at, e.id)
        )
        for row in await self._conn.execute(query):
            found[row.invitation_id].append((InvitationStatus(row.status), row.at))
        return found

    async def schedule_once(self, job: dict[str, Any]) -> bool:
        """Insert the job unless one with its idempotency key exists; True if inserted."""
        j = schema.jobs.c
        if await self._conn.scalar(select(exists().where(j.idempotency_key == job["idempotency_key"]))):
            return False
        await self._conn.execute(insert(schema.jobs).values(**job))
        return True

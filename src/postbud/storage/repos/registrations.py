"""Letters waiting for their recipient to register a digital mailbox: stored form and look-ups.

The registration request is kept in the shipment's ``request`` document. A waiting letter is
``scheduled`` without a channel (letters held for a batch or a publish time already have one),
and is found by the recipient's party id, which is stored even when the person was unknown.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.shipments import RegistrationRequest
from postbud.domain.status import ShipmentStatus
from postbud.storage import schema


def registration_to_json(registration: RegistrationRequest | None) -> dict[str, Any] | None:
    if registration is None:
        return None
    return {
        "deadline": registration.deadline.isoformat(),
        "mobile": registration.mobile,
        "email": registration.email,
    }


def registration_from_json(data: dict[str, Any] | None) -> RegistrationRequest | None:
    if not data:
        return None
    return RegistrationRequest(
        deadline=datetime.fromisoformat(data["deadline"]),
        mobile=data.get("mobile"),
        email=data.get("email"),
    )


class RegistrationRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def waiting_for(self, party_id: str) -> list[uuid.UUID]:
        """The letters waiting for this party (``str(PartyId)``) to register, oldest first."""
        s = schema.shipments.c
        query = (
            select(s.id)
            .where(
                s.status == ShipmentStatus.SCHEDULED.value,
                s.channel.is_(None),
                s.recipient_party == party_id,
            )
            .order_by(s.created_at)
        )
        return [row.id for row in await self._conn.execute(query)]

    async def existing_job_keys(self, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        if not wanted:
            return set()
        j = schema.jobs.c
        query = select(j.idempotency_key).where(j.idempotency_key.in_(wanted))
        return {row.idempotency_key for row in await self._conn.execute(query)}

    async def attach_recipient(
        self, shipment_id: uuid.UUID, recipient_id: uuid.UUID, *, now: datetime
    ) -> None:
        """Give a letter sent to a then unknown person their recipient row, so their inbox shows it."""
        await self._conn.execute(
            update(schema.shipments)
            .where(schema.shipments.c.id == shipment_id)
            .values(recipient_id=recipient_id, updated_at=now)
        )

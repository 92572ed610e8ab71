"""Which letters name a stand-alone attachment (Altinn's ``correspondenceIds`` of an attachment)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from postbud.services.runtime import Runtime
from postbud.storage import schema


async def letters_naming(attachment_id: uuid.UUID, runtime: Runtime) -> list[uuid.UUID]:
    """The letters whose documents are this attachment, purged ones included, oldest first."""
    d = schema.documents.c
    s = schema.shipments.c
    query = (
        select(d.shipment_id)
        .join(schema.shipments, s.id == d.shipment_id)
        .where(d.attachment_id == attachment_id)
        .order_by(s.created_at, s.id)
    )
    async with runtime.reader() as uow:
        return [row[0] for row in await uow.conn.execute(query)]

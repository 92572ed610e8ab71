"""A letter's terms: its due date, whether it must be confirmed, and its documents' expiry."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.letter_terms import DocumentExpiry, LetterTerms
from postbud.storage import schema
from postbud.storage.writeset import WriteSet, apply


def terms_rows(terms: LetterTerms, ws: WriteSet, *, now: datetime) -> None:
    """Add the rows that store ``terms`` to ``ws`` (the letter's own rows may be in it too)."""
    ws.add(
        schema.letter_terms,
        {
            "shipment_id": terms.shipment_id,
            "due_at": terms.due_at,
            "needs_confirmation": terms.needs_confirmation,
            "created_at": now,
        },
    )
    for expiry in terms.document_expiry:
        ws.add(
            schema.letter_document_expiry,
            {
                "shipment_id": terms.shipment_id,
                "document_id": expiry.document_id,
                "expires_at": expiry.expires_at,
            },
        )


class LetterTermsRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, terms: LetterTerms, *, now: datetime) -> None:
        ws = WriteSet()
        terms_rows(terms, ws, now=now)
        await apply(self._conn, [ws])

    async def get(self, shipment_id: uuid.UUID) -> LetterTerms | None:
        """The letter's terms; None when its sender asked nothing of the recipient."""
        t, x = schema.letter_terms.c, schema.letter_document_expiry.c
        row = (
            await self._conn.execute(select(schema.letter_terms).where(t.shipment_id == shipment_id))
        ).first()
        expiries = await self._conn.execute(
            select(x.document_id, x.expires_at).where(x.shipment_id == shipment_id).order_by(x.expires_at)
        )
        document_expiry = tuple(DocumentExpiry(r.document_id, r.expires_at) for r in expiries)
        if row is None and not document_expiry:
            return None
        return LetterTerms(
            shipment_id=shipment_id,
            due_at=row.due_at if row else None,
            needs_confirmation=bool(row.needs_confirmation) if row else False,
            document_expiry=document_expiry,
        )

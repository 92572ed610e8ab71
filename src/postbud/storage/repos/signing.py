"""Signing requests: a letter's document, who must sign it, and who has."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.identifiers import parse_party_id
from postbud.domain.signing import Signer, SigningRequest
from postbud.storage import schema
from postbud.storage.writeset import WriteSet

_R = schema.signing_requests.c
_S = schema.signing_signers.c


def signing_rows(request: SigningRequest, ws: WriteSet) -> None:
    """The request and its signers, into the write set that closes the letter."""
    ws.add(
        schema.signing_requests,
        {
            "id": request.id,
            "shipment_id": request.shipment_id,
            "sender_id": request.sender_id,
            "info_email": request.info_email,
            "document_sha256": request.document_sha256,
            "created_at": request.created_at,
            "opened_at": None,
            "signed_sha256": None,
            "completed_at": None,
        },
    )
    for signer in request.signers:
        ws.add(
            schema.signing_signers,
            {
                "request_id": request.id,
                "position": signer.position,
                "party": str(signer.party),
                "recipient_id": signer.recipient_id,
                "name": signer.name,
                "email": signer.email,
                "issuer": signer.issuer,
                "signed_at": None,
            },
        )


def _signer(row: Any) -> Signer:
    return Signer(
        position=row.position,
        party=parse_party_id(row.party),
        recipient_id=row.recipient_id,
        name=row.name,
        email=row.email,
        issuer=bool(row.issuer),
        signed_at=row.signed_at,
    )


def _request(row: Any, signers: Sequence[Signer]) -> SigningRequest:
    return SigningRequest(
        id=row.id,
        shipment_id=row.shipment_id,
        sender_id=row.sender_id,
        info_email=row.info_email,
        document_sha256=row.document_sha256,
        signers=tuple(signers),
        created_at=row.created_at,
        opened_at=row.opened_at,
        signed_sha256=row.signed_sha256,
        completed_at=row.completed_at,
    )


class SigningRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def _with_signers(self, rows: Sequence[Any]) -> list[SigningRequest]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        query = (
            select(schema.signing_signers).where(_S.request_id.in_(ids)).order_by(_S.request_id, _S.position)
        )
        by_request: dict[uuid.UUID, list[Signer]] = {}
        for row in await self._conn.execute(query):
            by_request.setdefault(row.request_id, []).append(_signer(row))
        return [_request(row, by_request.get(row.id, [])) for row in rows]

    async def get(self, request_id: uuid.UUID) -> SigningRequest | None:
        rows = list(await self._conn.execute(select(schema.signing_requests).where(_R.id == request_id)))
        found = await self._with_signers(rows)
        return found[0] if found else None

    async def for_shipment(self, shipment_id: uuid.UUID) -> SigningRequest | None:
        query = select(schema.signing_requests).where(_R.shipment_id == shipment_id)
        found = await self._with_signers(list(await self._conn.execute(query)))
        return found[0] if found else None

    async def for_signer(self, recipient_id: uuid.UUID) -> list[SigningRequest]:
        """The requests this person is a signer of and may see (released), newest first."""
        mine = select(_S.request_id).where(_S.recipient_id == recipient_id)
        query = (
            select(schema.signing_requests)
            .where(_R.id.in_(mine), _R.opened_at.is_not(None))
            .order_by(_R.opened_at.desc(), _R.id)
        )
        return await self._with_signers(list(await self._conn.execute(query)))

    async def mark_opened(self, request_id: uuid.UUID, *, now: datetime) -> bool:
        """Released for signing; False if it was already."""
        result = await self._conn.execute(
            update(schema.signing_requests)
            .where(_R.id == request_id, _R.opened_at.is_(None))
            .values(opened_at=now)
        )
        return bool(result.rowcount)

    async def mark_signed(self, request_id: uuid.UUID, position: int, *, at: datetime, name: str) -> bool:
        """The signer's signature, under the name they signed with; False if they had signed already."""
        result = await self._conn.execute(
            update(schema.signing_signers)
            .where(_S.request_id == request_id, _S.position == position, _S.signed_at.is_(None))
            .values(signed_at=at, name=name)
        )
        return bool(result.rowcount)

    async def set_signed_document(self, request_id: uuid.UUID, sha256: str) -> None:
        await self._conn.execute(
            update(schema.signing_requests)
            .where(_R.id == request_id, _R.signed_sha256.is_(None))
            .values(signed_sha256=sha256)
        )

    async def mark_completed(self, request_id: uuid.UUID, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.signing_requests)
            .where(_R.id == request_id, _R.completed_at.is_(None))
            .values(completed_at=now)
        )

"""Senders' per-dialect credentials (``sender_credentials``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.sender_credentials import CredentialKind, SenderCredential
from postbud.storage import schema

_c = schema.sender_credentials.c


def _credential(row: RowMapping) -> SenderCredential:
    return SenderCredential(
        id=row["id"],
        sender_id=row["sender_id"],
        dialect=row["dialect"],
        kind=CredentialKind(row["kind"]),
        identifier=row["identifier"],
        created_at=row["created_at"],
        data=dict(row["data"] or {}),
        secret_hash=row["secret_hash"],
        revoked_at=row["revoked_at"],
    )


class CredentialRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, credential: SenderCredential) -> None:
        """Raises IntegrityError when a live credential of this dialect and kind has the identifier."""
        await self._conn.execute(
            schema.sender_credentials.insert().values(
                id=credential.id,
                sender_id=credential.sender_id,
                dialect=credential.dialect,
                kind=credential.kind.value,
                identifier=credential.identifier,
                secret_hash=credential.secret_hash,
                data=credential.data,
                created_at=credential.created_at,
                revoked_at=credential.revoked_at,
            )
        )

    async def live(self, dialect: str, kind: CredentialKind, identifier: str) -> SenderCredential | None:
        query = select(schema.sender_credentials).where(
            _c.dialect == dialect, _c.kind == kind.value, _c.identifier == identifier, _c.revoked_at.is_(None)
        )
        row = (await self._conn.execute(query)).mappings().first()
        return _credential(row) if row else None

    async def get(self, credential_id: uuid.UUID) -> SenderCredential | None:
        query = select(schema.sender_credentials).where(_c.id == credential_id)
        row = (await self._conn.execute(query)).mappings().first()
        return _credential(row) if row else None

    async def of_sender(
        self, sender_id: uuid.UUID, *, dialect: str | None = None, include_revoked: bool = False
    ) -> list[SenderCredential]:
        query = select(schema.sender_credentials).where(_c.sender_id == sender_id)
        if dialect is not None:
            query = query.where(_c.dialect == dialect)
        if not include_revoked:
            query = query.where(_c.revoked_at.is_(None))
        query = query.order_by(_c.dialect, _c.kind, _c.created_at)
        return [_credential(r) for r in (await self._conn.execute(query)).mappings()]

    async def revoke(self, credential_id: uuid.UUID, *, at: datetime) -> bool:
        """False if it was revoked already (or does not exist)."""
        result = await self._conn.execute(
            update(schema.sender_credentials)
            .where(_c.id == credential_id, _c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return bool(result.rowcount)

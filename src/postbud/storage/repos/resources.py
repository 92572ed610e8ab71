"""The resource registry (``resources``): Altinn resource ids and what they stand for."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.resources import Resource
from postbud.storage import schema

_r = schema.resources.c


# A resource with its owner's organisation number, which is how tokens and people name the owner.
_WITH_OWNER = select(schema.resources, schema.senders.c.organisation_number).join(
    schema.senders, schema.senders.c.id == _r.owner_sender_id
)


def _resource(row: Mapping[Any, Any]) -> Resource:
    return Resource(
        id=row["id"],
        owner_sender_id=row["owner_sender_id"],
        owner_organisation_number=row["organisation_number"],
        created_at=row["created_at"],
        titles=dict(row["titles"] or {}),
        confidential=row["confidential"],
        min_auth_level=row["min_auth_level"],
    )


# Shared with storage/hot_reads_send_many.py, which runs it as a prepared statement.
RESOURCE_BY_ID = _WITH_OWNER.where(_r.id == bindparam("resource_id"))
resource_from_row = _resource


class ResourceRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def add(self, resource: Resource) -> None:
        """Raises IntegrityError if the id is taken."""
        await self._conn.execute(
            schema.resources.insert().values(
                id=resource.id,
                owner_sender_id=resource.owner_sender_id,
                titles=dict(resource.titles),
                confidential=resource.confidential,
                min_auth_level=resource.min_auth_level,
                created_at=resource.created_at,
                updated_at=resource.created_at,
            )
        )

    async def update(self, resource: Resource, *, now: datetime) -> None:
        await self._conn.execute(
            update(schema.resources)
            .where(_r.id == resource.id)
            .values(
                owner_sender_id=resource.owner_sender_id,
                titles=dict(resource.titles),
                confidential=resource.confidential,
                min_auth_level=resource.min_auth_level,
                updated_at=now,
            )
        )

    async def get(self, resource_id: str) -> Resource | None:
        row = (await self._conn.execute(_WITH_OWNER.where(_r.id == resource_id))).mappings().first()
        return _resource(row) if row else None

    async def list(self, *, owner_sender_id: uuid.UUID | None = None) -> builtins.list[Resource]:
        query = _WITH_OWNER.order_by(_r.id)
        if owner_sender_id is not None:
            query = query.where(_r.owner_sender_id == owner_sender_id)
        return [_resource(r) for r in (await self._conn.execute(query)).mappings()]

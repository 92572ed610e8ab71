"""A sender's archives and the documents in them, with their attributes.

A page of an archive is ordered by (archived_at, id) and continues after the last document of the
page before, so paging costs the same at any depth and a document archived meanwhile is never
shown twice. Attribute filters are one EXISTS per attribute on the attributes table.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.archives import Archive, ArchivedDocument, Attributes, DocumentChange, DocumentFilter
from postbud.storage import schema

_A = schema.archives.c
_D = schema.archive_documents.c
_T = schema.archive_document_attributes.c


def _archive(row: Any) -> Archive:
    return Archive(row.id, row.sender_id, row.name, row.created_at)


class ArchiveRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    # --- archives ----------------------------------------------------------------------------------

    async def for_sender(self, sender_id: uuid.UUID) -> list[Archive]:
        query = select(schema.archives).where(_A.sender_id == sender_id).order_by(_A.name_key)
        return [_archive(row) for row in await self._conn.execute(query)]

    async def get(self, archive_id: uuid.UUID) -> Archive | None:
        row = (await self._conn.execute(select(schema.archives).where(_A.id == archive_id))).first()
        return _archive(row) if row else None

    async def named(self, sender_id: uuid.UUID, name: str | None) -> Archive | None:
        query = select(schema.archives).where(_A.sender_id == sender_id, _A.name_key == (name or ""))
        row = (await self._conn.execute(query)).first()
        return _archive(row) if row else None

    async def add(self, archive: Archive) -> None:
        await self._conn.execute(
            schema.archives.insert().values(
                id=archive.id,
                sender_id=archive.sender_id,
                name=archive.name,
                name_key=archive.name or "",
                created_at=archive.created_at,
            )
        )

    # --- documents ---------------------------------------------------------------------------------

    async def add_documents(self, documents: Sequence[ArchivedDocument]) -> None:
        if not documents:
            return
        await self._conn.execute(
            schema.archive_documents.insert(),
            [
                {
                    "id": d.id,
                    "archive_id": d.archive_id,
                    "sender_id": d.sender_id,
                    "external_id": d.external_id,
                    "file_name": d.file_name,
                    "file_type": d.file_type,
                    "reference_id": d.reference_id,
                    "content_type": d.content_type,
                    "sha256": d.sha256,
                    "size": d.size,
                    "archived_at": d.archived_at,
                    "deletion_at": d.deletion_at,
                }
                for d in documents
            ],
        )
        await self._insert_attributes([(d.id, d.attributes) for d in documents])

    async def _insert_attributes(self, rows: Sequence[tuple[uuid.UUID, Attributes]]) -> None:
        values = [
            {"document_id": document_id, "position": position, "key": key, "value": value}
            for document_id, attributes in rows
            for position, (key, value) in enumerate(attributes)
        ]
        if values:
            await self._conn.execute(schema.archive_document_attributes.insert(), values)

    async def _attributes(self, document_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Attributes]:
        if not document_ids:
            return {}
        query = (
            select(_T.document_id, _T.key, _T.value)
            .where(_T.document_id.in_(list(document_ids)))
            .order_by(_T.document_id, _T.position)
        )
        found: dict[uuid.UUID, list[tuple[str, str]]] = {}
        for row in await self._conn.execute(query):
            found.setdefault(row.document_id, []).append((row.key, row.value))
        return {key: tuple(value) for key, value in found.items()}

    async def _documents(
        self, where: ColumnElement[bool], *, now: datetime | None = None, limit: int | None = None
    ) -> list[ArchivedDocument]:
        """``now``: leave out documents whose deletion time has come (they are deleted for the sender)."""
        if now is not None:
            where = and_(where, or_(_D.deletion_at.is_(None), _D.deletion_at > now))
        query = select(schema.archive_documents).where(where).order_by(_D.archived_at, _D.id)
        if limit is not None:
            query = query.limit(limit)
        rows = list(await self._conn.execute(query))
        attributes = await self._attributes([row.id for row in rows])
        return [
            ArchivedDocument(
                row.id,
                row.archive_id,
                row.sender_id,
                row.external_id,
                row.file_name,
                row.file_type,
                row.reference_id,
                row.content_type,
                row.sha256,
                row.size,
                attributes.get(row.id, ()),
                row.archived_at,
                row.deletion_at,
            )
            for row in rows
        ]

    async def by_external_id(
        self, sender_id: uuid.UUID, external_id: str, *, now: datetime
    ) -> ArchivedDocument | None:
        found = await self._documents(and_(_D.sender_id == sender_id, _D.external_id == external_id), now=now)
        return found[0] if found else None

    async def by_reference_id(
        self, sender_id: uuid.UUID, reference_id: str, *, now: datetime
    ) -> list[ArchivedDocument]:
        return await self._documents(
            and_(_D.sender_id == sender_id, _D.reference_id == reference_id), now=now
        )

    async def page(
        self,
        archive_id: uuid.UUID,
        match: DocumentFilter,
        *,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
        now: datetime,
    ) -> list[ArchivedDocument]:
        """Documents of the archive that match, in archived order, after the ``after`` cursor."""
        conditions: list[ColumnElement[bool]] = [_D.archive_id == archive_id]
        for key, value in match.attributes:
            conditions.append(exists().where(_T.document_id == _D.id, _T.key == key, _T.value == value))
        if match.archived_from is not None:
            conditions.append(_D.archived_at >= match.archived_from)
        if match.archived_to is not None:
            conditions.append(_D.archived_at < match.archived_to)
        if after is not None:
            conditions.append(
                or_(
                    _D.archived_at > after[0],
                    and_(_D.archived_at == after[0], _D.id > after[1]),
                )
                if self._conn.dialect.name == "sqlite"
                else tuple_(_D.archived_at, _D.id) > tuple_(after[0], after[1])
            )
        return await self._documents(and_(*conditions), now=now, limit=limit)

    async def update(self, document_id: uuid.UUID, change: DocumentChange) -> None:
        await self._conn.execute(
            update(schema.archive_documents)
            .where(_D.id == document_id)
            .values(
                file_name=change.file_name,
                file_type=change.file_type,
                reference_id=change.reference_id,
                content_type=change.content_type,
                deletion_at=change.deletion_at,
            )
        )
        await self._conn.execute(
            delete(schema.archive_document_attributes).where(_T.document_id == document_id)
        )
        await self._insert_attributes([(document_id, change.attributes)])

    async def delete(self, document_id: uuid.UUID) -> None:
        await self._conn.execute(delete(schema.archive_documents).where(_D.id == document_id))

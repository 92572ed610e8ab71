"""Documents of letters as references to blobs: releasing a letter's, and which blobs anything
still refers to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, union, update
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.attachments import ENDED
from postbud.storage import schema

_ENDED = [status.value for status in ENDED]


class DocumentRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def release_letter(self, shipment_id: uuid.UUID, *, now: datetime) -> list[str]:
        """Mark the letter's documents as no longer needing their blobs; their hashes."""
        d = schema.documents.c
        rows = await self._conn.execute(
            select(d.sha256).where(d.shipment_id == shipment_id, d.released_at.is_(None))
        )
        sha256s = sorted({r[0] for r in rows})
        await self._conn.execute(
            update(schema.documents)
            .where(d.shipment_id == shipment_id, d.released_at.is_(None))
            .values(released_at=now)
        )
        return sha256s

    async def referenced(self, sha256s: Sequence[str]) -> set[str]:
        """Which of ``sha256s`` something still refers to: a document of a letter that was not
        released, a stand-alone attachment not ended, a shared document, a page image, a document
        in a sender's archive."""
        if not sha256s:
            return set()
        wanted = list(sha256s)
        d, a = schema.documents.c, schema.attachments.c
        s, p = schema.shared_documents.c, schema.page_images.c
        query = union(
            select(d.sha256).where(d.sha256.in_(wanted), d.released_at.is_(None)),
            select(a.sha256).where(a.sha256.in_(wanted), a.status.not_in(_ENDED)),
            select(s.sha256).where(s.sha256.in_(wanted)),
            select(p.image_sha256).where(p.image_sha256.in_(wanted)),
            select(schema.archive_documents.c.sha256).where(schema.archive_documents.c.sha256.in_(wanted)),
        )
        return {r[0] for r in await self._conn.execute(query)}

    async def drop_page_images(self, document_sha256s: Sequence[str]) -> list[str]:
        """Forget the page images rendered from these documents; the images' hashes."""
        if not document_sha256s:
            return []
        p = schema.page_images.c
        wanted = list(document_sha256s)
        images = sorted(
            {
                r[0]
                for r in await self._conn.execute(select(p.image_sha256).where(p.document_sha256.in_(wanted)))
            }
        )
        await self._conn.execute(delete(schema.page_images).where(p.document_sha256.in_(wanted)))
        return images

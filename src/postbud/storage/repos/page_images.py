"""Which blob holds the picture of page N of a document at width W (the images live in the blob store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.storage import schema


@dataclass(frozen=True, slots=True)
class PageImage:
    image_sha256: str
    page_count: int
    """Pages in the whole document, learnt when the page was rendered."""


class PageImageRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def get(self, document_sha256: str, page: int, width: int) -> PageImage | None:
        p = schema.page_images.c
        query = select(p.image_sha256, p.page_count).where(
            p.document_sha256 == document_sha256, p.page == page, p.width == width
        )
        row = (await self._conn.execute(query)).first()
        return PageImage(row.image_sha256, row.page_count) if row else None

    async def any_page_count(self, document_sha256: str) -> int | None:
        p = schema.page_images.c
        query = select(p.page_count).where(p.document_sha256 == document_sha256).limit(1)
        return (await self._conn.execute(query)).scalar_one_or_none()

    async def add(
        self, document_sha256: str, page: int, width: int, image: PageImage, *, now: datetime
    ) -> None:
        """Two renderers racing store the same picture; the second insert is a no-op."""
        table = schema.page_images
        insert = postgresql.insert(table) if self._conn.dialect.name == "postgresql" else sqlite.insert(table)
        await self._conn.execute(
            insert.values(
                document_sha256=document_sha256,
                page=page,
                width=width,
                image_sha256=image.image_sha256,
                page_count=image.page_count,
                created_at=now,
            ).on_conflict_do_nothing()
        )

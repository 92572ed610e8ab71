"""Use case: pictures of a PDF's pages, rendered on the server with PDFium and kept as blobs.

Browsers differ in how (and whether) they show PDFs inline, and a PDF viewer runs the sender's
file in the recipient's browser; a PNG per page shows every letter the same way everywhere. A
rendered page is stored in the blob store and remembered by (document hash, page, width), so each
picture is drawn once per document content, whoever received it. Rendering runs on a worker
thread, and page sizes are bounded so a hostile PDF cannot ask for a gigapixel bitmap.
"""

from __future__ import annotations

import asyncio
import io

import pypdfium2 as pdfium

from postbud.domain.documents import Document
from postbud.domain.errors import DomainError, NotFound, RuleCode, ValidationFailed
from postbud.services.runtime import Runtime
from postbud.storage.blobs import BlobNotFound
from postbud.storage.repos.page_images import PageImage

WIDTHS = (480, 960, 1440)
"""The widths a page can be drawn at (CSS pixels × density), so the cache stays small."""
DEFAULT_WIDTH = 960
MAX_HEIGHT_RATIO = 4
"""A page taller than this many widths is drawn smaller rather than as an endless strip."""


class PageNotRenderable(DomainError):
    """The document is not a PDF PDFium can read (damaged, encrypted, or not a PDF)."""


def _render(pdf: bytes, page_number: int, width: int) -> tuple[bytes, int]:
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise PageNotRenderable(f"the document cannot be read as a PDF: {exc}") from None
    try:
        count = len(document)
        if not 1 <= page_number <= count:
            raise NotFound("page", page_number)
        page = document[page_number - 1]
        try:
            page_width, page_height = page.get_size()
            scale = width / page_width
            if page_height * scale > width * MAX_HEIGHT_RATIO:
                scale = width * MAX_HEIGHT_RATIO / page_height
            bitmap = page.render(scale=scale, may_draw_forms=True)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", optimize=True)
            return buffer.getvalue(), count
        finally:
            page.close()
    finally:
        document.close()


def _count(pdf: bytes) -> int:
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise PageNotRenderable(f"the document cannot be read as a PDF: {exc}") from None
    try:
        return len(document)
    finally:
        document.close()


def _check(document: Document, width: int) -> None:
    if not document.is_pdf:
        raise PageNotRenderable("only PDF documents have page images")
    if width not in WIDTHS:
        raise ValidationFailed.of("width", f"one of {', '.join(map(str, WIDTHS))}", RuleCode.INVALID)


async def page_count(runtime: Runtime, document: Document) -> int:
    """Pages in a PDF document: from the sender, from an earlier rendering, or by reading it."""
    if not document.is_pdf:
        return 0
    if document.pages:
        return document.pages
    async with runtime.reader() as uow:
        known = await uow.page_images.any_page_count(document.sha256)
    if known is not None:
        return known
    try:
        pdf = await runtime.blobs.get(document.sha256)
    except BlobNotFound:
        raise PageNotRenderable("the document's content is no longer stored") from None
    return await asyncio.to_thread(_count, pdf)


async def page_image(runtime: Runtime, document: Document, page: int, width: int = DEFAULT_WIDTH) -> bytes:
    """A PNG of page ``page`` (from 1) at ``width`` pixels; the caller has checked who may see it."""
    _check(document, width)
    async with runtime.reader() as uow:
        cached = await uow.page_images.get(document.sha256, page, width)
    if cached is not None:
        return await runtime.blobs.get(cached.image_sha256)
    pdf = await runtime.blobs.get(document.sha256)
    png, count = await asyncio.to_thread(_render, pdf, page, width)
    ref = await runtime.blobs.put(png)
    async with runtime.unit_of_work() as uow:
        await uow.page_images.add(
            document.sha256, page, width, PageImage(ref.sha256, count), now=runtime.clock.now()
        )
    return png

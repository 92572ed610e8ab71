"""What a letter built in steps learns from its own content, before it is closed.

An Ekopost envelope names its postal address only inside its PDF (the envelope window of page 1),
which arrives after the envelope was created; its print instructions are completed then. This
module opens the PDF and reads that window (in a worker thread, off the event loop); the revised
draft is stored with the document itself (``AddDraftDocument.revise``), in one write.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

import pikepdf

from postbud.channels.print.geometry import area_of
from postbud.channels.print.preflight import texts_in
from postbud.domain.print_layout import EnvelopeWindow


@dataclass(frozen=True, slots=True)
class PdfFacts:
    """What a print line sees of a PDF before anything else: can it be opened, how many pages."""

    opens: bool
    pages: int
    problems: tuple[str, ...]


def _facts(content: bytes) -> PdfFacts:
    """Opened and its pages counted only: the print house preflights the rest when it prints."""
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            pages = len(pdf.pages)
    except pikepdf.PasswordError:
        return PdfFacts(False, 0, ("the PDF is password protected",))
    except pikepdf.PdfError as exc:
        return PdfFacts(False, 0, (f"not a readable PDF ({type(exc).__name__})",))
    return PdfFacts(True, pages, () if pages else ("the PDF has no pages",))


async def pdf_facts(content: bytes) -> PdfFacts:
    return await asyncio.to_thread(_facts, content)


async def window_text(content: bytes, window: EnvelopeWindow) -> str:
    """The text inside ``window`` on page 1 of a PDF (empty when there is none or it does not open)."""

    def read() -> str:
        try:
            texts = texts_in(content, area_of(window), pages=1)
        except Exception:  # PDFium refuses what it cannot parse; the caller reports "no address"
            return ""
        return texts[0] if texts else ""

    return await asyncio.to_thread(read)

"""Assembling the print-ready PDF: preflight every document, then cover sheet + documents in one.

Duplex letters get a blank back on the cover sheet and on every document with an odd page count,
so each document starts on the front of a fresh sheet (as Digipost's print does: the letter
starts on sheet 2). The output is deterministic for the same input.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace

import pikepdf

from postbud.channels.print.cover_page import CoverPage, render_cover
from postbud.channels.print.geometry import A4_POINTS, NORWEGIAN_C5_WINDOW, Area
from postbud.channels.print.preflight import PreflightResult, preflight, texts_in
from postbud.domain.parties import PostalAddress
from postbud.domain.regional import NORWAY


@dataclass(frozen=True, slots=True)
class PrintOrder:
    letter_id: str
    recipient: PostalAddress | None
    """None only for a protected identity, whose address only the print house holds."""
    documents: tuple[bytes, ...]
    return_address: PostalAddress | None = None
    duplex: bool = True
    cover_page: bool = True
    postage: str = "economy"
    window: Area = NORWEGIAN_C5_WINDOW
    home_country: str = NORWAY.country
    protected_identifier: str | None = None
    """The recipient's identity is protected: the window shows this identifier and no address."""
    reply_form: bytes | None = None
    """The reply-mail form, printed after the documents (a reply envelope goes in with it)."""


@dataclass(frozen=True, slots=True)
class PrintFile:
    pdf: bytes
    pages: int
    """Pages in the print file: cover sheet, documents and blank backs."""
    document_pages: int
    sheets: int


@dataclass(frozen=True, slots=True)
class Refused:
    problems: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


def sides_of(pages: int, duplex: bool) -> int:
    """Printed sides a part takes: its pages, rounded up to whole sheets when duplex."""
    return pages + (pages % 2 if duplex else 0)


def assemble(order: PrintOrder) -> PrintFile | Refused:
    """The print file of one letter (its reply-mail form, if any, printed after its documents)."""
    if order.reply_form is not None:
        order = replace(order, documents=(*order.documents, order.reply_form), reply_form=None)
    checks = [preflight(content) for content in order.documents]
    problems = _problems(order, checks)
    if problems:
        return Refused(problems)
    document_pages = sum(c.pages for c in checks)
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.new())
        parts = [
            (stack.enter_context(pikepdf.open(io.BytesIO(content))), check.pages)
            for content, check in zip(order.documents, checks, strict=True)
        ]
        placed = place_letter(out, stack, order, parts, document_pages=document_pages, duplex=order.duplex)
        buffer = io.BytesIO()
        newest = max((c.version or "1.4" for c in checks), key=version_key, default="1.4")
        out.save(buffer, min_version=newest, deterministic_id=True)
    return PrintFile(buffer.getvalue(), placed.last_page, document_pages, placed.sheets)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a letter's pages went in a print file (pages from 1, inclusive)."""

    first_page: int
    last_page: int
    sheets: int
    part_first_pages: tuple[int, ...]
    """The first page of each part, in the parts' order."""


def place_letter(
    out: pikepdf.Pdf,
    stack: ExitStack,
    order: PrintOrder,
    parts: Sequence[tuple[pikepdf.Pdf, int]],
    *,
    document_pages: int,
    duplex: bool,
) -> Placement:
    """Appends a letter to ``out``: its cover sheet (if it has one), then its parts (each an opened
    PDF with the pages preflight counted in it), each from the front of a fresh sheet when duplex."""
    sides = sum(sides_of(pages, duplex) for _, pages in parts)
    if order.cover_page:
        sides += sides_of(1, duplex)
    sheets = sides // 2 if duplex else sides
    first = len(out.pages) + 1
    if order.cover_page:
        cover = CoverPage(
            recipient=order.recipient,
            letter_id=order.letter_id,
            document_pages=document_pages,
            sheets=sheets,
            return_address=order.return_address,
            postage=order.postage,
            home_country=order.home_country,
            window=order.window,
            protected_identifier=order.protected_identifier,
        )
        _append(out, stack.enter_context(pikepdf.open(io.BytesIO(render_cover(cover)))), duplex)
    part_first_pages = []
    for part, _ in parts:
        part_first_pages.append(len(out.pages) + 1)
        _append(out, part, duplex)
    last = len(out.pages)
    if last - first + 1 != sides:
        raise AssertionError(f"letter {order.letter_id} has {last - first + 1} pages, expected {sides}")
    return Placement(first, last, sheets, tuple(part_first_pages))


def _problems(order: PrintOrder, checks: list[PreflightResult]) -> tuple[str, ...]:
    if not order.documents:
        return ("the letter has no documents",)
    many = len(checks) > 1
    problems = [f"document {i}: {p}" if many else p for i, c in enumerate(checks, 1) for p in c.problems]
    if not problems and not order.cover_page:
        problems.extend(_window_problems(order))
    return tuple(problems)


def _window_problems(order: PrintOrder) -> list[str]:
    return window_problems(order, texts_in(order.documents[0], order.window, pages=1)[0])


def window_problems(order: PrintOrder, shown: str) -> list[str]:
    """Without a cover page, page 1 must show the address (or only the protected identifier) in
    the envelope window; ``shown`` is what the window shows."""
    if not shown:
        return ["no cover page was asked for, but page 1 has no address in the envelope window"]
    if order.protected_identifier is not None and compact(shown) != compact(order.protected_identifier):
        return [
            "the recipient's identity is protected: the envelope window on page 1 must show only "
            "the recipient's identifier, nothing else"
        ]
    return []


def compact(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).upper()


def _append(out: pikepdf.Pdf, part: pikepdf.Pdf, duplex: bool) -> None:
    out.pages.extend(part.pages)
    if duplex and len(part.pages) % 2:
        out.add_blank_page(page_size=A4_POINTS)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())

"""One print-ready PDF for many letters: a print batch, as a print line's press takes it.

Each letter is preflighted as on its own (``assemble``), then its cover sheet (or its own window),
documents and reply-mail form are appended to the batch, with blank backs where duplex needs them so
every letter starts on the front of a fresh sheet. A letter that fails preflight is left out (and
reported), the others print. Memory is bounded by the batch: the caller gives a bounded number of
letters, and their PDFs are let go when the batch file is written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass

import pikepdf

from postbud.channels.print.assemble import PrintOrder, Refused, compact, sides_of, version_key
from postbud.channels.print.cover_page import CoverPage, render_cover
from postbud.channels.print.geometry import A4_POINTS
from postbud.channels.print.preflight import OpenedForPrint, open_for_print


@dataclass(frozen=True, slots=True)
class Placed:
    """Where a letter is in the batch file (pages from 1, inclusive)."""

    first_page: int
    last_page: int
    sheets: int
    document_pages: int
    reply_form_pages: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class BatchFile:
    pdf: bytes
    pages: int
    sheets: int
    outcomes: tuple[Placed | Refused, ...]
    """One per order, in the orders' order."""

    @property
    def placed(self) -> int:
        return sum(isinstance(o, Placed) for o in self.outcomes)


def assemble_batch(orders: Sequence[PrintOrder], *, duplex: bool) -> BatchFile:
    """The batch file of ``orders`` (all printed ``duplex`` or all simplex)."""
    outcomes: list[Placed | Refused] = []
    versions: list[str] = ["1.4"]
    with ExitStack() as stack:
        out = stack.enter_context(pikepdf.new())
        for order in orders:
            outcome = _place(out, stack, order, duplex, versions)
            outcomes.append(outcome)
        pages = len(out.pages)
        if pages == 0:
            return BatchFile(b"", 0, 0, tuple(outcomes))
        buffer = io.BytesIO()
        out.save(buffer, min_version=max(versions, key=version_key), deterministic_id=True)
    sheets = sum(o.sheets for o in outcomes if isinstance(o, Placed))
    return BatchFile(buffer.getvalue(), pages, sheets, tuple(outcomes))


def _place(
    out: pikepdf.Pdf, stack: ExitStack, order: PrintOrder, duplex: bool, versions: list[str]
) -> Placed | Refused:
    if not order.documents:
        return Refused(("the letter has no documents",))
    opened: list[OpenedForPrint] = []
    for index, content in enumerate(order.documents):
        window = order.window if index == 0 and not order.cover_page else None
        opened.append(open_for_print(content, window))
    reply = open_for_print(order.reply_form) if order.reply_form is not None else None
    for o in [*opened, *([reply] if reply else [])]:
        if o.pdf is not None:
            stack.enter_context(o.pdf)
    problems = _problems(order, opened, reply)
    if problems:
        return Refused(problems)
    versions.extend(o.result.version or "1.4" for o in opened)
    document_pages = sum(o.result.pages for o in opened)
    reply_pages = reply.result.pages if reply is not None else 0
    sides = sum(sides_of(o.result.pages, duplex) for o in opened) + (
        sides_of(reply_pages, duplex) if reply else 0
    )
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
    for o in opened:
        assert o.pdf is not None
        _append(out, o.pdf, duplex)
    reply_form_pages = None
    if reply is not None and reply.pdf is not None:
        reply_form_pages = (len(out.pages) + 1, len(out.pages) + reply_pages)
        _append(out, reply.pdf, duplex)
    last = len(out.pages)
    if last - first + 1 != sides:
        raise AssertionError(f"letter {order.letter_id} has {last - first + 1} pages, expected {sides}")
    return Placed(first, last, sheets, document_pages, reply_form_pages)


def _problems(
    order: PrintOrder, opened: list[OpenedForPrint], reply: OpenedForPrint | None
) -> tuple[str, ...]:
    many = len(opened) > 1
    problems = [
        f"document {i}: {p}" if many else p for i, o in enumerate(opened, 1) for p in o.result.problems
    ]
    if reply is not None:
        problems.extend(f"reply-mail form: {p}" for p in reply.result.problems)
    if not problems and not order.cover_page:
        shown = opened[0].window_text
        if not shown:
            problems.append("no cover page was asked for, but page 1 has no address in the envelope window")
        elif order.protected_identifier is not None and compact(shown) != compact(order.protected_identifier):
            problems.append(
                "the recipient's identity is protected: the envelope window on page 1 must show only "
                "the recipient's identifier, nothing else"
            )
    return tuple(problems)


def _append(out: pikepdf.Pdf, part: pikepdf.Pdf, duplex: bool) -> None:
    out.pages.extend(part.pages)
    if duplex and len(part.pages) % 2:
        out.add_blank_page(page_size=A4_POINTS)


def pages_of(pdf: bytes, first: int, last: int) -> bytes:
    """Pages ``first``..``last`` (from 1) of ``pdf`` as a PDF of their own: one letter of a batch file."""
    with pikepdf.open(io.BytesIO(pdf)) as whole, pikepdf.new() as part:
        part.pages.extend(whole.pages[first - 1 : last])
        buffer = io.BytesIO()
        part.save(buffer, deterministic_id=True)
    return buffer.getvalue()

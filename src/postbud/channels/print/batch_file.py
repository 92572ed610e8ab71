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

from postbud.channels.print.assemble import PrintOrder, Refused, place_letter, version_key, window_problems
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
    letter_parts = [*opened, *([reply] if reply else [])]
    for o in letter_parts:
        if o.pdf is not None:
            stack.enter_context(o.pdf)
    problems = _problems(order, opened, reply)
    if problems:
        return Refused(problems)
    versions.extend(o.result.version or "1.4" for o in opened)
    document_pages = sum(o.result.pages for o in opened)
    parts = [_part(o) for o in letter_parts]
    placed = place_letter(out, stack, order, parts, document_pages=document_pages, duplex=duplex)
    reply_form_pages = None
    if reply is not None:
        reply_first = placed.part_first_pages[-1]
        reply_form_pages = (reply_first, reply_first + reply.result.pages - 1)
    return Placed(placed.first_page, placed.last_page, placed.sheets, document_pages, reply_form_pages)


def _part(opened: OpenedForPrint) -> tuple[pikepdf.Pdf, int]:
    assert opened.pdf is not None, "a document that does not open has a preflight problem"
    return opened.pdf, opened.result.pages


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
        problems.extend(window_problems(order, opened[0].window_text))
    return tuple(problems)


def pages_of(pdf: bytes, first: int, last: int) -> bytes:
    """Pages ``first``..``last`` (from 1) of ``pdf`` as a PDF of their own: one letter of a batch file."""
    with pikepdf.open(io.BytesIO(pdf)) as whole, pikepdf.new() as part:
        part.pages.extend(whole.pages[first - 1 : last])
        buffer = io.BytesIO()
        part.save(buffer, deterministic_id=True)
    return buffer.getvalue()

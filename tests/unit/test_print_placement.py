"""One placement of a letter's pages, for a letter's own print file and for a print batch: cover sheet,
documents, reply-mail form, each from the front of a fresh sheet when duplex, in the same pages."""

from __future__ import annotations

from postbud.channels.print.assemble import PrintFile, PrintOrder, Refused, assemble
from postbud.channels.print.batch_file import Placed, assemble_batch, pages_of
from postbud.channels.print.geometry import EKOPOST_WINDOW
from postbud.channels.print.preflight import texts_in
from postbud.domain.parties import PostalAddress
from tests.unit.test_print_batch_file import letter_pdf

ANKA = PostalAddress("Kalle Anka", ("Paradisäppelvägen 111",), "123 45", "Ankeborg", country="SE")


def _order(letter_id: str, *documents: bytes, reply: bytes | None = None, cover: bool = True) -> PrintOrder:
    return PrintOrder(
        letter_id=letter_id,
        recipient=ANKA,
        documents=documents,
        duplex=True,
        cover_page=cover,
        window=EKOPOST_WINDOW,
        home_country="SE",
        reply_form=reply,
    )


def test_a_reply_form_starts_on_a_fresh_sheet_after_odd_documents_and_is_found_by_its_pages() -> None:
    three_pages = letter_pdf(("Anna Andersson", "Gatan 1"), pages=3)
    reply = letter_pdf(("Svarspost",), pages=1)
    batch = assemble_batch(
        [_order("first", three_pages), _order("second", three_pages, reply=reply)], duplex=True
    )
    first, second = batch.outcomes
    # cover + blank back, three pages + blank back
    assert first == Placed(1, 6, 3, 3)
    assert isinstance(second, Placed)
    assert (second.first_page, second.sheets, second.document_pages) == (7, 4, 3)
    assert second.reply_form_pages == (13, 13)
    assert second.last_page == 14  # the reply form's blank back
    assert texts_in(pages_of(batch.pdf, 13, 13), EKOPOST_WINDOW)[0] == "Svarspost"


def test_a_letter_alone_and_in_a_batch_takes_the_same_pages() -> None:
    documents = (letter_pdf(("Anna Andersson", "Gatan 1"), pages=3), letter_pdf(("Bilaga",), pages=2))
    for cover in (True, False):
        order = _order("alone", *documents, cover=cover)
        alone = assemble(order)
        assert isinstance(alone, PrintFile)
        (placed,) = assemble_batch([order], duplex=True).outcomes
        assert isinstance(placed, Placed)
        assert (placed.last_page - placed.first_page + 1, placed.sheets) == (alone.pages, alone.sheets)
        assert placed.document_pages == alone.document_pages == 5


def test_a_reply_form_that_does_not_print_refuses_the_letter_in_its_own_words() -> None:
    order = _order("broken", letter_pdf(pages=1), reply=b"not a pdf")
    (refused,) = assemble_batch([order], duplex=True).outcomes
    assert isinstance(refused, Refused)
    assert refused.reason.startswith("reply-mail form: not a readable PDF")

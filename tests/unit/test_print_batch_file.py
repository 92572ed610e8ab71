"""The print batch file: letters appended in order with their page ranges, blank backs for duplex,
a letter that fails preflight left out alone, one letter's pages taken out again; cover sheets in a
standard font unless their text needs the embedded one."""

from __future__ import annotations

import io

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from postbud.channels.print.assemble import PrintOrder, Refused
from postbud.channels.print.batch_file import Placed, assemble_batch, pages_of
from postbud.channels.print.cover_page import CoverPage, font_name, render_cover
from postbud.channels.print.geometry import EKOPOST_WINDOW
from postbud.channels.print.preflight import texts_in
from postbud.domain.parties import PostalAddress
from postbud.testing.pdf import sample_pdf

ANKA = PostalAddress("Kalle Anka", ("Paradisäppelvägen 111",), "123 45", "Ankeborg", country="SE")
SAMI = PostalAddress("Ánde Čoavdá Ŋuolja", ("Đákkágeaidnu 3",), "9520", "Guovdageaidnu")


def letter_pdf(window_lines: tuple[str, ...] = ("Tolvan Tolvansson", "Gatan 1"), pages: int = 1) -> bytes:
    """An A4 letter with ``window_lines`` in Ekopost's window on page 1."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        for index, line in enumerate(window_lines if page == 0 else ()):
            pdf.drawString(115 * mm, (297 - 42 - 6 * index) * mm, line)
        pdf.drawString(25 * mm, 180 * mm, f"page {page + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _order(number: int, *documents: bytes, cover: bool = False, duplex: bool = False) -> PrintOrder:
    return PrintOrder(
        letter_id=f"letter-{number}",
        recipient=ANKA,
        documents=documents,
        duplex=duplex,
        cover_page=cover,
        window=EKOPOST_WINDOW,
        home_country="SE",
    )


def test_letters_follow_each_other_with_their_pages_and_a_broken_one_is_left_out() -> None:
    first = letter_pdf(("Anna Andersson", "Gatan 1", "111 11 Stad"), pages=3)
    no_address = letter_pdf((), pages=1)
    second = letter_pdf(("Bertil Berg", "Vägen 2", "222 22 By"), pages=2)
    file = assemble_batch(
        [_order(1, first), _order(2, no_address), _order(3, second), _order(4, first, cover=True)],
        duplex=False,
    )
    placed, refused, later, covered = file.outcomes
    assert placed == Placed(1, 3, 3, 3)
    assert isinstance(refused, Refused)
    assert "no address in the envelope window" in refused.reason
    assert later == Placed(4, 5, 2, 2)
    assert covered == Placed(6, 9, 4, 3)
    assert (file.pages, file.sheets, file.placed) == (9, 9, 3)
    own = pages_of(file.pdf, 4, 5)
    with pikepdf.open(io.BytesIO(own)) as opened:
        assert len(opened.pages) == 2
    shown = texts_in(own, EKOPOST_WINDOW, pages=1)[0]
    assert shown.split() == ["Bertil", "Berg", "Vägen", "2", "222", "22", "By"]
    assert "Kalle Anka" in texts_in(pages_of(file.pdf, 6, 6), EKOPOST_WINDOW)[0]


def test_duplex_letters_start_on_a_fresh_sheet() -> None:
    odd = letter_pdf(pages=3)
    file = assemble_batch([_order(1, odd, duplex=True), _order(2, odd, cover=True, duplex=True)], duplex=True)
    assert file.outcomes == (Placed(1, 4, 2, 3), Placed(5, 10, 3, 3))
    assert (file.pages, file.sheets) == (10, 5)


def test_a_batch_of_only_refused_letters_has_no_file() -> None:
    file = assemble_batch([_order(1, sample_pdf("no window"))], duplex=False)
    assert file.pdf == b""
    assert file.pages == 0
    assert isinstance(file.outcomes[0], Refused)


def _fonts(pdf: bytes) -> set[str]:
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        fonts = opened.pages[0].obj.Resources.Font
        return {str(font.BaseFont) for font in fonts.values()}


def test_a_nordic_cover_sheet_needs_no_embedded_font_and_a_sami_one_embeds_it() -> None:
    nordic = render_cover(CoverPage(ANKA, "l", 1, 2, home_country="SE"))
    assert _fonts(nordic) == {"/Helvetica"}
    sami = render_cover(CoverPage(SAMI, "l", 1, 2))
    if font_name() != "Helvetica":
        assert _fonts(sami) != {"/Helvetica"}
        assert len(sami) > len(nordic)

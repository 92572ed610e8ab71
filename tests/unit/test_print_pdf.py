"""Print PDFs for real: preflight with pikepdf, cover sheets with reportlab, rendering with PDFium."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen import canvas

from postbud.channels.print import (
    EKOPOST_WINDOW,
    NORWEGIAN_C5_WINDOW,
    Area,
    CoverPage,
    PrintFile,
    PrintOrder,
    Refused,
    assemble,
    preflight,
    render_cover,
    texts_in,
)
from postbud.channels.print.cover_page import font_name
from postbud.channels.print.geometry import BARCODE_AREA, MM
from postbud.domain.parties import PostalAddress
from tests.tool_check import tool_missing

OSLO = PostalAddress("Kari Nordmann", ("Storgata 1", "Leilighet H0201"), "0155", "Oslo")
SAMI = PostalAddress("Ánde Čoavdá Ŋuolja", ("Đákkágeaidnu 3",), "9520", "Guovdageaidnu")
STOCKHOLM = PostalAddress("Sven Svensson", ("Drottninggatan 1",), "111 51", "Stockholm", country="SE")
TAX = PostalAddress("Skatteetaten", ("Postboks 9200 Grønland",), "0134", "Oslo")


def make_pdf(
    pages: int = 1, *, size: tuple[float, float] = A4, label: str = "doc", at: tuple[float, float] = (30, 200)
) -> bytes:
    """A real PDF: each page carries ``<label> page <n>`` at ``at`` (mm from the top-left)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 11)
        pdf.drawString(at[0] * MM, size[1] - at[1] * MM, f"{label} page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def resave(data: bytes, **options: object) -> bytes:
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


# --- Preflight -------------------------------------------------------------------------


def test_a_plain_a4_pdf_passes() -> None:
    result = preflight(make_pdf(3))
    assert result.ok
    assert result.pages == 3
    assert result.version == "1.3"


@pytest.mark.parametrize(
    ("user_password", "problem"),
    [("secret", "password protected"), ("", "encrypted")],
)
def test_encrypted_pdfs_are_refused(user_password: str, problem: str) -> None:
    encrypted = resave(make_pdf(), encryption=pikepdf.Encryption(owner="owner", user=user_password))
    result = preflight(encrypted)
    assert not result.ok
    assert problem in result.problems[0]


def test_something_that_is_not_a_pdf_is_refused() -> None:
    result = preflight(b"Dear Kari, this is plain text.")
    assert result.pages == 0
    assert result.problems[0].startswith("not a readable PDF")
    assert "BytesIO" not in result.problems[0]


def test_pdf_2_is_too_new() -> None:
    result = preflight(resave(make_pdf(), force_version="2.0"))
    assert result.problems == ("PDF version 2.0 is newer than 1.7",)


def test_page_sizes() -> None:
    assert preflight(make_pdf(size=(A4[1], A4[0]))).problems == (
        "page 1 is A4 landscape; print needs A4 portrait",
    )
    us_letter = preflight(make_pdf(2, size=letter))
    assert us_letter.problems[0] == "page 1 is 216 × 279 mm; print needs A4 portrait (210 × 297 mm)"
    assert len(us_letter.problems) == 2
    nearly_a4 = make_pdf(size=(A4[0] + 2 * MM, A4[1] - 2 * MM))
    assert preflight(nearly_a4).ok, "within the 3 mm tolerance"


def test_a_landscape_page_turned_to_portrait_is_accepted() -> None:
    with pikepdf.open(io.BytesIO(make_pdf(size=(A4[1], A4[0])))) as pdf:
        pdf.pages[0].rotate(90, relative=False)
        buffer = io.BytesIO()
        pdf.save(buffer)
    assert preflight(buffer.getvalue()).ok


def test_fonts_must_be_standard_or_embedded() -> None:
    with pikepdf.open(io.BytesIO(make_pdf())) as pdf:
        font = next(iter(pdf.pages[0].obj.Resources.Font.values()))
        font.BaseFont = pikepdf.Name("/ArialMT")
        buffer = io.BytesIO()
        pdf.save(buffer)
    assert preflight(buffer.getvalue()).problems == ("page 1 uses the font ArialMT without embedding it",)


def test_text_in_the_barcode_margin_is_refused() -> None:
    result = preflight(make_pdf(2, at=(3, 120)))
    assert result.problems == (
        "page 1 has text in the barcode margin (x 0–15 mm, y 95–175 mm from the top)",
        "page 2 has text in the barcode margin (x 0–15 mm, y 95–175 mm from the top)",
    )


# --- Cover page ------------------------------------------------------------------------


def window_text(pdf: bytes, window: Area = NORWEGIAN_C5_WINDOW) -> list[str]:
    return texts_in(pdf, window, pages=1)[0].splitlines()


def test_cover_puts_the_address_in_the_window_with_the_return_address_above() -> None:
    cover = render_cover(CoverPage(OSLO, "letter-1", document_pages=3, sheets=3, return_address=TAX))
    assert preflight(cover).ok
    lines = window_text(cover)
    assert lines == [
        "Returadresse: Skatteetaten, Postboks 9200 Grønland, 0134 Oslo",
        "Kari Nordmann",
        "Storgata 1",
        "Leilighet H0201",
        "0155 Oslo",
    ], "no country line for a domestic letter"
    everything = texts_in(cover, Area(0, 0, 210, 297))[0]
    assert "Brev letter-1" in everything
    assert "3 sider med dokumenter; 3 ark i konvolutten medregnet dette" in everything
    assert "Porto: B-post" in everything
    assert not any(english in everything for english in ("Letter", "pages", "Postage", "Printed")), (
        "one language"
    )


def test_a_cover_sheet_is_in_one_language_with_proper_plurals() -> None:
    one = texts_in(render_cover(CoverPage(OSLO, "l", 1, 1, return_address=TAX)), Area(0, 0, 210, 297))[0]
    assert "1 side med dokumenter; 1 ark i konvolutten medregnet dette" in one
    swedish = CoverPage(STOCKHOLM, "l", 1, 2, return_address=TAX, home_country="SE", postage="priority")
    abroad = texts_in(render_cover(swedish), Area(0, 0, 210, 297))[0]
    assert "Return address: Skatteetaten" in abroad
    assert "1 page of documents; 2 sheets in the envelope with this one" in abroad
    assert "Postage: priority" in abroad
    assert "Returadresse" not in abroad


def test_cover_for_abroad_names_the_country_and_keeps_sami_letters() -> None:
    assert window_text(render_cover(CoverPage(STOCKHOLM, "l", 1, 2)))[-1] == "SWEDEN"
    sami = window_text(render_cover(CoverPage(SAMI, "l", 1, 2)))
    if font_name() == "Helvetica":
        tool_missing("DejaVu Sans is not installed (fonts-dejavu-core); Helvetica has no č, đ, ŋ")
    assert sami == ["Ánde Čoavdá Ŋuolja", "Đákkágeaidnu 3", "9520 Guovdageaidnu"]


def test_long_lines_shrink_to_fit_the_window() -> None:
    long_name = PostalAddress(
        "Bydelsutvalget for Gamle Oslo, Tøyen og Grønland kulturkontor", ("Gate 1",), "0190", "Oslo"
    )
    lines = window_text(render_cover(CoverPage(long_name, "l", 1, 1)))
    assert lines[0] == long_name.name


def test_cover_can_use_the_ekopost_window() -> None:
    cover = render_cover(CoverPage(OSLO, "l", 1, 2, window=EKOPOST_WINDOW))
    assert window_text(cover, EKOPOST_WINDOW)[0] == "Kari Nordmann"
    assert window_text(cover, NORWEGIAN_C5_WINDOW) == []


def test_the_rendered_cover_has_ink_in_the_window_and_none_in_the_barcode_margin() -> None:
    cover = render_cover(CoverPage(OSLO, "letter-1", 1, 2, return_address=TAX))
    document = pdfium.PdfDocument(cover)
    image: Image.Image = document[0].render(scale=150 / 72).to_pil().convert("L")
    document.close()

    def dark_pixels(area: Area) -> int:
        px = 150 / 25.4
        box = (int(area.left * px), int(area.top * px), int(area.right * px), int(area.bottom * px))
        return sum(image.crop(box).histogram()[:128])

    assert dark_pixels(NORWEGIAN_C5_WINDOW) > 500
    assert dark_pixels(BARCODE_AREA) == 0


# --- Assembling the print file -----------------------------------------------------------


def order(*documents: bytes, **changes: object) -> PrintOrder:
    fields: dict[str, object] = {"letter_id": "letter-1", "recipient": OSLO, "documents": documents}
    fields.update(changes)
    return PrintOrder(**fields)  # type: ignore[arg-type]


def test_duplex_print_file_has_cover_blank_backs_and_every_page() -> None:
    result = assemble(order(make_pdf(3, label="main"), make_pdf(2, label="attachment"), return_address=TAX))
    assert isinstance(result, PrintFile)
    assert (result.pages, result.document_pages, result.sheets) == (8, 5, 4)
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert len(pdf.pages) == 8
    texts = texts_in(result.pdf, Area(0, 0, 210, 297))
    assert "Kari Nordmann" in texts[0]
    assert texts[1] == "", "the cover sheet's back is blank"
    assert texts[2:8] == [
        "main page 1",
        "main page 2",
        "main page 3",
        "",
        "attachment page 1",
        "attachment page 2",
    ]
    assert "5 sider med dokumenter; 4 ark i konvolutten medregnet dette" in texts[0]


def test_simplex_print_file_has_no_blank_pages() -> None:
    result = assemble(order(make_pdf(3), make_pdf(2), duplex=False))
    assert isinstance(result, PrintFile)
    assert (result.pages, result.sheets) == (6, 6)


def test_the_print_file_is_the_same_every_time() -> None:
    document = make_pdf(2)
    first, second = assemble(order(document)), assemble(order(document))
    assert isinstance(first, PrintFile)
    assert isinstance(second, PrintFile)
    assert first.pdf == second.pdf


def test_the_print_file_keeps_the_newest_input_version() -> None:
    result = assemble(order(resave(make_pdf(), force_version="1.7")))
    assert isinstance(result, PrintFile)
    assert preflight(result.pdf).version == "1.7"


def test_every_problem_of_every_document_is_reported() -> None:
    result = assemble(order(make_pdf(), b"not a pdf", make_pdf(size=letter)))
    assert isinstance(result, Refused)
    assert result.problems[0].startswith("document 2: not a readable PDF")
    assert result.problems[1].startswith("document 3: page 1 is 216 × 279 mm")


def test_without_a_cover_page_the_address_must_show_in_the_window() -> None:
    addressed = make_pdf(2, label="Kari Nordmann, Storgata 1", at=(25, 50))
    result = assemble(order(addressed, cover_page=False))
    assert isinstance(result, PrintFile)
    assert (result.pages, result.sheets) == (2, 1)
    refused = assemble(order(make_pdf(at=(25, 150)), cover_page=False))
    assert isinstance(refused, Refused)
    assert "no address in the envelope window" in refused.reason

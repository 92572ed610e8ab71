"""Preflight: can this PDF go to a print line as it is? The checks Digipost and Ekopost apply.

Opens, not password protected, PDF ≤ 1.7, at least one page, every page A4 portrait (a landscape
page turned by ``/Rotate`` counts as portrait), fonts standard or embedded, and the left-margin
barcode area free of text. Synchronous (pikepdf and PDFium are C++): callers run it in a thread.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass

import pikepdf
import pypdfium2 as pdfium

from postbud.channels.print.geometry import A4_POINTS, BARCODE_AREA, MM, Area

MAX_VERSION = (1, 7)
SIZE_TOLERANCE_MM = 3.0
STANDARD_FONTS = frozenset(
    {
        *(f"{family}{style}" for family in ("Helvetica", "Courier")
          for style in ("", "-Bold", "-Oblique", "-BoldOblique")),
        "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
    }
)  # fmt: skip
# qpdf names the in-memory stream in its messages: "stream <_io.BytesIO object at 0x…>: …".
_STREAM_NAME = re.compile(r"^.*? object at 0x[0-9a-f]+>:?\s*")
# PDFium is not thread-safe, and several workers may preflight at once.
_PDFIUM_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class PreflightResult:
    pages: int
    problems: tuple[str, ...]
    version: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def preflight(data: bytes) -> PreflightResult:
    """Open ``data`` and list everything that keeps it off a print line."""
    opened = open_for_print(data)
    if opened.pdf is not None:
        opened.pdf.close()
    return opened.result


def texts_in(data: bytes, area: Area, *, pages: int | None = None) -> list[str]:
    """The text PDFium finds inside ``area`` on each page (or the first ``pages`` pages)."""
    left, bottom, right, top = area.pdf_box()
    texts: list[str] = []
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            for index in range(min(len(document), pages if pages is not None else len(document))):
                page = document[index]
                text_page = page.get_textpage()
                texts.append(str(text_page.get_text_bounded(left=left, bottom=bottom, right=right, top=top)))
                text_page.close()
                page.close()
        finally:
            document.close()
    return [text.strip() for text in texts]


def _version(text: str) -> tuple[int, int]:
    major, _, minor = text.partition(".")
    try:
        return int(major), int(minor or 0)
    except ValueError:
        return (99, 0)


def _page_problems(number: int, page: pikepdf.Page) -> list[str]:
    problems = [p for p in (_size_problem(number, page),) if p]
    problems.extend(f"page {number} uses the font {name} without embedding it" for name in _unembedded(page))
    return problems


def _size_problem(number: int, page: pikepdf.Page) -> str | None:
    box = [float(v) for v in page.mediabox]
    width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
    if int(page.obj.get("/Rotate", 0)) % 180 == 90:
        width, height = height, width
    a4_width, a4_height = A4_POINTS
    tolerance = SIZE_TOLERANCE_MM * MM
    if abs(width - a4_width) <= tolerance and abs(height - a4_height) <= tolerance:
        return None
    if abs(width - a4_height) <= tolerance and abs(height - a4_width) <= tolerance:
        return f"page {number} is A4 landscape; print needs A4 portrait"
    return f"page {number} is {width / MM:.0f} × {height / MM:.0f} mm; print needs A4 portrait (210 × 297 mm)"


def _unembedded(page: pikepdf.Page) -> list[str]:
    """Fonts on the page's own resources that are neither embedded nor one of the standard 14.

    Fonts inside form XObjects are not walked: a miss there costs a substituted glyph, not a letter.
    """
    resources = page.obj.get("/Resources")
    fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(fonts, pikepdf.Dictionary):
        return []
    missing: list[str] = []
    for font in fonts.values():
        if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") == pikepdf.Name.Type3:
            continue
        descendants = font.get("/DescendantFonts")
        described = list(descendants) if isinstance(descendants, pikepdf.Array) else [font]
        name = str(font.get("/BaseFont", "/unnamed"))[1:]
        if name.partition("+")[2] in STANDARD_FONTS or name in STANDARD_FONTS:
            continue
        if not any(_embedded(d) for d in described):
            missing.append(name)
    return sorted(set(missing))


def _embedded(font: pikepdf.Object) -> bool:
    descriptor = font.get("/FontDescriptor") if isinstance(font, pikepdf.Dictionary) else None
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


@dataclass(frozen=True, slots=True)
class OpenedForPrint:
    """A document preflighted for a print batch: the open PDF to take pages from (None when it does
    not open), the result, and the text in the envelope window of page 1 when asked for."""

    pdf: pikepdf.Pdf | None
    result: PreflightResult
    window_text: str = ""


def open_for_print(data: bytes, window: Area | None = None) -> OpenedForPrint:
    """``preflight`` that keeps the PDF open for copying its pages, and reads the barcode margin of
    every page and (``window``) the window of page 1 in one pass of PDFium. The caller closes ``pdf``."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return OpenedForPrint(None, PreflightResult(0, ("the PDF is password protected",)))
    except pikepdf.PdfError as exc:
        problem = f"not a readable PDF ({_STREAM_NAME.sub('', str(exc))})"
        return OpenedForPrint(None, PreflightResult(0, (problem,)))
    try:
        problems: list[str] = []
        if pdf.is_encrypted:
            problems.append("the PDF is encrypted; print needs it without protection")
        if _version(pdf.pdf_version) > MAX_VERSION:
            problems.append(f"PDF version {pdf.pdf_version} is newer than 1.7")
        pages = len(pdf.pages)
        if pages == 0:
            problems.append("the PDF has no pages")
        for number, page in enumerate(pdf.pages, 1):
            problems.extend(_page_problems(number, page))
        window_text = ""
        if not problems:
            margins, window_text = _margin_and_window_texts(data, window)
            problems.extend(
                f"page {i} has text in the barcode margin (x 0–15 mm, y 95–175 mm from the top)"
                for i, text in enumerate(margins, 1)
                if text
            )
    except BaseException:
        pdf.close()
        raise
    return OpenedForPrint(pdf, PreflightResult(pages, tuple(problems), pdf.pdf_version), window_text)


def _margin_and_window_texts(data: bytes, window: Area | None) -> tuple[list[str], str]:
    margin = BARCODE_AREA.pdf_box()
    texts: list[str] = []
    window_text = ""
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            for index in range(len(document)):
                page = document[index]
                text_page = page.get_textpage()
                left, bottom, right, top = margin
                texts.append(str(text_page.get_text_bounded(left=left, bottom=bottom, right=right, top=top)))
                if index == 0 and window is not None:
                    left, bottom, right, top = window.pdf_box()
                    window_text = str(
                        text_page.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
                    )
                text_page.close()
                page.close()
        finally:
            document.close()
    return [text.strip() for text in texts], window_text.strip()

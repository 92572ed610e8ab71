"""The address cover sheet a print house puts in front of a letter, made with reportlab.

The address sits in the envelope window (the Norwegian C5 left window by default, see
``geometry``): a small return-address line at the top of the window, then the recipient. Below
the window: the letter id and what the envelope holds, all in the deployment's language
(``cover_words``). Output is byte-for-byte deterministic, so a retried print job stores the same
print PDF.

For a recipient with a protected identity the window shows their identifier and nothing else: no
name, no address (the print house that holds the address puts it on the outer envelope).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from postbud.channels.print.cover_words import CoverWords, cover_words
from postbud.channels.print.geometry import A4_HEIGHT_MM, A4_POINTS, MM, NORWEGIAN_C5_WINDOW, Area
from postbud.domain.parties import PostalAddress
from postbud.domain.regional import NORWAY

# DejaVu covers Sami letters (č, đ, ŋ, ŧ) that Helvetica's WinAnsi encoding lacks; æøå work in both.
_FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
_FONT_NAME = "PostbudSans"
_FALLBACK_FONT = "Helvetica"
_font_lock = threading.Lock()
_font: str | None = None

_COUNTRY_NAMES = {
    "NO": "NORWAY", "SE": "SWEDEN", "DK": "DENMARK", "FI": "FINLAND", "IS": "ICELAND",
    "DE": "GERMANY", "GB": "UNITED KINGDOM", "US": "USA", "FR": "FRANCE", "NL": "NETHERLANDS",
    "ES": "SPAIN", "PL": "POLAND",
}  # fmt: skip
ADDRESS_SIZE = 10.0
MIN_ADDRESS_SIZE = 6.0
RETURN_SIZE = 6.0
PADDING_MM = 3.0


@dataclass(frozen=True, slots=True)
class CoverPage:
    recipient: PostalAddress | None
    """None only with a ``protected_identifier``."""
    letter_id: str
    document_pages: int
    sheets: int
    return_address: PostalAddress | None = None
    postage: str = "economy"
    home_country: str = NORWAY.country
    window: Area = NORWEGIAN_C5_WINDOW
    protected_identifier: str | None = None
    """Shown in the window instead of any address."""

    def window_lines(self) -> list[str]:
        if self.protected_identifier is not None:
            return [self.protected_identifier]
        if self.recipient is None:
            raise ValueError("a cover page needs an address or a protected identifier")
        return address_lines(self.recipient, self.home_country)


def font_name() -> str:
    """Register the cover font once per process; Helvetica when DejaVu Sans is not installed."""
    global _font
    with _font_lock:
        if _font is None:
            path = next((p for p in _FONT_FILES if p.is_file()), None)
            if path is not None:
                pdfmetrics.registerFont(TTFont(_FONT_NAME, str(path)))
            _font = _FONT_NAME if path is not None else _FALLBACK_FONT
        return _font


def address_lines(address: PostalAddress, home_country: str) -> list[str]:
    """Envelope lines: name, street lines, postcode and city, and the country only when abroad."""
    lines = [address.name, *address.lines, f"{address.postal_code} {address.city}".strip()]
    country = address.country.strip().upper()
    if country and country != home_country.upper():
        lines.append(_COUNTRY_NAMES.get(country, country))
    return [line for line in (raw.strip() for raw in lines) if line]


def _return_line(address: PostalAddress, words: CoverWords) -> str:
    parts = (address.name, *address.lines, f"{address.postal_code} {address.city}")
    return f"{words.return_address}: " + ", ".join(part.strip() for part in parts if part.strip())


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest size ≤ ``size`` at which ``text`` fits ``width`` points, but not below the minimum."""
    actual = pdfmetrics.stringWidth(text, font, size)
    return size if actual <= width else max(MIN_ADDRESS_SIZE, size * width / actual)


def _texts(cover: CoverPage) -> list[str]:
    words = cover_words(cover.home_country)
    texts = [
        *cover.window_lines(),
        *words.details(cover.letter_id, cover.document_pages, cover.sheets, cover.postage),
    ]
    if cover.return_address is not None:
        texts.append(_return_line(cover.return_address, words))
    return texts


def _font_for(cover: CoverPage) -> str:
    """Helvetica (a standard font: nothing to embed, a fraction of the time) when every text of the
    sheet is in its encoding (Nordic letters are); the embedded DejaVu Sans for the rest (Sami letters)."""
    try:
        for text in _texts(cover):
            text.encode("cp1252")
    except UnicodeEncodeError:
        return font_name()
    return _FALLBACK_FONT


def render_cover(cover: CoverPage) -> bytes:
    font = _font_for(cover)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4_POINTS, invariant=True, pageCompression=1)
    pdf.setTitle(f"Cover sheet for letter {cover.letter_id}")
    pdf.setAuthor("Postbud sandbox print house")
    window = cover.window
    inner_width = (window.width - 2 * PADDING_MM) * MM
    x = (window.left + PADDING_MM) * MM
    y = (A4_HEIGHT_MM - window.top - PADDING_MM) * MM

    if cover.return_address is not None:
        line = _return_line(cover.return_address, cover_words(cover.home_country))
        size = min(RETURN_SIZE, _fit(line, font, RETURN_SIZE, inner_width))
        y -= size
        pdf.setFont(font, size)
        pdf.drawString(x, y, line)
        y -= size * 0.6
        pdf.setLineWidth(0.3)
        pdf.line(x, y, x + inner_width, y)
        y -= size * 0.8

    lines = cover.window_lines()
    size = min(_fit(line, font, ADDRESS_SIZE, inner_width) for line in lines)
    pdf.setFont(font, size)
    for line in lines:
        y -= size * 1.2
        pdf.drawString(x, y, line)

    _letter_details(pdf, font, cover)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _letter_details(pdf: canvas.Canvas, font: str, cover: CoverPage) -> None:
    x = cover.window.left * MM
    y = (A4_HEIGHT_MM - max(cover.window.bottom, 80.0) - 25.0) * MM
    words = cover_words(cover.home_country)
    details = words.details(cover.letter_id, cover.document_pages, cover.sheets, cover.postage)
    pdf.setFont(font, 8)
    for line in details:
        pdf.drawString(x, y, line)
        y -= 11

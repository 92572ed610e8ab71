"""Paper and envelope geometry shared by the cover page and the preflight check.

Measurements are in millimetres from the top-left corner of an A4 portrait sheet, the way print
houses publish them; PDF coordinates (points from the bottom-left) are derived here only.
"""

from __future__ import annotations

from dataclasses import dataclass

from postbud.domain.print_layout import LEFT_WINDOW, RIGHT_WINDOW, EnvelopeWindow

MM = 72 / 25.4
A4_WIDTH_MM = 210.0
A4_HEIGHT_MM = 297.0
A4_POINTS = (A4_WIDTH_MM * MM, A4_HEIGHT_MM * MM)


@dataclass(frozen=True, slots=True)
class Area:
    """A rectangle on the sheet: ``left``/``top`` from the top-left corner, in millimetres."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def pdf_box(self) -> tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in PDF points, origin at the bottom-left."""
        return (
            self.left * MM,
            (A4_HEIGHT_MM - self.bottom) * MM,
            self.right * MM,
            (A4_HEIGHT_MM - self.top) * MM,
        )


def area_of(window: EnvelopeWindow) -> Area:
    return Area(left=window.left, top=window.top, width=window.width, height=window.height)


NORWEGIAN_C5_WINDOW = area_of(LEFT_WINDOW)
"""The left window of a Norwegian C5/E65 envelope: x 20–105 mm, y 40–80 mm. The default."""
EKOPOST_WINDOW = area_of(RIGHT_WINDOW)
"""Ekopost's (Swedish, right-hand) window: x 112–207 mm, y 35–71 mm (third-party figure)."""
BARCODE_AREA = Area(left=0.0, top=95.0, width=15.0, height=80.0)
"""Left margin where the print line prints its sorting barcode (Digipost: x 0–15, y 95–175 mm)."""

"""The print channel: preflight, cover sheet, print-ready PDF and the sandbox print house."""

from __future__ import annotations

from postbud.channels.print.assemble import PrintFile, PrintOrder, Refused, assemble
from postbud.channels.print.cover_page import CoverPage, render_cover
from postbud.channels.print.geometry import EKOPOST_WINDOW, NORWEGIAN_C5_WINDOW, Area
from postbud.channels.print.preflight import PreflightResult, preflight, texts_in
from postbud.channels.print.print_house import SandboxPrintHouse

__all__ = [
    "EKOPOST_WINDOW",
    "NORWEGIAN_C5_WINDOW",
    "Area",
    "CoverPage",
    "PreflightResult",
    "PrintFile",
    "PrintOrder",
    "Refused",
    "SandboxPrintHouse",
    "assemble",
    "preflight",
    "render_cover",
    "texts_in",
]

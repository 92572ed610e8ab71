"""A real, small PDF for tests (the one ``pytest-postbud`` gives integrators): every document a
letter carries is checked to be what its type says, so tests send this instead of a few bytes that
only begin with ``%PDF-``."""

from __future__ import annotations

from postbud.testing.pdf import sample_pdf as real_pdf
from postbud.testing.pdf import sample_pdf_base64 as real_pdf_base64

__all__ = ["real_pdf", "real_pdf_base64"]

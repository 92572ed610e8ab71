"""A real, small PDF for tests: one A4 page that shows ``text``, with a correct cross-reference table.

Postbud checks that a document declared PDF is one (it must open and have a page), as Digipost,
Ekopost and print houses do; a few bytes that only begin with ``%PDF-`` are refused. Different texts
give different files (and hashes); the same text, the same bytes.
"""

from __future__ import annotations

import base64


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


A4_POINTS = (595, 842)


def sample_pdf(text: str = "Hei", *, page_size: tuple[int, int] = A4_POINTS) -> bytes:
    """A one-page PDF 1.4 whose page shows ``text`` (Latin-1; other characters become '?'), A4
    portrait unless ``page_size`` (points) says otherwise."""
    stream = f"BT /F1 12 Tf 72 760 Td ({_escaped(text)}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % page_size,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_file(objects)


def pdf_file(objects: list[bytes], header: bytes = b"%PDF-1.4\n") -> bytes:
    """``objects`` (numbered from 1, the first the catalog) as a PDF file with its cross-reference table."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sample_pdf_base64(text: str = "Hei") -> str:
    return base64.b64encode(sample_pdf(text)).decode("ascii")

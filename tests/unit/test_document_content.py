"""The core's document checks (issue 12 defect 7): an explicit list of file types per dialect, and
content that is what its type says — a PDF parsed (not rendered), other binary types by their start."""

from __future__ import annotations

import io

import pikepdf
import pytest

from postbud.domain.errors import RuleCode
from postbud.domain.file_types import ACCEPTED_BY_DIALECT, FILE_TYPES, accepted_file_types
from postbud.services.letters.document_content import document_errors, pdf_problem
from postbud.services.letters.letter_request import DocumentInput
from tests.real_pdf import real_pdf


def _document(content: bytes, file_type: str = "pdf") -> DocumentInput:
    return DocumentInput(content=content, file_type=file_type, mime="application/octet-stream")


def _pdf(*, pages: int = 1, password: str | None = None) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    out = io.BytesIO()
    encryption = pikepdf.Encryption(user=password, owner=password) if password else False
    pdf.save(out, encryption=encryption)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"%PDF-1.4\n%%EOF\n", "the PDF cannot be read"),
        (b"hello world", "does not begin with %PDF-"),
        (b"%PDF-1.4 " + b"x" * 300, "the PDF cannot be read"),
        (_pdf(pages=0), "the PDF has no pages"),
        (_pdf(password="hemmelig"), "the PDF is password protected"),
    ],
)
def test_what_is_not_a_readable_pdf_is_named(content: bytes, problem: str) -> None:
    assert pdf_problem(content) == problem
    (error,) = document_errors([_document(content)], "platform")
    assert (error.field, error.code) == ("documents[0].content", RuleCode.FILE_TYPE)
    assert problem in error.rule


def test_real_pdfs_pass() -> None:
    assert document_errors([_document(real_pdf("Hei")), _document(_pdf(pages=2), "PDF")], "digipost") == []


def test_a_type_off_the_list_is_named_with_the_list() -> None:
    (error,) = document_errors([_document(b"MZ\x90\x00", "exe")], "platform")
    assert (error.field, error.code) == ("documents[0].file_type", RuleCode.FILE_TYPE)
    assert "pdf" in error.rule
    assert "exe" in error.rule


@pytest.mark.parametrize(
    ("file_type", "good", "bad"),
    [
        ("png", b"\x89PNG\r\n\x1a\n....", b"GIF89a...."),
        ("jpg", b"\xff\xd8\xff\xe0....", b"\x89PNG\r\n\x1a\n"),
        ("gif", b"GIF89a....", b"hello"),
        ("zip", b"PK\x03\x04....", b"hello"),
        ("docx", b"PK\x03\x04....", b"\xd0\xcf\x11\xe0"),
    ],
)
def test_binary_types_are_told_by_their_first_bytes(file_type: str, good: bytes, bad: bytes) -> None:
    assert document_errors([_document(good, file_type)], "platform") == []
    (error,) = document_errors([_document(bad, file_type)], "platform")
    assert error.field == "documents[0].content"


def test_text_types_are_not_sniffed() -> None:
    assert document_errors([_document("Hei på deg".encode(), "txt")], "digipost") == []


def test_each_dialect_takes_its_real_services_types_and_no_more() -> None:
    assert "html" not in accepted_file_types("ekopost")
    assert "docx" not in accepted_file_types("digipost")
    assert {"docx", "md", "dicom"} <= accepted_file_types("altinn")
    assert accepted_file_types("platform") == frozenset(FILE_TYPES)
    for dialect, accepted in ACCEPTED_BY_DIALECT.items():
        assert accepted <= set(FILE_TYPES), dialect
    assert document_errors([_document(b"<p>Hei</p>", "html")], "ekopost")[0].field == "documents[0].file_type"

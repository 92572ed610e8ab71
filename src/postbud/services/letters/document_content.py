"""A letter's documents are of a type the dialect takes, and are what their type says.

The type must be on the dialect's list (``domain/file_types.py``); a type with a signature must
begin with it; a PDF must also open as one (parsed, not rendered: about half a millisecond with
pikepdf), not be locked by a password, and have a page. The print preflight (page size, fonts,
margins) is the print channel's, later.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf

from postbud.domain.errors import FieldError, RuleCode
from postbud.domain.file_types import FILE_TYPES, FileType, accepted_file_types, file_type_of
from postbud.services.letters.letter_request import DocumentInput


def pdf_problem(data: bytes, *, refuse_encrypted: bool = False) -> str | None:
    """What keeps ``data`` from being a readable PDF with pages, in words; None when it is one.

    ``refuse_encrypted``: also refuse a PDF encrypted without a password (print cannot take one)."""
    if not data.startswith(b"%PDF-"):
        return "does not begin with %PDF-"
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if refuse_encrypted and pdf.is_encrypted:
                return "the PDF is encrypted"
            if len(pdf.pages) == 0:
                return "the PDF has no pages"
    except pikepdf.PasswordError:
        return "the PDF is password protected"
    except pikepdf.PdfError:
        return "the PDF cannot be read"
    return None


def content_problem(file_type: FileType, content: bytes) -> str | None:
    """Why ``content`` is not of ``file_type``, in words; None when it is (or cannot be told)."""
    if file_type.name == "pdf":
        problem = pdf_problem(content)
        return f"is not a PDF: {problem}" if problem else None
    if not file_type.matches(content):
        return f"is not {file_type.called}: its first bytes are not those of one"
    return None


def type_errors(file_type: str, accepted: frozenset[str], field: str) -> FieldError | None:
    if file_type_of(file_type) in accepted:
        return None
    return FieldError(
        field,
        f"{file_type!r} is not a file type taken here; one of {', '.join(sorted(accepted))}",
        RuleCode.FILE_TYPE,
    )


def document_errors(
    documents: Sequence[DocumentInput], dialect: str, *, field: str = "documents"
) -> list[FieldError]:
    """What is wrong with the type or content of each document (``field[i]``), primary first."""
    accepted = accepted_file_types(dialect)
    errors: list[FieldError] = []
    for i, document in enumerate(documents):
        where = f"{field}[{i}]"
        wrong_type = type_errors(document.file_type, accepted, f"{where}.file_type")
        if wrong_type is not None:
            errors.append(wrong_type)
            continue
        problem = content_problem(FILE_TYPES[file_type_of(document.file_type)], document.content)
        if problem is not None:
            errors.append(FieldError(f"{where}.content", problem, RuleCode.FILE_TYPE))
    return errors

"""Print needs real, open PDFs: checked at send time so the sender hears of it at once.

Only the cheap structural checks run here (open, not encrypted, has pages: about half a
millisecond with pikepdf); the full print preflight (page size, fonts, margins) runs in the print
job and reports PRINT_FAILED.
"""

from __future__ import annotations

from collections.abc import Sequence

from postbud.dialects.digipost.errors import DigipostError
from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.services.letters.document_content import pdf_problem
from postbud.services.letters.send_letter import DocumentInput


def check_printable(documents: Sequence[DocumentInput]) -> None:
    for index, document in enumerate(documents):
        where = "primary-document" if index == 0 else f"attachment[{index}]"
        if document.file_type != "pdf" or not document.content.startswith(b"%PDF-"):
            raise DigipostError(
                "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF", f"{where}: print requires a PDF document"
            )
        problem = pdf_problem(document.content, refuse_encrypted=True)
        if problem is not None:
            raise DigipostError("INVALID_PDF_CONTENT", f"{where}: {problem}")


def invalid_pdf_content(exc: ValidationFailed, documents: Sequence[DocumentInput]) -> DigipostError | None:
    """The core's refusal of a document declared PDF that is not one, as Digipost's INVALID_PDF_CONTENT."""
    for error in exc.errors:
        if error.code is not RuleCode.FILE_TYPE:
            continue
        for index, document in enumerate(documents):
            if error.field == f"documents[{index}].content" and document.file_type == "pdf":
                return DigipostError("INVALID_PDF_CONTENT", f"{error.field}: {error.rule}")
    return None

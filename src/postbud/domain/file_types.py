"""The file types a letter's documents may have, and how each is recognised by its first bytes.

One explicit list for every dialect: what any of the real services accepts. Where a real service
takes fewer, its dialect's list below is that service's (Digipost's client constants and ``txt``;
Ekopost's PDF documents and attachments and XML markup; Altinn Correspondence's attachment
extensions and the Markdown body), and the platform API takes the whole list. A document must be
what its type says: a type with a signature must begin with it (a PDF is further parsed, without
rendering, by the use case: ``services/letters/document_content.py``); text types are not sniffed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class FileType:
    name: str
    """As a letter names it: the extension, lower case, without the dot."""
    mime: str
    signatures: tuple[bytes, ...] = ()
    """Content of this type begins with one of these; empty: not checked (text, or no fixed start)."""
    label: str = ""
    """How an error names the type (``a PDF``); the name upper-cased if empty."""

    def matches(self, head: bytes) -> bool:
        return not self.signatures or any(head.startswith(s) for s in self.signatures)

    @property
    def called(self) -> str:
        return self.label or f"a {self.name.upper()} file"


_PDF = (b"%PDF-",)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
"""The compound file of Word 97–2003, Excel and PowerPoint."""

FILE_TYPES: Final[Mapping[str, FileType]] = {
    t.name: t
    for t in (
        FileType("pdf", "application/pdf", _PDF, "a PDF"),
        FileType("html", "text/html"),
        FileType("htm", "text/html"),
        FileType("xhtml", "application/xhtml+xml"),
        FileType("xht", "application/xhtml+xml"),
        FileType("txt", "text/plain"),
        FileType("md", "text/markdown"),
        FileType("xml", "application/xml"),
        FileType("ehf", "application/xml"),
        FileType("json", "application/json"),
        FileType("csv", "text/csv"),
        FileType("png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
        FileType("jpg", "image/jpeg", (b"\xff\xd8\xff",), "a JPEG image"),
        FileType("jpeg", "image/jpeg", (b"\xff\xd8\xff",), "a JPEG image"),
        FileType("gif", "image/gif", (b"GIF87a", b"GIF89a")),
        FileType("bmp", "image/bmp", (b"BM",)),
        FileType("zip", "application/zip", _ZIP),
        FileType("doc", "application/msword", _OLE2, "a Word document"),
        FileType("xls", "application/vnd.ms-excel", _OLE2, "an Excel workbook"),
        FileType("ppt", "application/vnd.ms-powerpoint", _OLE2, "a PowerPoint presentation"),
        FileType("pps", "application/vnd.ms-powerpoint", _OLE2, "a PowerPoint show"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _ZIP,
            "a Word document",
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ZIP,
            "an Excel workbook",
        ),
        FileType("dcm", "application/dicom"),
        FileType("dicom", "application/dicom"),
    )
}
"""Every type a letter's document may have, in any dialect."""

ACCEPTED_BY_DIALECT: Final[Mapping[str, frozenset[str]]] = {
    "digipost": frozenset(
        {"pdf", "html", "htm", "xhtml", "xht", "txt", "png", "jpg", "jpeg", "gif", "zip", "ehf", "xml"}
    ),
    "ekopost": frozenset({"pdf", "xml", "txt"}),
    "altinn": frozenset(
        {
            "md",
            *("doc", "xls", "docx", "xlsx", "ppt", "pps", "zip", "pdf", "html", "txt", "xml"),
            *("jpg", "jpeg", "gif", "bmp", "png", "json", "csv", "dcm", "dicom"),
        }
    ),
}
"""A dialect whose real service takes fewer types than ``FILE_TYPES``; any other takes them all."""


JUDGED_BY_NAME_ONLY: Final[frozenset[str]] = frozenset({"altinn"})
"""Dialects whose real service judges an attachment by its file name alone: Altinn Correspondence
checks the extension against its list and never looks inside (only a malware scan reads the bytes;
its own published request collection uploads a text file named ``.pdf``). Postbud does the same
there, so a client that works against Altinn works against Postbud."""


def content_is_checked(dialect: str) -> bool:
    """Whether content must be what its file type says (a PDF a PDF), beyond the type's name."""
    return dialect not in JUDGED_BY_NAME_ONLY


def accepted_file_types(dialect: str) -> frozenset[str]:
    return ACCEPTED_BY_DIALECT.get(dialect, frozenset(FILE_TYPES))


def file_type_of(name: str) -> str:
    """A letter's ``file_type`` as given (``PDF``, ``.pdf``) in its one form (``pdf``)."""
    return name.strip().lower().lstrip(".")

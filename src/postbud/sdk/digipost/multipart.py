"""The atomic send's body, laid out as the Java client writes it (§5.1).

Part 1 is the ``message`` XML (``filename="message"``); then one part per document in message order,
named by the document's uuid and typed ``application/<file-type>``.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Sequence

from .message import Document

__all__ = ["MULTIPART_V8", "XML_V8", "multipart_body"]

XML_V8 = "application/vnd.digipost-v8+xml"
MULTIPART_V8 = "multipart/vnd.digipost-v8+xml"

_BOUNDARY_ALPHABET = string.ascii_letters + string.digits + "-_"


def _boundary() -> str:
    return "".join(secrets.choice(_BOUNDARY_ALPHABET) for _ in range(36))


def _part(boundary: str, filename: str, content_type: str, content: bytes) -> bytes:
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + content + b"\r\n"


def multipart_body(
    message_xml: bytes, documents: Sequence[tuple[Document, bytes]], *, boundary: str | None = None
) -> tuple[bytes, str]:
    """(body, Content-Type header value) for ``POST create_message``."""
    boundary = boundary or _boundary()
    chunks = [_part(boundary, "message", f"{XML_V8}; charset=UTF-8", message_xml)]
    for document, content in documents:
        chunks.append(_part(boundary, str(document.uuid), f"application/{document.file_type}", content))
    chunks.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(chunks), f"{MULTIPART_V8}; boundary={boundary}"

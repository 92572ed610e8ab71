"""The organisation's inbox through the API (reference §3.3, §12.3): the letters sent to the sender's
own organisation number, from any dialect.

- ``GET /{senderId}/inbox?offset=&limit=`` (``get_inbox``) → ``inbox``: newest first, ``limit``
  1–1000 (default 100); each ``document`` has a ``content-uri`` and a ``delete-uri``, attachments
  their own ``content-uri``.
- ``GET /{senderId}/inbox/{document}/content`` → ``307`` to ``/inbox/content/{token}``: a one-time
  link, valid 30 seconds; the bytes, signed like every response (the Java client verifies each hop).
- ``DELETE /{senderId}/inbox/{document}`` → ``200``: the letter leaves the inbox (the web inbox too).

A document's ``id`` is a number made from its uuid (the URIs carry the uuid itself).
"""

from __future__ import annotations

import uuid

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.acting_sender import acting_sender
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.render import AUTHENTICATION_NAME
from postbud.dialects.digipost.responses import signed, signed_file, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.domain.documents import Document
from postbud.services.received import mail

V8 = namespace(8)
DEFAULT_LIMIT = 100


def _q(name: str) -> str:
    return f"{{{V8}}}{name}"


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, _q(name)).text = text


def document_number(document_id: uuid.UUID) -> int:
    """A positive 63-bit number for the document (Digipost's ids are longs)."""
    return document_id.int >> 65


def _document(
    parent: etree._Element, tag: str, letter: mail.ReceivedLetter, doc: Document, base: str
) -> etree._Element:
    el = etree.SubElement(parent, _q(tag))
    _add(el, "id", str(document_number(doc.id)))
    if doc.is_primary:
        _add(el, "reference-from-sender", letter.shipment.senders_reference)
    _add(el, "subject", doc.title)
    _add(el, "sender", letter.sender_name)
    _add(el, "delivery-time", letter.delivered_at.isoformat(timespec="milliseconds"))
    if letter.first_accessed is not None:
        _add(el, "first-accessed", letter.first_accessed.isoformat(timespec="milliseconds"))
    _add(el, "authentication-level", AUTHENTICATION_NAME[doc.authentication])
    _add(el, "content-type", doc.mime)
    _add(el, "content-uri", f"{base}/{doc.id}/content")
    if doc.is_primary:
        _add(el, "delete-uri", f"{base}/{doc.id}")
    return el


def inbox_element(letters: list[mail.ReceivedLetter], base: str) -> etree._Element:
    """``base``: the sender's inbox URI, ``{base URL}/{senderId}/inbox``."""
    root = etree.Element(_q("inbox"), nsmap={None: V8})
    for letter in letters:
        primary = _document(root, "document", letter, letter.shipment.primary, base)
        for attachment in letter.shipment.documents[1:]:
            _document(primary, "attachment", letter, attachment, base)
    return root


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise DigipostError("INVALID_QUERY_PARAMETER", f"{name} must be a whole number of at most 9 digits")
    return int(raw)


def _inbox_base(dialect: DigipostDialect, digipost_id: int | None) -> str:
    return f"{dialect.base_url}/{digipost_id}/inbox"


async def get_inbox(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    offset, limit = _int(request, "offset", 0), _int(request, "limit", DEFAULT_LIMIT)
    if limit > mail.MAX_LIMIT or limit < 1:
        raise DigipostError("INVALID_QUERY_PARAMETER", f"limit must be from 1 to {mail.MAX_LIMIT}")
    letters = await mail.received_letters(dialect.runtime, sender, offset=offset, limit=limit)
    root = inbox_element(letters, _inbox_base(dialect, sender.digipost_id))
    return signed(dialect, request, xml_bytes(root))


def _document_id(request: Request) -> uuid.UUID:
    raw = str(request.path_params["document"])
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise DigipostError("DOCUMENT_NOT_FOUND", f"no inbox document {raw}", 404) from exc


async def content(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    token = await mail.content_link(dialect.runtime, sender, _document_id(request))
    location = f"{dialect.base_url}/inbox/content/{token}"
    return signed(dialect, request, b"", status=307, extra_headers={"location": location})


async def open_content(dialect: DigipostDialect, request: Request) -> Response:
    """The one-time link: the token is the key (no Digipost headers needed), used once."""
    document, data = await mail.open_link(dialect.runtime, str(request.path_params["token"]))
    filename = f"{document.title or document.id}.{document.file_type}"
    return signed_file(dialect, request, data, filename=filename, media_type=document.mime)


async def delete(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    await mail.delete_letter(dialect.runtime, sender, _document_id(request))
    return signed(dialect, request, b"")

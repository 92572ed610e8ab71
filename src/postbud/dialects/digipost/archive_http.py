"""The archive API (reference §12.2): archive documents, list archives, page through one (with
attribute and date filters), find a document by uuid or reference id, update, delete, add a uuid,
fetch the content (a view URI, or the bytes).

- ``POST /archives/documents`` (``archive_documents``, multipart: first part ``archive``, then one
  part per document named by its uuid);
- ``GET [/{senderId}]/archives`` (``get_archives``) → ``archives``, each with ``next_documents``;
- ``GET /{senderId}/archives/{archive}/documents?after=&attributes=&fromDate=&toDate=``
  (``next_documents``): 100 per page, ``attributes`` = base64("k1,v1,k2,v2"), dates base64 (Java)
  or plain ISO-8601 (.NET);
- ``GET [/{senderId}]/archives/documents/uuid/{uuid}`` and ``…/referenceid/{base64}``;
- per document ``/{senderId}/archives/documents/{uuid}``: ``PUT`` (``self_update``), ``DELETE``
  (``self_delete``), ``POST …/uuids`` (``add_unique_uuid``), ``GET …/content`` and
  ``GET …/content/stream``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from datetime import datetime

from cryptography.hazmat.primitives import serialization
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost import archive_xml
from postbud.dialects.digipost.acting_sender import acting_sender, check_named_sender
from postbud.dialects.digipost.auth import read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.multipart import MultipartReader, boundary_of
from postbud.dialects.digipost.request_in import MAX_XML_BYTES, xml_element
from postbud.dialects.digipost.responses import signed, signed_file, xml_bytes
from postbud.domain.archives import PAGE_SIZE, Archive, ArchivedDocument, DocumentFilter, NewArchiveDocument
from postbud.domain.parties import Sender
from postbud.services.archive import archiving, changing, finding

_TOKEN_SALT = "archive-document-view"


def _links(dialect: DigipostDialect, sender: Sender) -> archive_xml.ArchiveLinks:
    return archive_xml.ArchiveLinks(dialect.base_url, sender.digipost_id or 0)


def _first_page(links: archive_xml.ArchiveLinks, archive: Archive) -> str:
    return links.documents_of(archive.id)


# --- archiving -----------------------------------------------------------------------------------


async def archive_documents(dialect: DigipostDialect, request: Request) -> Response:
    settings = dialect.runtime.settings
    reader = MultipartReader(
        boundary_of(request.headers.get("content-type", "")),
        max_parts=1 + settings.max_attachments + 1,
        max_part_bytes=settings.max_document_bytes,
    )
    _, body_sha256 = await read_body(request, settings.max_request_bytes, reader)
    sender = await acting_sender(dialect, request, body_sha256)
    parts = reader.finish()
    if not parts:
        raise DigipostError("MISSING_CONTENT", "the request has no body parts")
    parsed = archive_xml.read_archive(xml_element(bytes(parts[0].body), "archive", what="the archive part"))
    check_named_sender(sender, parsed.sender_id, parsed.sender_organisation)
    files = {part.filename: part for part in parts[1:] if part.filename}
    if len(files) != len(parts) - 1 or set(files) != {d.external_id for d in parsed.documents}:
        raise DigipostError(
            "DOCUMENTS_AND_FILES_MISMATCH",
            f"{len(parsed.documents)} archive documents but the file parts are named "
            f"{sorted(n or '' for n in files)}",
        )
    documents = [
        NewArchiveDocument(
            external_id=d.external_id,
            file_type=d.change.file_type,
            content=bytes(files[d.external_id].body),
            content_type=d.change.content_type if d.content_type_given else files[d.external_id].content_type,
            file_name=d.change.file_name,
            reference_id=d.change.reference_id,
            attributes=d.change.attributes,
            deletion_at=d.change.deletion_at,
        )
        for d in parsed.documents
    ]
    archived = await archiving.archive_documents(dialect.runtime, sender.id, parsed.name, documents)
    links = _links(dialect, sender)
    root = archive_xml.archive_element(
        archived.archive, archived.documents, links, next_uri=_first_page(links, archived.archive)
    )
    return signed(dialect, request, xml_bytes(root))


# --- reading -------------------------------------------------------------------------------------


async def get_archives(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    links = _links(dialect, sender)
    archives = await finding.sender_archives(dialect.runtime, sender.id)
    entries: list[tuple[Archive, list[ArchivedDocument], str | None]] = [
        (a, [], _first_page(links, a)) for a in archives
    ]
    return signed(dialect, request, xml_bytes(archive_xml.archives_element(entries, links)))


def _decoded(raw: str, name: str) -> str:
    """Java sends these query values base64-encoded, .NET plain."""
    try:
        return base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return raw


def _date(request: Request, name: str) -> datetime | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    for text in (_decoded(raw, name), raw):
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        if parsed.tzinfo is not None:
            return parsed
    raise DigipostError(
        "INVALID_QUERY_PARAMETER",
        f"{name} must be an ISO-8601 date and time with an offset (base64 or plain)",
    )


def _attributes(request: Request) -> tuple[tuple[str, str], ...]:
    raw = request.query_params.get("attributes")
    if not raw:
        return ()
    items = _decoded(raw, "attributes").split(",")
    if len(items) % 2:
        raise DigipostError("INVALID_QUERY_PARAMETER", "attributes must be base64 of key,value pairs")
    return tuple(zip(items[::2], items[1::2], strict=True))


def _cursor(after: tuple[datetime, uuid.UUID]) -> str:
    raw = f"{after[0].isoformat()}|{after[1]}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after(request: Request) -> tuple[datetime, uuid.UUID] | None:
    raw = request.query_params.get("after")
    if not raw:
        return None
    try:
        at, _, row = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode().partition("|")
        return datetime.fromisoformat(at), uuid.UUID(row)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise DigipostError(
            "INVALID_QUERY_PARAMETER", "after is not a cursor this server handed out"
        ) from exc


def _archive_id(request: Request) -> uuid.UUID:
    try:
        return uuid.UUID(request.path_params["archive_id"])
    except ValueError as exc:
        raise DigipostError("DOCUMENT_NOT_FOUND", "no such archive", 404) from exc


async def next_documents(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    match = DocumentFilter(_attributes(request), _date(request, "fromDate"), _date(request, "toDate"))
    page = await finding.archive_page(
        dialect.runtime, sender.id, _archive_id(request), match, after=_after(request), limit=PAGE_SIZE
    )
    links = _links(dialect, sender)
    next_uri = None
    if page.next_after is not None:
        next_uri = f"{links.documents_of(page.archive.id)}?after={_cursor(page.next_after)}"
    root = archive_xml.archive_element(page.archive, page.documents, links, next_uri=next_uri)
    return signed(dialect, request, xml_bytes(root))


async def by_uuid(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    archive, document = await finding.archived_document(dialect.runtime, sender.id, _uuid(request))
    links = _links(dialect, sender)
    return signed(
        dialect, request, xml_bytes(archive_xml.archive_element(archive, [document], links, next_uri=None))
    )


async def by_reference_id(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    raw = request.path_params["reference"]
    try:
        reference = base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise DigipostError("INVALID_QUERY_PARAMETER", "the reference id must be base64 of UTF-8") from exc
    found = await finding.by_reference_id(dialect.runtime, sender.id, reference)
    links = _links(dialect, sender)
    entries: list[tuple[Archive, list[ArchivedDocument], str | None]] = [(a, docs, None) for a, docs in found]
    return signed(dialect, request, xml_bytes(archive_xml.archives_element(entries, links)))


def _uuid(request: Request) -> str:
    return str(request.path_params["uuid"]).lower()


# --- changing ------------------------------------------------------------------------------------


async def update(dialect: DigipostDialect, request: Request) -> Response:
    body, body_sha256 = await read_body(request, MAX_XML_BYTES)
    sender = await acting_sender(dialect, request, body_sha256)
    parsed = archive_xml.read_archive_document(xml_element(body, "archive-document"), "archive-document")
    if parsed.external_id != _uuid(request):
        raise DigipostError(
            "VALIDATION_FAILED", "archive-document/uuid: must be the uuid of the document updated"
        )
    document = await changing.update_document(dialect.runtime, sender.id, _uuid(request), parsed.change)
    root = archive_xml.archive_document_element(document, _links(dialect, sender))
    return signed(dialect, request, xml_bytes(root))


async def delete(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    await changing.delete_document(dialect.runtime, sender.id, _uuid(request))
    return signed(dialect, request, b"")


async def add_unique_uuid(dialect: DigipostDialect, request: Request) -> Response:
    body, body_sha256 = await read_body(request, MAX_XML_BYTES)
    sender = await acting_sender(dialect, request, body_sha256)
    parsed = archive_xml.read_archive_document(xml_element(body, "archive-document"), "archive-document")
    copy = await changing.add_unique_uuid(dialect.runtime, sender.id, _uuid(request), parsed.external_id)
    archive, _ = await finding.archived_document(dialect.runtime, sender.id, copy.external_id)
    root = archive_xml.archive_element(archive, [copy], _links(dialect, sender), next_uri=None)
    return signed(dialect, request, xml_bytes(root))


# --- content -------------------------------------------------------------------------------------


def _serializer(dialect: DigipostDialect) -> URLSafeSerializer:
    key = dialect.server_key.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return URLSafeSerializer(hashlib.sha256(b"postbud archive links\0" + key).digest(), salt=_TOKEN_SALT)


async def content(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    _, document = await finding.archived_document(dialect.runtime, sender.id, _uuid(request))
    token = _serializer(dialect).dumps([str(sender.id), document.external_id])
    root = archive_xml.archive_document_content(document.content_type, f"{dialect.base_url}/archived/{token}")
    return signed(dialect, request, xml_bytes(root))


def _content_response(
    dialect: DigipostDialect, request: Request, document: ArchivedDocument, data: bytes, disposition: str
) -> Response:
    filename = document.file_name or f"{document.external_id}.{document.file_type}"
    return signed_file(
        dialect, request, data, filename=filename, media_type=document.content_type, disposition=disposition
    )


async def content_stream(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    document, data = await finding.archived_content(dialect.runtime, sender.id, _uuid(request))
    return _content_response(dialect, request, document, data, "attachment")


async def view(dialect: DigipostDialect, request: Request) -> Response:
    """The browser view behind ``archive-document-content/uri``: the signed token is the key."""
    try:
        sender_id, external_id = _serializer(dialect).loads(request.path_params["token"])
        owner = uuid.UUID(sender_id)
    except (BadSignature, ValueError, TypeError) as exc:
        raise DigipostError("DOCUMENT_NOT_FOUND", "this archive link is not valid", 404) from exc
    document, data = await finding.archived_content(dialect.runtime, owner, str(external_id))
    return _content_response(dialect, request, document, data, "inline")

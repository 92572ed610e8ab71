"""The archive operations as data (like :mod:`operations`): requests and how to read the answers."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import urlencode, urljoin
from uuid import UUID

from lxml import etree

from postbud.dialects.digipost.schema import validate

from .archive import Archive, ArchiveDocument, ArchiveDocumentContent
from .errors import InvalidRequestError, MissingLinkError, UnexpectedResponseError
from .links import Entrypoint, Link, Relation
from .multipart import MULTIPART_V8, XML_V8
from .operations import Call, ContentSource
from .transport import ApiRequest, ApiResponse
from .xml_elements import child_elements, child_text, optional_time
from .xml_in import parse

__all__ = [
    "add_unique_uuid",
    "archive_document_by_uuid",
    "archive_document_content",
    "archive_documents",
    "archive_documents_by_reference_id",
    "archive_page",
    "archives",
    "delete_archive_document",
    "fetch_archive_document",
    "match_archive_contents",
    "update_archive_document",
]

V8 = "http://api.digipost.no/schema/v8"


def _q(name: str) -> str:
    return f"{{{V8}}}{name}"


def _link(owner: Entrypoint | ArchiveDocument, relation: Relation, where: str) -> Link:
    found = owner.link(relation)
    if found is None:
        raise MissingLinkError(relation, where)
    return found


# --- out -----------------------------------------------------------------------------------------


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, _q(name)).text = text


def _document(el: etree._Element, document: ArchiveDocument) -> etree._Element:
    _add(el, "uuid", str(document.uuid))
    _add(el, "file-name", document.file_name)
    _add(el, "file-type", document.file_type)
    _add(el, "referenceid", document.reference_id)
    _add(el, "content-type", document.content_type)
    for key, value in document.attributes.items():
        attribute = etree.SubElement(el, _q("attributes"))
        _add(attribute, "key", key)
        _add(attribute, "value", value)
    if document.deletion_time is not None:
        _add(el, "deletion-time", document.deletion_time.isoformat())
    return el


def _checked(root: etree._Element) -> bytes:
    errors = validate(root, 8)
    if errors:
        raise InvalidRequestError("SCHEMA_VALIDATION_ERROR", errors)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def archive_xml(name: str | None, documents: Sequence[ArchiveDocument]) -> bytes:
    root = etree.Element(_q("archive"), nsmap={None: V8})
    _add(root, "name", name)
    for document in documents:
        _document(etree.SubElement(root, _q("documents")), document)
    return _checked(root)


def archive_document_xml(document: ArchiveDocument) -> bytes:
    return _checked(_document(etree.Element(_q("archive-document"), nsmap={None: V8}), document))


def _multipart(archive_body: bytes, documents: Sequence[tuple[ArchiveDocument, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(18)
    chunks = [
        f'--{boundary}\r\nContent-Disposition: attachment; filename="archive"\r\n'
        f"Content-Type: {XML_V8}; charset=UTF-8\r\n\r\n".encode(),
        archive_body,
        b"\r\n",
    ]
    for document, content in documents:
        chunks += [
            f'--{boundary}\r\nContent-Disposition: attachment; filename="{document.uuid}"\r\n'
            f"Content-Type: {document.content_type}\r\n\r\n".encode(),
            content,
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"{MULTIPART_V8}; boundary={boundary}"


# --- in ------------------------------------------------------------------------------------------


def _links(el: etree._Element) -> tuple[Link, ...]:
    return tuple(
        Link(link.get("rel") or "", link.get("uri") or "", link.get("media-type"))
        for link in child_elements(el, "link")
    )


def _read_document(el: etree._Element) -> ArchiveDocument:
    raw_uuid = child_text(el, "uuid")
    if raw_uuid is None:
        raise UnexpectedResponseError("an archive document without uuid")
    return ArchiveDocument(
        file_type=child_text(el, "file-type") or "",
        file_name=child_text(el, "file-name"),
        content_type=child_text(el, "content-type") or "application/octet-stream",
        reference_id=child_text(el, "referenceid"),
        attributes={
            child_text(a, "key") or "": child_text(a, "value") or "" for a in child_elements(el, "attributes")
        },
        deletion_time=optional_time(child_text(el, "deletion-time")),
        uuid=UUID(raw_uuid),
        content_hash=child_text(el, "content-hash"),
        archived_time=optional_time(child_text(el, "archived-time")),
        links=_links(el),
    )


def _read_archive(el: etree._Element) -> Archive:
    sender_id = child_text(el, "sender-id")
    return Archive(
        name=child_text(el, "name"),
        sender_id=int(sender_id) if sender_id else None,
        documents=tuple(_read_document(d) for d in child_elements(el, "documents")),
        links=_links(el),
    )


def _archive(response: ApiResponse) -> Archive:
    return _read_archive(parse(response.body, "archive"))


def _archives(response: ApiResponse) -> list[Archive]:
    return [_read_archive(el) for el in child_elements(parse(response.body, "archives"), "archive")]


def _nothing(_: ApiResponse) -> None:
    return None


def match_archive_contents(
    documents: Sequence[ArchiveDocument], contents: Mapping[UUID | str, ContentSource]
) -> list[tuple[ArchiveDocument, ContentSource]]:
    """Every document with its content, by uuid; none missing and none extra."""
    by_uuid = {UUID(str(key)): source for key, source in contents.items()}
    missing = [str(d.uuid) for d in documents if d.uuid not in by_uuid]
    extra = sorted(str(u) for u in set(by_uuid) - {d.uuid for d in documents})
    problems = [f"no content for document {u}" for u in missing] + [
        f"content for unknown document {u}" for u in extra
    ]
    if problems:
        raise InvalidRequestError("DOCUMENTS_AND_FILES_MISMATCH", problems)
    return [(d, by_uuid[d.uuid]) for d in documents]


# --- calls ---------------------------------------------------------------------------------------


def archive_documents(
    root: Entrypoint, name: str | None, documents: Sequence[tuple[ArchiveDocument, bytes]]
) -> Call[Archive]:
    link = _link(root, Relation.ARCHIVE_DOCUMENTS, "the entrypoint")
    body, content_type = _multipart(archive_xml(name, [d for d, _ in documents]), documents)
    request = ApiRequest("POST", link.uri, body, content_type, extra_headers={"MIME-Version": "1.0"})
    return Call(request, _archive)


def archives(sender_root: Entrypoint) -> Call[list[Archive]]:
    link = _link(sender_root, Relation.GET_ARCHIVES, "the sender entrypoint")
    return Call(ApiRequest("GET", link.uri), _archives)


def _base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def archive_page(
    page: Archive | Link,
    *,
    attributes: Mapping[str, str] | None = None,
    archived_from: datetime | None = None,
    archived_to: datetime | None = None,
) -> Call[Archive]:
    """The page ``next_documents`` points at, filtered as the Java client filters (base64 values)."""
    link = page if isinstance(page, Link) else page.next_documents_link
    if link is None:
        raise MissingLinkError(Relation.NEXT_DOCUMENTS, "the archive")
    query: dict[str, str] = {}
    if attributes:
        query["attributes"] = _base64(",".join(f"{k},{v}" for k, v in attributes.items()))
    if archived_from is not None:
        query["fromDate"] = _base64(archived_from.isoformat())
    if archived_to is not None:
        query["toDate"] = _base64(archived_to.isoformat())
    separator = "&" if "?" in link.uri else "?"
    url = link.uri + (separator + urlencode(query) if query else "")
    return Call(ApiRequest("GET", url), _archive)


def archive_document_by_uuid(root: Entrypoint, document_uuid: UUID | str) -> Call[Archive]:
    link = _link(root, Relation.GET_ARCHIVE_DOCUMENT_BY_UUID, "the entrypoint")
    return Call(ApiRequest("GET", urljoin(link.uri, str(UUID(str(document_uuid))))), _archive)


def archive_documents_by_reference_id(root: Entrypoint, reference_id: str) -> Call[list[Archive]]:
    link = _link(root, Relation.GET_ARCHIVE_DOCUMENTS_BY_REFERENCEID, "the entrypoint")
    return Call(ApiRequest("GET", link.uri + _base64(reference_id)), _archives)


def update_archive_document(document: ArchiveDocument) -> Call[ArchiveDocument]:
    link = _link(document, Relation.SELF_UPDATE, "the archive document")
    request = ApiRequest("PUT", link.uri, archive_document_xml(document), XML_V8)
    return Call(request, lambda response: _read_document(parse(response.body, "archive-document")))


def delete_archive_document(document: ArchiveDocument) -> Call[None]:
    link = _link(document, Relation.SELF_DELETE, "the archive document")
    return Call(ApiRequest("DELETE", link.uri), _nothing)


def add_unique_uuid(document: ArchiveDocument, new_uuid: UUID) -> Call[Archive]:
    link = _link(document, Relation.ADD_UNIQUE_UUID, "the archive document")
    copy = ArchiveDocument(document.file_type, document.file_name, document.content_type, uuid=new_uuid)
    return Call(ApiRequest("POST", link.uri, archive_document_xml(copy), XML_V8), _archive)


def archive_document_content(document: ArchiveDocument) -> Call[ArchiveDocumentContent]:
    link = _link(document, Relation.GET_ARCHIVE_DOCUMENT_CONTENT, "the archive document")

    def read(response: ApiResponse) -> ArchiveDocumentContent:
        root = parse(response.body, "archive-document-content")
        return ArchiveDocumentContent(child_text(root, "content-type") or "", child_text(root, "uri") or "")

    return Call(ApiRequest("GET", link.uri), read)


def fetch_archive_document(document: ArchiveDocument) -> Call[bytes]:
    link = _link(document, Relation.GET_ARCHIVE_DOCUMENT_CONTENT_STREAM, "the archive document")
    return Call(ApiRequest("GET", link.uri, accept="*/*"), lambda response: response.body)

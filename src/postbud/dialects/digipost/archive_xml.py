"""Archive XML: ``archive`` in (an archiving request, an update) and ``archives``, ``archive``,
``archive-document`` and ``archive-document-content`` out, with the links the clients follow."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.render import link
from postbud.dialects.digipost.schema import namespace
from postbud.domain.archives import Archive, ArchivedDocument, Attributes, DocumentChange

V8 = namespace(8)


def _q(name: str) -> str:
    return f"{{{V8}}}{name}"


def _text(el: etree._Element, name: str) -> str | None:
    found = el.find(_q(name))
    return found.text.strip() if found is not None and found.text is not None else None


def _add(parent: etree._Element, name: str, text: str | None) -> etree._Element | None:
    if text is None:
        return None
    child = etree.SubElement(parent, _q(name))
    child.text = text
    return child


def _time(value: datetime) -> str:
    return value.isoformat(timespec="milliseconds")


def _datetime(value: str | None, field: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DigipostError("VALIDATION_FAILED", f"{field}: not a date and time") from exc
    if parsed.tzinfo is None:
        raise DigipostError("VALIDATION_FAILED", f"{field}: needs a time zone offset")
    return parsed


# --- in ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArchiveDocumentIn:
    external_id: str
    change: DocumentChange
    content_type_given: bool


@dataclass(frozen=True, slots=True)
class ArchiveIn:
    name: str | None
    sender_id: int | None
    sender_organisation: str | None
    documents: list[ArchiveDocumentIn]


def _attributes(el: etree._Element) -> Attributes:
    return tuple((_text(a, "key") or "", _text(a, "value") or "") for a in el.findall(_q("attributes")))


def read_archive_document(el: etree._Element, where: str) -> ArchiveDocumentIn:
    content_type = _text(el, "content-type")
    change = DocumentChange(
        file_name=_text(el, "file-name"),
        file_type=(_text(el, "file-type") or "").lower(),
        reference_id=_text(el, "referenceid"),
        content_type=content_type or "application/octet-stream",
        attributes=_attributes(el),
        deletion_at=_datetime(_text(el, "deletion-time"), f"{where}/deletion-time"),
    )
    return ArchiveDocumentIn((_text(el, "uuid") or "").lower(), change, content_type is not None)


def read_archive(root: etree._Element) -> ArchiveIn:
    """``root``: a schema-valid ``archive``."""
    organisation = root.find(_q("sender-organization"))
    sender_id = _text(root, "sender-id")
    return ArchiveIn(
        name=_text(root, "name"),
        sender_id=int(sender_id) if sender_id else None,
        sender_organisation=_text(organisation, "organization-id") if organisation is not None else None,
        documents=[
            read_archive_document(el, f"archive/documents[{i}]")
            for i, el in enumerate(root.findall(_q("documents")))
        ],
    )


# --- out -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArchiveLinks:
    """Where this sender's archive resources are: ``{base}/{senderId}/archives…``."""

    base: str
    sender_id: int

    @property
    def root(self) -> str:
        return f"{self.base}/{self.sender_id}/archives"

    def document(self, external_id: str) -> str:
        return f"{self.root}/documents/{external_id}"

    def documents_of(self, archive_id: uuid.UUID) -> str:
        return f"{self.root}/{archive_id}/documents"


def _document(parent: etree._Element, tag: str, doc: ArchivedDocument, links: ArchiveLinks) -> None:
    el = etree.SubElement(parent, _q(tag))
    _add(el, "uuid", doc.external_id)
    _add(el, "file-name", doc.file_name)
    _add(el, "file-type", doc.file_type)
    _add(el, "referenceid", doc.reference_id)
    _add(el, "content-type", doc.content_type)
    digest = base64.b64encode(bytes.fromhex(doc.sha256)).decode()
    hash_el = _add(el, "content-hash", digest)
    assert hash_el is not None
    hash_el.set("hash-algorithm", "SHA256")
    for key, value in doc.attributes:
        attribute = etree.SubElement(el, _q("attributes"))
        _add(attribute, "key", key)
        _add(attribute, "value", value)
    _add(el, "archived-time", _time(doc.archived_at))
    if doc.deletion_at is not None:
        _add(el, "deletion-time", _time(doc.deletion_at))
    own = links.document(doc.external_id)
    link(el, V8, links.base, "get_archive_document_by_uuid", f"{links.root}/documents/uuid/{doc.external_id}")
    link(el, V8, links.base, "get_archive_document_content", f"{own}/content")
    link(el, V8, links.base, "get_archive_document_content_stream", f"{own}/content/stream")
    link(el, V8, links.base, "self_update", own)
    link(el, V8, links.base, "self_delete", own)
    link(el, V8, links.base, "add_unique_uuid", f"{own}/uuids")


def archive_element(
    archive: Archive,
    documents: list[ArchivedDocument],
    links: ArchiveLinks,
    *,
    next_uri: str | None,
    parent: etree._Element | None = None,
) -> etree._Element:
    """``next_uri``: the ``next_documents`` link (the first page for a list of archives)."""
    el = (
        etree.Element(_q("archive"), nsmap={None: V8})
        if parent is None
        else etree.SubElement(parent, _q("archive"))
    )
    _add(el, "sender-id", str(links.sender_id))
    _add(el, "name", archive.name)
    if next_uri is not None:
        link(el, V8, links.base, "next_documents", next_uri)
    for doc in documents:
        _document(el, "documents", doc, links)
    return el


def archives_element(
    entries: list[tuple[Archive, list[ArchivedDocument], str | None]], links: ArchiveLinks
) -> etree._Element:
    root = etree.Element(_q("archives"), nsmap={None: V8})
    for archive, documents, next_uri in entries:
        archive_element(archive, documents, links, next_uri=next_uri, parent=root)
    return root


def archive_document_element(doc: ArchivedDocument, links: ArchiveLinks) -> etree._Element:
    holder = etree.Element(_q("holder"), nsmap={None: V8})
    _document(holder, "archive-document", doc, links)
    el = holder[0]
    holder.remove(el)
    return el


def archive_document_content(content_type: str, uri: str) -> etree._Element:
    root = etree.Element(_q("archive-document-content"), nsmap={None: V8})
    _add(root, "content-type", content_type)
    _add(root, "uri", uri)
    return root

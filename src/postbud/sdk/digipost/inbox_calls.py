"""Inbox, tags and user-account operations as data (like :mod:`operations`)."""

from __future__ import annotations

from urllib.parse import urlencode

from lxml import etree

from postbud.dialects.digipost.schema import validate

from .errors import InvalidRequestError, MissingLinkError, UnexpectedResponseError
from .inbox import InboxDocument, TagType, UserAccount
from .links import Entrypoint, Relation
from .multipart import XML_V8
from .operations import Call
from .transport import ApiRequest, ApiResponse
from .xml_elements import child_elements, child_text, optional_time
from .xml_in import parse

__all__ = [
    "add_tag",
    "create_or_activate_user_account",
    "delete_inbox_document",
    "fetch_inbox_document",
    "inbox",
    "remove_tag",
    "tags",
]

V8 = "http://api.digipost.no/schema/v8"
MAX_INBOX_LIMIT = 1000


def _q(name: str) -> str:
    return f"{{{V8}}}{name}"


def _link(root: Entrypoint, relation: Relation) -> str:
    found = root.link(relation)
    if found is None:
        raise MissingLinkError(relation, "the entrypoint")
    return found.uri


def _xml(root: etree._Element) -> bytes:
    errors = validate(root, 8)
    if errors:
        raise InvalidRequestError("SCHEMA_VALIDATION_ERROR", errors)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _nothing(_: ApiResponse) -> None:
    return None


# --- inbox ---------------------------------------------------------------------------------------


def _document(el: etree._Element) -> InboxDocument:
    raw_id, delivered = child_text(el, "id"), optional_time(child_text(el, "delivery-time"))
    if raw_id is None or delivered is None:
        raise UnexpectedResponseError("an inbox document without id or delivery-time")
    return InboxDocument(
        id=int(raw_id),
        sender=child_text(el, "sender") or "",
        delivery_time=delivered,
        authentication_level=child_text(el, "authentication-level") or "PASSWORD",
        subject=child_text(el, "subject"),
        reference_from_sender=child_text(el, "reference-from-sender"),
        first_accessed=optional_time(child_text(el, "first-accessed")),
        content_type=child_text(el, "content-type"),
        content_uri=child_text(el, "content-uri"),
        delete_uri=child_text(el, "delete-uri"),
        attachments=tuple(_document(a) for a in child_elements(el, "attachment")),
    )


def inbox(sender_root: Entrypoint, *, offset: int, limit: int) -> Call[list[InboxDocument]]:
    if offset < 0 or not 1 <= limit <= MAX_INBOX_LIMIT:
        raise InvalidRequestError(
            "INVALID_QUERY_PARAMETER", [f"offset ≥ 0 and 1 ≤ limit ≤ {MAX_INBOX_LIMIT}"]
        )
    url = f"{_link(sender_root, Relation.GET_INBOX)}?{urlencode({'offset': offset, 'limit': limit})}"

    def read(response: ApiResponse) -> list[InboxDocument]:
        return [_document(d) for d in child_elements(parse(response.body, "inbox"), "document")]

    return Call(ApiRequest("GET", url), read)


def fetch_inbox_document(document: InboxDocument) -> Call[bytes]:
    """The bytes, through the one-time link the server redirects to (valid 30 s, used once)."""
    if document.content_uri is None:
        raise MissingLinkError("content-uri", "the inbox document")
    request = ApiRequest("GET", document.content_uri, accept="*/*", follow_redirect=True)
    return Call(request, lambda response: response.body)


def delete_inbox_document(document: InboxDocument) -> Call[None]:
    if document.delete_uri is None:
        raise MissingLinkError("delete-uri", "the inbox document")
    return Call(ApiRequest("DELETE", document.delete_uri), _nothing)


# --- tags ----------------------------------------------------------------------------------------


def _tag_xml(personal_identification_number: str) -> bytes:
    root = etree.Element(_q("tag"), nsmap={None: V8})
    mailbox_tag = etree.SubElement(root, _q("public-mailbox-tag"))
    etree.SubElement(mailbox_tag, _q("personal-identification-number")).text = personal_identification_number
    return _xml(root)


def add_tag(root: Entrypoint, personal_identification_number: str) -> Call[None]:
    body = _tag_xml(personal_identification_number)
    return Call(ApiRequest("POST", _link(root, Relation.ADD_TAG), body, XML_V8), _nothing)


def remove_tag(root: Entrypoint, personal_identification_number: str) -> Call[None]:
    body = _tag_xml(personal_identification_number)
    return Call(ApiRequest("POST", _link(root, Relation.REMOVE_TAG), body, XML_V8), _nothing)


def tags(root: Entrypoint, personal_identification_number: str) -> Call[list[TagType]]:
    query = urlencode({"personal-identification-number": personal_identification_number})
    url = f"{_link(root, Relation.GET_TAGS)}?{query}"

    def read(response: ApiResponse) -> list[TagType]:
        return [TagType(t.text or "") for t in child_elements(parse(response.body, "tags"), "tag-type")]

    return Call(ApiRequest("GET", url), read)


# --- user accounts -------------------------------------------------------------------------------


def create_or_activate_user_account(
    root: Entrypoint, national_identity_number: str, phone_number: str, email_address: str
) -> Call[UserAccount]:
    info = etree.Element(_q("user-information"), nsmap={None: V8})
    for name, value in (
        ("national-identity-number", national_identity_number),
        ("phone-number", phone_number),
        ("email-address", email_address),
    ):
        etree.SubElement(info, _q(name)).text = value
    link = _link(root, Relation.CREATE_OR_ACTIVATE_USER_ACCOUNT)

    def read(response: ApiResponse) -> UserAccount:
        account = parse(response.body, "user-account")
        key = child_elements(account, "encryption-key")
        return UserAccount(
            child_text(account, "digipost-address") or "",
            (key[0].text or "") if key else "",
            key[0].get("key-id") if key else None,
        )

    return Call(ApiRequest("POST", link, _xml(info), XML_V8), read)

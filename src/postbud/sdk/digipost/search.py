"""Search and autocomplete (§8), and a hit read again through its ``self`` link, as data (like
:mod:`operations`): which request to make and how to read the answer.

The query goes into the path percent-encoded as UTF-8 (``Åse Ødegård`` → ``%C3%85se%20%C3%98deg%C3%A5rd``),
as the .NET client sends it; the request is signed over that path as sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from .errors import MissingLinkError, UnexpectedResponseError
from .links import Entrypoint, Link, Relation
from .operations import Call
from .transport import ApiRequest, ApiResponse
from .xml_elements import child_elements, child_text
from .xml_in import parse

__all__ = ["FoundRecipient", "Suggestion", "autocomplete", "recipient", "search"]


@dataclass(frozen=True, slots=True)
class FoundRecipient:
    """A person or organisation with a published Digipost mailbox."""

    digipost_address: str
    firstname: str | None = None
    middlename: str | None = None
    lastname: str | None = None
    organisation_number: str | None = None
    organisation_name: str | None = None
    mobile_number: str | None = None
    """Masked, as Digipost shows it (``*****527``)."""
    self_link: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    search_string: str
    search_link: str | None = None


def _link(el: etree._Element, relation: str) -> str | None:
    for link in child_elements(el, "link"):
        if (link.get("rel") or "").rsplit("/", 1)[-1] == relation:
            return link.get("uri")
    return None


def _recipient(el: etree._Element) -> FoundRecipient:
    address = child_text(el, "digipost-address")
    if not address:
        raise UnexpectedResponseError("a recipient without digipost-address")
    return FoundRecipient(
        digipost_address=address,
        firstname=child_text(el, "firstname"),
        middlename=child_text(el, "middlename") or None,
        lastname=child_text(el, "lastname"),
        organisation_number=child_text(el, "organisation-number"),
        organisation_name=child_text(el, "organisation-name"),
        mobile_number=child_text(el, "mobile-number"),
        self_link=_link(el, "self"),
    )


def _entrypoint_link(root: Entrypoint, relation: Relation) -> Link:
    found = root.link(relation)
    if found is None:
        raise MissingLinkError(relation, "the entrypoint")
    return found


def _query_path(link: Link, query: str) -> str:
    if not query.strip():
        raise ValueError("a search needs a query")
    return f"{link.uri.rstrip('/')}/{quote(query.strip(), safe='')}"


def _hits(response: ApiResponse) -> list[FoundRecipient]:
    return [_recipient(el) for el in child_elements(parse(response.body, "recipients"), "recipient")]


def _suggestions(response: ApiResponse) -> list[Suggestion]:
    root = parse(response.body, "autocomplete")
    return [
        Suggestion(child_text(el, "search-string") or "", _link(el, "search"))
        for el in child_elements(root, "suggestion")
    ]


def search(root: Entrypoint, query: str) -> Call[list[FoundRecipient]]:
    """At most 10 people or organisations whose name or address has every word of ``query``."""
    return Call(ApiRequest("GET", _query_path(_entrypoint_link(root, Relation.SEARCH), query)), _hits)


def autocomplete(root: Entrypoint, query: str) -> Call[list[Suggestion]]:
    return Call(
        ApiRequest("GET", _query_path(_entrypoint_link(root, Relation.AUTOCOMPLETE), query)), _suggestions
    )


def recipient(found: FoundRecipient) -> Call[FoundRecipient]:
    """The hit again, by its ``self`` link."""
    if found.self_link is None:
        raise MissingLinkError(Relation.SELF, "the recipient")
    return Call(ApiRequest("GET", found.self_link), lambda r: _recipient(parse(r.body, "recipient")))

"""GET /recipients/search/{query} and /recipients/suggest/{query}: finding a Digipost address;
GET /recipients/{address}: one hit again, by the ``self`` link the search gave it.

Only recipients with a published mailbox are searchable: a digital mailbox with an address, not
reserved in the contact register (the reservation hides the mailbox, see ``identification``). A
query matches when every word occurs in the name, the mailbox address, the postal code or the city.
At most 10 hits are returned, as Digipost does; mobile numbers are masked (``*****527``).

The query arrives percent-encoded (``%20``) or, when a client follows our own self links, with
``+`` for spaces; both read as spaces. The request is accepted signed over either form of the
path, and the response is signed over the form the client verifies (``responses.response_path``).
"""

from __future__ import annotations

import re
from urllib.parse import quote, quote_plus

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.render import link
from postbud.dialects.digipost.request_in import authenticated_sender
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.domain.parties import PartyKind, PostalAddress, Recipient

V8 = namespace(8)
MAX_HITS = 10
MAX_QUERY_WORDS = 8
_WORDS = re.compile(r"[\s,]+")
_STREET_AND_NUMBER = re.compile(r"^(?P<street>.*?)\s+(?P<number>\d+)\s*(?P<letter>[A-Za-z])?$")
_VISIBLE_MOBILE_DIGITS = 3


def _q(name: str) -> str:
    return f"{{{V8}}}{name}"


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    if text:
        etree.SubElement(parent, _q(name)).text = text


def query_words(raw: str) -> list[str]:
    return [w for w in _WORDS.split(raw.replace("+", " ")) if w][:MAX_QUERY_WORDS]


def masked_mobile(mobile: str) -> str:
    """``+4791234527`` → ``*****527``: the national number with all but its last digits hidden."""
    digits = "".join(c for c in mobile if c.isdigit())
    if mobile.startswith("+47") and len(digits) == 10:
        digits = digits[2:]
    hidden = max(len(digits) - _VISIBLE_MOBILE_DIGITS, 0)
    return "*" * hidden + digits[hidden:]


def _address(parent: etree._Element, address: PostalAddress) -> None:
    el = etree.SubElement(parent, _q("address"))
    first = address.lines[0] if address.lines else ""
    parts = _STREET_AND_NUMBER.match(first)
    if parts:
        _add(el, "street", parts["street"])
        _add(el, "house-number", parts["number"])
        _add(el, "house-letter", parts["letter"])
    else:
        _add(el, "street", first)
    _add(el, "additional-addressline", ", ".join(address.lines[1:]))
    _add(el, "zip-code", address.postal_code)
    _add(el, "city", address.city)


def _recipient(parent: etree._Element | None, base: str, recipient: Recipient) -> etree._Element:
    """A ``recipient``: a search hit (under ``parent``), or the whole answer of its ``self`` link."""
    caps = recipient.capabilities
    assert caps.mailbox_address is not None  # only mailboxes with an address are searchable
    if parent is None:
        el = etree.Element(_q("recipient"), nsmap={None: V8})
    else:
        el = etree.SubElement(parent, _q("recipient"))
    if recipient.kind is PartyKind.PERSON:
        names = recipient.name.split()
        _add(el, "firstname", names[0] if names else None)
        _add(el, "middlename", " ".join(names[1:-1]))
        _add(el, "lastname", names[-1] if len(names) > 1 else None)
    _add(el, "digipost-address", caps.mailbox_address)
    _add(el, "mobile-number", masked_mobile(caps.mobile) if caps.mobile else None)
    if recipient.kind is PartyKind.ORGANISATION:
        _add(el, "organisation-number", recipient.party_id.value)
        _add(el, "organisation-name", recipient.name)
    if caps.postal_address is not None:
        _address(el, caps.postal_address)
    link(el, V8, base, "self", f"{base}/recipients/{quote(caps.mailbox_address, safe='')}")
    return el


def recipients_element(base: str, query: str, hits: list[Recipient]) -> etree._Element:
    root = etree.Element(_q("recipients"), nsmap={None: V8})
    for recipient in hits:
        _recipient(root, base, recipient)
    link(root, V8, base, "self", f"{base}/recipients/search/{quote_plus(query, safe='')}")
    return root


def suggestion_text(recipient: Recipient) -> str:
    address = recipient.capabilities.postal_address
    return f"{recipient.name} {address.city}" if address is not None and address.city else recipient.name


def autocomplete_element(base: str, query: str, hits: list[Recipient]) -> etree._Element:
    root = etree.Element(_q("autocomplete"), nsmap={None: V8})
    for text in dict.fromkeys(suggestion_text(r) for r in hits):
        suggestion = etree.SubElement(root, _q("suggestion"))
        _add(suggestion, "search-string", text)
        link(suggestion, V8, base, "search", f"{base}/recipients/search/{quote_plus(text, safe='')}")
    link(root, V8, base, "self", f"{base}/recipients/suggest/{quote_plus(query, safe='')}")
    return root


async def _hits(dialect: DigipostDialect, request: Request) -> tuple[str, list[Recipient]]:
    await authenticated_sender(dialect, request)
    query = " ".join(query_words(request.path_params["query"]))
    if not query:
        return query, []
    async with dialect.runtime.reader() as uow:
        return query, await uow.recipients.search_mailboxes(query.split(), limit=MAX_HITS)


async def search_recipients(dialect: DigipostDialect, request: Request) -> Response:
    query, hits = await _hits(dialect, request)
    return signed(dialect, request, xml_bytes(recipients_element(dialect.base_url, query, hits)))


async def suggest_recipients(dialect: DigipostDialect, request: Request) -> Response:
    query, hits = await _hits(dialect, request)
    return signed(dialect, request, xml_bytes(autocomplete_element(dialect.base_url, query, hits)))


def is_published(recipient: Recipient | None) -> bool:
    """A mailbox search can find: a digital mailbox with an address, not reserved."""
    if recipient is None:
        return False
    caps = recipient.capabilities
    return caps.digital_mailbox and caps.mailbox_address is not None and not caps.reserved


async def recipient_by_address(dialect: DigipostDialect, request: Request) -> Response:
    """The ``self`` link of a search hit: the same ``recipient``, or ``404 UNKNOWN_RECIPIENT`` for
    an address no published mailbox has (search would not have found it either)."""
    await authenticated_sender(dialect, request)
    address = request.path_params["address"]
    async with dialect.runtime.reader() as uow:
        recipient = await uow.recipients.by_mailbox_address(address)
    if recipient is None or not is_published(recipient):
        raise DigipostError("UNKNOWN_RECIPIENT", f"no Digipost mailbox has the address {address!r}", 404)
    return signed(dialect, request, xml_bytes(_recipient(None, dialect.base_url, recipient)))

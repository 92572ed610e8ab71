"""The Digipost v7/v8 message schemas and a hardened way to parse untrusted XML.

Parse with :func:`parse_xml` (never ``etree.fromstring`` on request bodies), then :func:`validate`.
"""

from __future__ import annotations

import re
import threading
from importlib.resources import files
from typing import Any, Final, Literal

from lxml import etree

__all__ = [
    "DEFAULT_MAX_BYTES",
    "NAMESPACES",
    "SchemaVersion",
    "XmlRejected",
    "hardened_parser",
    "load_schema",
    "namespace",
    "parse_xml",
    "validate",
]

SchemaVersion = Literal[7, 8]

NAMESPACES: Final[dict[int, str]] = {
    7: "http://api.digipost.no/schema/v7",
    8: "http://api.digipost.no/schema/v8",
}

# The message part of a send is a few KB even with 201 attachments; listings (inbox, events) stay
# well below this. Callers with bigger needs pass max_bytes explicitly.
DEFAULT_MAX_BYTES: Final = 4 * 1024 * 1024

_FEED_CHUNK: Final = 64 * 1024

_MAX_PROLOG_ITEMS: Final = 32
_WHITESPACE: Final = re.compile(rb"[ \t\r\n]*+")


class XmlRejected(ValueError):
    """The input is not acceptable XML: too large, malformed, or carrying a DOCTYPE."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def namespace(version: SchemaVersion) -> str:
    return NAMESPACES[version]


class _LimitedParser(etree.XMLParser):
    """An XMLParser whose feed interface refuses more than ``max_bytes`` in total."""

    def __init__(self, max_bytes: int, **options: Any) -> None:
        super().__init__(**options)
        self.max_bytes = max_bytes
        self._fed = 0

    def feed(self, data: str | bytes) -> None:
        self._fed += len(data)
        if self._fed > self.max_bytes:
            raise XmlRejected(f"document exceeds {self.max_bytes} bytes")
        super().feed(data)


def hardened_parser(max_bytes: int = DEFAULT_MAX_BYTES) -> etree.XMLParser:
    """A fresh parser that never resolves entities, loads DTDs or touches the network.

    The byte limit applies to the feed interface (``parser.feed(...)``/``close()``), which is what
    :func:`parse_xml` uses. Parsers are stateful: create one per document.
    """
    return _LimitedParser(
        max_bytes,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse untrusted XML, refusing oversize input and any DOCTYPE (entity tricks, XXE)."""
    if len(data) > max_bytes:
        raise XmlRejected(f"document exceeds {max_bytes} bytes")
    # Refuse before libxml2 reads any internal subset (UTF-8/ASCII input); other encodings are caught
    # by the docinfo check after parsing, which is safe because entities are never expanded.
    if _prolog_has_doctype(data):
        raise XmlRejected("DOCTYPE declarations are not allowed")
    parser = hardened_parser(max_bytes)
    try:
        for start in range(0, len(data), _FEED_CHUNK):
            parser.feed(data[start : start + _FEED_CHUNK])
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(f"malformed XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XmlRejected("DOCTYPE declarations are not allowed")
    return root


def _prolog_has_doctype(data: bytes) -> bool:
    """True if a DOCTYPE follows the optional BOM, XML declaration, comments, PIs and whitespace."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    # Real prologs hold a handful of items; past that, leave it to the post-parse check.
    for _ in range(_MAX_PROLOG_ITEMS):
        match = _WHITESPACE.match(data, pos)
        pos = match.end() if match else pos
        for opening, closing in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if data.startswith(opening, pos):
                end = data.find(closing, pos + len(opening))
                if end < 0:
                    return False
                pos = end + len(closing)
                break
        else:
            return data.startswith(b"<!DOCTYPE", pos)
    return False


_cache = threading.local()


def load_schema(version: SchemaVersion) -> etree.XMLSchema:
    """The compiled schema for a version, cached per thread.

    lxml validators keep their error log on the instance, so one instance must not validate in two
    threads at once; a per-thread copy keeps :func:`validate` safe in a thread pool.
    """
    if version not in NAMESPACES:
        raise ValueError(f"unsupported Digipost API version: {version!r}")
    schemas: dict[int, etree.XMLSchema] | None = getattr(_cache, "schemas", None)
    if schemas is None:
        schemas = _cache.schemas = {}
    schema = schemas.get(version)
    if schema is None:
        source = files(__name__).joinpath(f"api_v{version}.xsd").read_bytes()
        schema = etree.XMLSchema(parse_xml(source))
        schemas[version] = schema
    return schema


def validate(element: etree._Element, version: SchemaVersion) -> list[str]:
    """Validate against the version's schema; returns readable errors, empty when valid.

    Each error reads ``line N: /message/primary-document/subject: <libxml2 message>``.
    """
    schema = load_schema(version)
    if schema.validate(element):
        return []
    tree = element.getroottree()
    return [
        f"line {entry.line}: {_readable_path(tree, entry.path)}: {_strip_namespaces(entry.message)}"
        for entry in schema.error_log
    ]


def _strip_namespaces(message: str) -> str:
    for uri in NAMESPACES.values():
        message = message.replace("{" + uri + "}", "")
    return message


def _readable_path(tree: etree._ElementTree, libxml_path: str | None) -> str:
    """Turn libxml2's ``/*/*[2]/*`` into ``/message/attachment[1]/subject``."""
    if not libxml_path:
        return "/"
    try:
        found = tree.xpath(libxml_path)
    except etree.XPathError:
        return libxml_path
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return libxml_path
    node: etree._Element | None = found[0]
    steps: list[str] = []
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is not None:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))

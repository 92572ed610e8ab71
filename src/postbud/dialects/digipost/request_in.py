"""Reading a small authenticated request: the sender behind it and, if it has one, its XML body."""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request

from postbud.dialects.digipost.auth import authenticate, read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.schema import SchemaVersion, XmlRejected, namespace, parse_xml, validate
from postbud.domain.parties import Sender

# Identification, batch and the like are a few hundred bytes; this leaves ample room.
MAX_XML_BYTES = 64 * 1024


async def authenticated_sender(dialect: DigipostDialect, request: Request) -> Sender:
    """Authenticate a request that carries no XML (GET, DELETE, a body-less POST)."""
    _, body_sha256 = await read_body(request, MAX_XML_BYTES)
    broker = await authenticate(dialect, request, body_sha256)
    assert broker.sender is not None  # authenticate refuses brokers without a sender
    return broker.sender


async def authenticated_xml(
    dialect: DigipostDialect, request: Request, element: str
) -> tuple[Sender, etree._Element]:
    """Authenticate, then parse the body as a v8 ``element`` that passes the XSD."""
    body, body_sha256 = await read_body(request, MAX_XML_BYTES)
    broker = await authenticate(dialect, request, body_sha256)
    assert broker.sender is not None
    return broker.sender, xml_element(body, element)


def xml_element(
    data: bytes, element: str, version: SchemaVersion = 8, *, what: str = "the body"
) -> etree._Element:
    """``data`` parsed (hardened) as the ``element`` of the given schema version, valid against its XSD."""
    try:
        root = parse_xml(data)
    except XmlRejected as exc:
        raise DigipostError("SCHEMA_VALIDATION_ERROR", f"{what} is not acceptable XML: {exc.reason}") from exc
    expected = f"{{{namespace(version)}}}{element}"
    if root.tag != expected:
        raise DigipostError("SCHEMA_VALIDATION_ERROR", f"{what} must be a {expected} element")
    errors = validate(root, version)
    if errors:
        raise DigipostError("SCHEMA_VALIDATION_ERROR", "; ".join(errors[:5]))
    return root

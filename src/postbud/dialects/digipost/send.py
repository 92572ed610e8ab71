"""POST /messages: the atomic multipart send (v7 and v8); the message alone (XML) starts the legacy
stepwise send (stepwise_create)."""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate, read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.message_command import letter_command, undeliverable
from postbud.dialects.digipost.message_in import read_message
from postbud.dialects.digipost.multipart import MultipartReader, Part, boundary_of
from postbud.dialects.digipost.pdf_check import invalid_pdf_content
from postbud.dialects.digipost.render import message_delivery
from postbud.dialects.digipost.request_in import xml_element
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.dialects.digipost.stepwise_create import create_message, is_message_alone
from postbud.domain.errors import ValidationFailed
from postbud.services.letters.send_letter import Undeliverable, send_letter


def _version(content_type: str) -> int:
    lowered = content_type.lower()
    if "digipost-v7" in lowered:
        return 7
    if lowered.startswith("multipart/"):
        return 8
    raise DigipostError(
        "ILLEGAL_CONTENT_TYPE",
        f"POST /messages takes multipart/vnd.digipost-v8+xml, not {content_type!r}",
        415,
    )


def _message_element(part: Part, version: int) -> etree._Element:
    return xml_element(bytes(part.body), "message", 8 if version == 8 else 7, what="the message part")


def _contents(parts: list[Part]) -> dict[str, bytes]:
    contents: dict[str, bytes] = {}
    for index, part in enumerate(parts, start=2):
        if "content-disposition" not in part.headers:
            raise DigipostError(
                "MISSING_BODYPART_CONTENT_DISPOSITION", f"body part {index} has no Content-Disposition"
            )
        name = part.filename
        if not name:
            raise DigipostError("MISSING_BODYPART_FILENAME", f"body part {index} has no filename")
        if name in contents:
            raise DigipostError("DOCUMENTS_AND_FILES_MISMATCH", f"two body parts are named {name}")
        contents[name] = bytes(part.body)
    return contents


async def send_message(dialect: DigipostDialect, request: Request) -> Response:
    content_type = request.headers.get("content-type", "")
    if is_message_alone(content_type):  # the legacy stepwise flow's first step
        return await create_message(dialect, request)
    settings = dialect.runtime.settings
    version = _version(content_type)
    reader = MultipartReader(
        boundary_of(request.headers["content-type"]),
        max_parts=2 + settings.max_attachments,
        max_part_bytes=settings.max_document_bytes,
    )
    _, body_sha256 = await read_body(request, settings.max_request_bytes, reader)
    broker = await authenticate(dialect, request, body_sha256)
    assert broker.sender is not None
    parts = reader.finish()
    if not parts:
        raise DigipostError("MISSING_CONTENT", "the request has no body parts")
    root = _message_element(parts[0], version)
    contents = _contents(parts[1:])
    parsed = read_message(root, etree.QName(root).namespace or namespace(8), contents)
    if len(contents) != len(parsed.documents):
        raise DigipostError(
            "DOCUMENTS_AND_FILES_MISMATCH",
            f"{len(parsed.documents)} documents but {len(contents)} file parts",
        )
    sender, parsed, command = await letter_command(dialect, broker.sender, parsed)
    try:
        accepted = await send_letter(command, dialect.runtime)
    except Undeliverable as exc:
        raise undeliverable(parsed, exc) from exc
    except ValidationFailed as exc:
        if (not_a_pdf := invalid_pdf_content(exc, parsed.documents)) is not None:
            raise not_a_pdf from exc
        raise
    shipment = accepted.shipment
    delivery = message_delivery(
        shipment, sender_id=sender.digipost_id or 0, version=version, base=dialect.base_url
    )
    body = xml_bytes(delivery)
    location = f"{dialect.base_url}/messages/{shipment.id}"
    return signed(dialect, request, body, status=201, extra_headers={"location": location})

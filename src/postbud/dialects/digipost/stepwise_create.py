"""POST /messages with the ``message`` alone: the first step of the legacy stepwise send (§5.5).

The message is checked as the atomic send checks it (schema, recipient, sender, print permissions,
batch) and kept as a core draft; the answer is ``201`` with a ``NOT_COMPLETE`` ``message-delivery``
naming where each document's content goes (``add_content``) and how to send it (``send``).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate, read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.message_command import letter_command
from postbud.dialects.digipost.message_in import read_message
from postbud.dialects.digipost.request_in import MAX_XML_BYTES
from postbud.dialects.digipost.responses import MEDIA_TYPE, signed, xml_bytes
from postbud.dialects.digipost.stepwise_message import (
    MESSAGE_PROPERTY,
    declared,
    declared_uuids,
    links_base,
    message_of,
    not_complete,
)
from postbud.services.letters.drafts import start_draft


def is_message_alone(content_type: str) -> bool:
    """A ``message`` XML body rather than the atomic multipart (v7 or v8 media type)."""
    lowered = content_type.lower()
    return lowered.startswith("application/") and "digipost-v" in lowered and "+xml" in lowered


async def create_message(dialect: DigipostDialect, request: Request) -> Response:
    version = 7 if "digipost-v7" in request.headers.get("content-type", "").lower() else 8
    body, body_sha256 = await read_body(request, MAX_XML_BYTES)
    broker = await authenticate(dialect, request, body_sha256)
    assert broker.sender is not None
    root = message_of(body, version)
    uuids = declared_uuids(root)
    parsed = read_message(root, etree.QName(root).namespace or "", dict.fromkeys(uuids, b""))
    # The documents come later, one upload each; the letter itself is checked now.
    sender, _, command = await letter_command(
        dialect, broker.sender, replace(parsed, documents=(), encrypted=frozenset())
    )
    xml = etree.tostring(root, encoding="unicode")
    draft = await start_draft(replace(command, properties={MESSAGE_PROPERTY: xml}), dialect.runtime)
    delivery = not_complete(draft, declared(draft), sender_id=sender.digipost_id or 0, base=dialect.base_url)
    location = links_base(dialect.base_url, draft)
    return signed(
        dialect,
        request,
        xml_bytes(delivery),
        status=201,
        media_type=MEDIA_TYPE[version],
        extra_headers={"location": location},
    )

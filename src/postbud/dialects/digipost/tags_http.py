"""Tags (reference §12.4): ``POST /tags/add`` and ``POST /tags/remove`` with a ``tag`` (a
``public-mailbox-tag`` naming a person), ``GET /tags?personal-identification-number=`` → ``tags``."""

from __future__ import annotations

import uuid

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.acting_sender import acting_sender
from postbud.dialects.digipost.auth import read_body
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.request_in import MAX_XML_BYTES, xml_element
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.services.tags.person_tags import PersonTag, add_tag, remove_tag, tags_of

V8 = namespace(8)
TAG_TYPES = {PersonTag.PUBLIC_MAILBOX: "PUBLIC_MAILBOX_TAG"}
_TAG_ELEMENTS = {"public-mailbox-tag": PersonTag.PUBLIC_MAILBOX}


async def _tag_request(dialect: DigipostDialect, request: Request) -> tuple[uuid.UUID, str, PersonTag]:
    body, body_sha256 = await read_body(request, MAX_XML_BYTES)
    sender = await acting_sender(dialect, request, body_sha256)
    root = xml_element(body, "tag")
    chosen = root[0]
    tag = _TAG_ELEMENTS[etree.QName(chosen).localname]  # the schema allows no other
    personal_id = (chosen.findtext(f"{{{V8}}}personal-identification-number") or "").strip()
    return sender.id, personal_id, tag


async def add(dialect: DigipostDialect, request: Request) -> Response:
    sender_id, personal_id, tag = await _tag_request(dialect, request)
    await add_tag(dialect.runtime, sender_id, personal_id, tag)
    return signed(dialect, request, b"")


async def remove(dialect: DigipostDialect, request: Request) -> Response:
    sender_id, personal_id, tag = await _tag_request(dialect, request)
    await remove_tag(dialect.runtime, sender_id, personal_id, tag)
    return signed(dialect, request, b"")


async def get(dialect: DigipostDialect, request: Request) -> Response:
    sender = await acting_sender(dialect, request, None)
    personal_id = request.query_params.get("personal-identification-number")
    if not personal_id:
        raise DigipostError("INVALID_QUERY_PARAMETER", "personal-identification-number is required")
    root = etree.Element(f"{{{V8}}}tags", nsmap={None: V8})
    for tag in await tags_of(dialect.runtime, sender.id, personal_id):
        etree.SubElement(root, f"{{{V8}}}tag-type").text = TAG_TYPES[tag]
    return signed(dialect, request, xml_bytes(root))

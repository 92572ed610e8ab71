"""Shared attachments A1–A6 (reference §2.2, §3.6) over the core's stand-alone attachments:
initialize, upload (raw bytes, MD5 checked and reported), overview, details, purge, download."""

from __future__ import annotations

import uuid

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from postbud.dialects.altinn import initialize_rules as rules
from postbud.dialects.altinn.access import owned_resource
from postbud.dialects.altinn.attachment_command import attachment_command
from postbud.dialects.altinn.auth import AltinnCaller, Policy, authenticate
from postbud.dialects.altinn.context import AltinnDialect
from postbud.dialects.altinn.errors import Invalid, ValidationProblem, error, upload_refused
from postbud.dialects.altinn.http_in import json_body, path_guid
from postbud.dialects.altinn.initialize_in import NewAttachment, read_attachment
from postbud.dialects.altinn.recipients import ORGANISATION_URN
from postbud.dialects.altinn.views import attachment_details, attachment_overview
from postbud.dialects.altinn.wire import Reader
from postbud.domain.attachments import Attachment, AttachmentStatus
from postbud.domain.errors import Conflict, ConflictCode, NotFound, ValidationFailed
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.attachment_uses import letters_naming
from postbud.services.letters.attachments import (
    AttachmentDetails,
    get_attachment,
    initialize_attachment,
    purge_attachment,
    upload_attachment,
)
from postbud.services.letters.query import get_shipment
from postbud.services.parties.senders import find_sender
from postbud.services.runtime import Runtime

_NOT_YET_PUBLISHED = frozenset({ShipmentStatus.DRAFT, ShipmentStatus.ACCEPTED, ShipmentStatus.SCHEDULED})


async def _sender_id(runtime: Runtime, caller: AltinnCaller) -> uuid.UUID:
    if caller.organisation_number is None:
        raise error(4001)
    try:
        return (await find_sender(caller.organisation_number, runtime)).id
    except NotFound:
        raise error(2001) from None


async def _owned(dialect: AltinnDialect, request: Request) -> tuple[uuid.UUID, AttachmentDetails]:
    caller = await authenticate(request, dialect.runtime, Policy.SENDER)
    attachment_id = path_guid(request, "attachmentId")
    sender_id = await _sender_id(dialect.runtime, caller)
    try:
        found = await get_attachment(sender_id, attachment_id, dialect.runtime)
    except NotFound:
        raise error(2001) from None
    if found.attachment.dialect != "altinn":
        raise error(2001)
    return sender_id, found


def _sender_urn(caller_org: str | None) -> str:
    return ORGANISATION_URN + (caller_org or "")


async def initialize(dialect: AltinnDialect, request: Request) -> Response:
    """A1: a shared attachment waiting for its bytes; answers its id as a JSON string."""
    caller = await authenticate(request, dialect.runtime, Policy.SENDER)
    invalid: list[Invalid] = []
    reader = Reader(await json_body(request), "", invalid)
    resource_raw = reader.string("resourceId", required=True, max_length=255 + len("urn:altinn:resource:"))
    item: NewAttachment = read_attachment(reader)
    if invalid:
        raise ValidationProblem(invalid)
    resource = await owned_resource(dialect.runtime, caller, resource_raw or "")
    for check in (rules.check_new_attachment(item), rules.check_expiration(item.expiration_in_days)):
        if check is not None:
            raise check
    attachment = await initialize_attachment(
        attachment_command(item, resource, expiry_from=dialect.runtime.clock.now()),
        dialect.runtime,
    )
    return JSONResponse(str(attachment.id))


async def _overview(runtime: Runtime, attachment: Attachment, sender_org: str | None) -> Response:
    ids = await letters_naming(attachment.id, runtime)
    return JSONResponse(attachment_overview(attachment, _sender_urn(sender_org), ids))


async def upload(dialect: AltinnDialect, request: Request) -> Response:
    """A2: the raw bytes of an initialized attachment; published at once (no malware scan here)."""
    caller = await authenticate(request, dialect.runtime, Policy.SENDER)
    sender_id, found = await _owned(dialect, request)
    attachment = found.attachment
    if await letters_naming(attachment.id, dialect.runtime):
        raise error(2003)
    if attachment.status is AttachmentStatus.PURGED:
        raise error(2006)
    if attachment.status is not AttachmentStatus.INITIALIZED:
        raise error(2005)
    content = await request.body()
    if not content or len(content) > dialect.runtime.settings.max_document_bytes:
        raise error(2004)
    try:
        uploaded = await upload_attachment(sender_id, attachment.id, content, dialect.runtime)
    except ValidationFailed as exc:
        raise upload_refused(exc) from None
    except Conflict:
        raise error(2005) from None
    return await _overview(dialect.runtime, uploaded, caller.organisation_number)


async def get_overview(dialect: AltinnDialect, request: Request) -> Response:
    caller = await authenticate(request, dialect.runtime, Policy.SENDER)
    _, found = await _owned(dialect, request)
    return await _overview(dialect.runtime, found.attachment, caller.organisation_number)


async def get_details(dialect: AltinnDialect, request: Request) -> Response:
    caller = await authenticate(request, dialect.runtime, Policy.SENDER)
    _, found = await _owned(dialect, request)
    ids = await letters_naming(found.attachment.id, dialect.runtime)
    body = attachment_details(found.attachment, _sender_urn(caller.organisation_number), ids, found.history)
    return JSONResponse(body)


async def purge(dialect: AltinnDialect, request: Request) -> Response:
    """A5: refused while a correspondence names it (2007); answered 204, as ``Ok(null)`` is."""
    sender_id, found = await _owned(dialect, request)
    try:
        await purge_attachment(sender_id, found.attachment.id, dialect.runtime)
    except Conflict as exc:
        raise error(2006 if exc.code is ConflictCode.ALREADY_DONE else 2007) from None
    return Response(status_code=204)


async def download(dialect: AltinnDialect, request: Request) -> Response:
    """A6: the sender's download, until a published correspondence names the attachment (2016)."""
    _, found = await _owned(dialect, request)
    attachment = found.attachment
    for letter_id in await letters_naming(attachment.id, dialect.runtime):
        letter = await get_shipment(letter_id, dialect.runtime)
        if letter.shipment.status not in _NOT_YET_PUBLISHED:
            raise error(2016)
    if attachment.status is AttachmentStatus.PURGED:
        raise error(2019)
    if attachment.status is AttachmentStatus.EXPIRED:
        raise error(2020)
    if attachment.sha256 is None:
        raise error(2001)
    data = await dialect.runtime.blobs.get(attachment.sha256)
    disposition = f'attachment; filename="{attachment.file_name}"'
    return Response(data, media_type="application/octet-stream", headers={"content-disposition": disposition})

"""The batch resource: POST /batches, GET and DELETE /batches/{uuid}, POST /batches/{uuid}/complete.

A Digipost batch is a core batch seen through Digipost's four states:

- ``CREATED``: open, no letters yet; ``NOT_COMMITTED``: open, with letters (held until completion);
- ``COMMITTED``: completed, some letters still on their way; ``DONE``: completed and every letter
  has left the pending states (delivered, handed to print, or finally failed).

A cancelled (deleted) batch is gone for GET (``UNKNOWN_BATCH``, 404); completing or deleting it, or
a completed batch, is ``INVALID_TRANSACTION`` (409). Creating a batch with a uuid the sender has
used before is ``DUPLICATE_MESSAGE`` (400): the clients' error codes have no batch-specific
duplicate, and Digipost answers every other reused client-chosen id (``message-id``) that way.
"""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.render import link
from postbud.dialects.digipost.request_in import authenticated_sender, authenticated_xml
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.domain.batches import Batch, BatchStatus
from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict
from postbud.domain.parties import Sender
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batches import cancel_batch, complete_batch, find_batch, open_batch

V8 = namespace(8)
DIALECT = "digipost"
_PENDING = {ShipmentStatus.ACCEPTED, ShipmentStatus.SCHEDULED, ShipmentStatus.ROUTED}
_DIGIPOST_CHANNELS = {Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX}

ShipmentCounts = dict[tuple[str | None, str], int]


def digipost_status(batch: Batch, counts: ShipmentCounts) -> str:
    if batch.status is BatchStatus.OPEN:
        return "NOT_COMMITTED" if sum(counts.values()) else "CREATED"
    if any(n for (_, status), n in counts.items() if status in _PENDING):
        return "COMMITTED"
    return "DONE"


def batch_element(base: str, batch: Batch, counts: ShipmentCounts) -> etree._Element:
    root = etree.Element(f"{{{V8}}}batch", nsmap={None: V8})

    def add(name: str, text: str) -> None:
        etree.SubElement(root, f"{{{V8}}}{name}").text = text

    add("uuid", batch.external_id)
    add("status", digipost_status(batch, counts))
    add("count-digipost", str(sum(n for (channel, _), n in counts.items() if channel in _DIGIPOST_CHANNELS)))
    add("count-print", str(sum(n for (channel, _), n in counts.items() if channel == Channel.PRINT)))
    uri = f"{base}/batches/{batch.external_id}"
    link(root, V8, base, "self", uri)
    link(root, V8, base, "complete_batch", f"{uri}/complete")
    link(root, V8, base, "self_delete", uri)
    return root


async def _render(dialect: DigipostDialect, request: Request, batch: Batch, *, status: int = 200) -> Response:
    async with dialect.runtime.reader() as uow:
        counts = await uow.batches.counts_by_channel_and_status(batch.id)
    return signed(dialect, request, xml_bytes(batch_element(dialect.base_url, batch, counts)), status=status)


async def _find(dialect: DigipostDialect, sender: Sender, request: Request) -> Batch:
    """The sender's batch named in the path; a cancelled batch no longer exists for the client."""
    uuid = request.path_params["batch_uuid"]
    batch = await find_batch(dialect.runtime, sender.id, DIALECT, uuid)
    if batch.status is BatchStatus.CANCELLED:
        raise DigipostError("UNKNOWN_BATCH", f"batch {uuid} was deleted", 404)
    return batch


async def create_batch(dialect: DigipostDialect, request: Request) -> Response:
    sender, root = await authenticated_xml(dialect, request, "batch")
    uuid = (root.findtext(f"{{{V8}}}uuid") or "").strip()
    try:
        batch = await open_batch(dialect.runtime, sender_id=sender.id, dialect=DIALECT, external_id=uuid)
    except Conflict as exc:
        raise DigipostError("DUPLICATE_MESSAGE", f"the sender already has a batch with uuid {uuid}") from exc
    return await _render(dialect, request, batch, status=201)


async def get_batch(dialect: DigipostDialect, request: Request) -> Response:
    sender = await authenticated_sender(dialect, request)
    return await _render(dialect, request, await _find(dialect, sender, request))


async def complete(dialect: DigipostDialect, request: Request) -> Response:
    sender = await authenticated_sender(dialect, request)
    uuid = request.path_params["batch_uuid"]
    batch = await find_batch(dialect.runtime, sender.id, DIALECT, uuid)
    return await _render(dialect, request, await complete_batch(dialect.runtime, batch.id))


async def cancel(dialect: DigipostDialect, request: Request) -> Response:
    sender = await authenticated_sender(dialect, request)
    uuid = request.path_params["batch_uuid"]
    batch = await find_batch(dialect.runtime, sender.id, DIALECT, uuid)
    await cancel_batch(dialect.runtime, batch.id)
    return signed(dialect, request, b"", status=204)

"""GET /senders/information/{senderId} and /senders/information?org_id=&part_id=: what a sender may do.

``VALID_SENDER`` lists the features the sender has in Postbud: Digipost delivery, print fallback and
direct print as its print flags say, batches, and the largest document accepted. Anything else —
an unknown sender, or one the broker may not send for — is ``NO_INFO_AVAILABLE``, as Digipost
answers both. Postbud has no sender parts: ``part_id`` is accepted and does not narrow the lookup,
just as the send path ignores ``sender-organization/part-id``.
"""

from __future__ import annotations

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.request_in import authenticated_sender
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.domain.parties import Sender

V8 = namespace(8)
FEATURE = "no.digipost.feature."


def features(sender: Sender, *, max_document_bytes: int) -> list[tuple[str, str | None]]:
    """(feature name, param) pairs, as Digipost names them."""
    found: list[tuple[str, str | None]] = [(FEATURE + "delivery.digipost", None)]
    if sender.may_print:
        found.append((FEATURE + "delivery.digipost-with-print-fallback", None))
    if sender.may_direct_print:
        found.append((FEATURE + "delivery.direct-to-print", None))
    found.append((FEATURE + "batch.masseutsendelse", None))
    found.append((FEATURE + "validation.digipost.file-size", str(max_document_bytes)))
    return found


def sender_information_element(sender: Sender | None, *, max_document_bytes: int) -> etree._Element:
    root = etree.Element(f"{{{V8}}}sender-information", nsmap={None: V8})
    if sender is None or sender.digipost_id is None:
        etree.SubElement(root, f"{{{V8}}}status").text = "NO_INFO_AVAILABLE"
        return root
    etree.SubElement(root, f"{{{V8}}}sender-id").text = str(sender.digipost_id)
    etree.SubElement(root, f"{{{V8}}}status").text = "VALID_SENDER"
    supported = etree.SubElement(root, f"{{{V8}}}supported-features")
    for name, param in features(sender, max_document_bytes=max_document_bytes):
        feature = etree.SubElement(supported, f"{{{V8}}}feature")
        feature.text = name
        if param is not None:
            feature.set("param", param)
    return root


async def _asked_for(dialect: DigipostDialect, request: Request) -> Sender | None:
    raw_id = request.path_params.get("sender_id")
    async with dialect.runtime.reader() as uow:
        if raw_id is not None:
            return (
                await uow.senders.by_digipost_id(int(raw_id))
                if raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 18
                else None
            )
        org_id = request.query_params.get("org_id", "").strip()
        if not org_id:
            raise DigipostError(
                "INVALID_QUERY_PARAMETER", "give a sender id in the path, or org_id in the query"
            )
        return await uow.senders.by_organisation_number(org_id)


async def sender_information(dialect: DigipostDialect, request: Request) -> Response:
    broker = await authenticated_sender(dialect, request)
    asked = await _asked_for(dialect, request)
    # A broker may act only for its own sender in Postbud (as on the send path).
    visible = asked if asked is not None and asked.id == broker.id else None
    root = sender_information_element(visible, max_document_bytes=dialect.runtime.settings.max_document_bytes)
    return signed(dialect, request, xml_bytes(root))

"""Contents: a document, attachment or markup added to an opened envelope, and read back.

The rules are the seed's: one document (103), PDF only for documents and attachments (104, 108),
XML for markup (109, one only: 110), ``length`` equal to the decoded data (117, 118), data not
empty (129), a document that opens and has pages (107), a postal envelope's address in the
document's window unless a cover page carries it (105), attachments after the document (137).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost import render
from postbud.dialects.ekopost.campaigns import campaign_of
from postbud.dialects.ekopost.context import Call
from postbud.dialects.ekopost.envelope_address import EINBOX, EINBOX_KIVRA, POSTAL, PROTECTED
from postbud.dialects.ekopost.envelopes import envelope_of, print_instructions
from postbud.dialects.ekopost.errors import EkopostError, invalid, not_found
from postbud.dialects.ekopost.peppol_bis import problems_of, well_formed_problems
from postbud.dialects.ekopost.record import REPLYMAIL_TEMPLATE, EnvelopeRecord, content_id_of
from postbud.dialects.ekopost.states import envelope_state
from postbud.dialects.ekopost.window_address import address_in
from postbud.dialects.ekopost.wire_in import Body, boolean, lines, path_id, read_object, text
from postbud.domain.documents import Document, DocumentIdScope
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.parties import PostalAddress
from postbud.domain.print_batches import with_reply_form
from postbud.domain.print_layout import RIGHT_WINDOW
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.draft_revision import pdf_facts, window_text
from postbud.services.letters.drafts import AddDraftDocument, add_draft_document
from postbud.services.letters.send_letter import DocumentInput

DOCUMENT, ATTACHMENT, MARKUP = "document", "attachment", "markup"
TYPES: Final = (DOCUMENT, ATTACHMENT, MARKUP)
PDF: Final = "application/pdf"
XML_TYPES: Final = frozenset({"application/xml", "text/xml"})
PEPPOL_BIS_BILLING_3: Final = EInvoiceFormat.PEPPOL_BIS_BILLING_3.value


def _decoded(body: Body, size_code: str) -> bytes:
    raw = body.get("data")
    if raw is None or raw == "":
        raise EkopostError("129", "data: the base64 encoded file is missing or empty")
    if not isinstance(raw, str):
        raise invalid("data", "must be a base64 encoded string")
    try:
        data = base64.b64decode("".join(raw.split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid("data", "is not valid base64") from None
    if not data:
        raise EkopostError("129", "data: decodes to nothing")
    declared = body.get("length")
    if declared is not None and declared != "":
        try:
            length = int(declared)
        except (TypeError, ValueError):
            raise invalid("length", "must be a whole number of bytes") from None
        if length != len(data):
            raise EkopostError(size_code, f"length: {length} bytes declared, data decodes to {len(data)}")
    return data


def _check_size(call: Call, data: bytes, size_code: str) -> None:
    limit = call.runtime.settings.max_document_bytes
    if len(data) > limit:
        raise EkopostError(size_code, f"data: {len(data)} bytes, larger than the limit of {limit} bytes")


def _return_address(body: Body) -> PostalAddress | None:
    raw = body.get("address")
    if not isinstance(raw, dict):
        return None
    names = lines(raw, "name", where="address.")
    postal_code = text(raw, "postal_code", where="address.") or ""
    city = text(raw, "city", where="address.") or ""
    if not names or not postal_code or not city:
        raise EkopostError("135", "address: a return address needs name, postal_code and city")
    streets = lines(raw, "street", where="address.")
    return PostalAddress(names[0], (*names[1:], *streets), postal_code, city, text(raw, "country") or "")


def _with_print(
    shipment: Shipment, postal: PostalAddress | None, return_address: PostalAddress | None
) -> Shipment:
    record = EnvelopeRecord.of(shipment.properties)
    instructions = shipment.print_instructions
    if instructions is None and postal is not None and record is not None:
        instructions = print_instructions(record, postal, cover_page=False)
        shipment = replace(shipment, recipient_name=shipment.recipient_name or postal.name)
    if instructions is not None and return_address is not None:
        instructions = replace(instructions, return_address=return_address)
    return replace(shipment, print_instructions=instructions)


PRINTED_OR_FALLING_BACK_TO_PRINT: Final = frozenset({POSTAL, EINBOX, EINBOX_KIVRA})
"""Address types whose letter is printed, at once or when the recipient has no inbox (the seed's
fallback); e-mail and the invoice types never fall back to paper."""


async def _document_checks(shipment: Shipment, data: bytes) -> PostalAddress | None:
    """107 for a PDF that does not open or has no pages; the address its window shows, if any;
    105 for a postal envelope without a cover page whose window shows none."""
    facts = await pdf_facts(data)
    if not facts.opens or facts.pages == 0:
        reason = "; ".join(facts.problems) or "no pages"
        raise EkopostError("107", f"data: the document cannot be printed ({reason})")
    record = EnvelopeRecord.of(shipment.properties)
    address_type = record.address.get("$type") if record is not None else POSTAL
    cover_page = bool(record.address.get("use_coverpage")) if record is not None else False
    if address_type == PROTECTED and not cover_page and record is not None:
        await _only_the_identifier(data, str(record.address.get("recipient") or ""))
    if cover_page or address_type not in PRINTED_OR_FALLING_BACK_TO_PRINT:
        return None
    found = address_in(await window_text(data, RIGHT_WINDOW))
    if address_type == POSTAL and found is None:
        raise EkopostError(
            "105",
            "data: no postal address in the envelope window of page 1 (x 112–207 mm, y 35–71 mm from "
            "the top-left); put it there or set use_coverpage",
        )
    return found


def _compact(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum()).upper()


async def _only_the_identifier(data: bytes, identifier: str) -> None:
    """Protected mailing without a cover page: the window shows the recipient's number and nothing else."""
    shown = await window_text(data, RIGHT_WINDOW)
    if _compact(shown) != _compact(identifier):
        raise EkopostError(
            "105",
            "data: for a protected identity the envelope window of page 1 (x 112–207 mm, y 35–71 mm) must "
            f"show only the recipient's number {identifier}, nothing else; or set use_coverpage",
        )


def _check_markup(shipment: Shipment, data: bytes) -> None:
    """An einvoice envelope's markup is its invoice: Peppol BIS Billing 3.0 is checked by its rules."""
    record = EnvelopeRecord.of(shipment.properties)
    fmt = record.address.get("format") if record is not None else None
    problems = problems_of(data) if fmt == PEPPOL_BIS_BILLING_3 else well_formed_problems(data)
    if problems:
        raise invalid(
            "data", f"the markup is not a valid {fmt or 'XML'} document: " + "; ".join(problems[:10])
        )


async def create(call: Call, request: Request) -> Response:
    body = await read_object(request, call.body_limit)
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    envelope_id = path_id(request, "envelope_id", "envelope")
    details = await envelope_of(call, batch, envelope_id)
    shipment = details.shipment
    if shipment.status is not ShipmentStatus.DRAFT:
        raise EkopostError("127", f"envelope {envelope_id} is {envelope_state(shipment.status)}, not opened")
    content_type = (text(body, "type") or DOCUMENT).lower()
    if content_type not in TYPES:
        raise invalid("type", f"{content_type!r} is not one of {', '.join(TYPES)}")
    mime = (text(body, "mime") or "").lower()
    has_document = any(d.is_primary for d in shipment.documents)
    size_code = "117" if content_type == DOCUMENT else "118"
    if content_type == DOCUMENT:
        if has_document:
            raise EkopostError("103", f"envelope {envelope_id} has its document already")
        if mime != PDF:
            raise EkopostError("104", f"mime: {mime!r}; a document must be {PDF}")
    elif content_type == ATTACHMENT and mime != PDF:
        raise EkopostError("108", f"mime: {mime!r}; an attachment must be {PDF}")
    elif content_type == MARKUP:
        if mime not in XML_TYPES:
            raise EkopostError("109", f"mime: {mime!r}; a markup must be application/xml")
        if any(d.mime in XML_TYPES for d in shipment.documents):
            raise EkopostError("110", f"envelope {envelope_id} has its markup already")
    if content_type != DOCUMENT and not has_document:
        raise EkopostError("137", f"envelope {envelope_id}: add the document before its {content_type}")
    data = _decoded(body, size_code)
    _check_size(call, data, size_code)
    if content_type == MARKUP:
        _check_markup(shipment, data)
    replymail = content_type == ATTACHMENT and boolean(body, "replymail")
    wants_return_address = boolean(body, "return_address")
    return_address = _return_address(body) if wants_return_address else None
    found = None
    pages = None
    if content_type == DOCUMENT:
        found = await _document_checks(shipment, data)
    elif content_type == ATTACHMENT:
        facts = await pdf_facts(data)
        if not facts.opens or facts.pages == 0:
            raise EkopostError(
                "118", f"data: the attachment is not a readable PDF with pages ({facts.problems})"
            )
        pages = facts.pages

    def revise(letter: Shipment, document: Document) -> Shipment:
        """What the envelope learns from this content, stored in the same write as the content."""
        if found is not None or return_address is not None:
            letter = _with_print(letter, found, return_address)
        if replymail:  # the print house prints it as the reply form, with a reply envelope (PRINTLINE)
            letter = with_reply_form(letter, document.id)
        return letter

    learns = found is not None or return_address is not None or replymail
    now = call.runtime.clock.now()
    try:
        document = await add_draft_document(
            AddDraftDocument(
                sender_id=call.sender.id,
                shipment_id=envelope_id,
                document=DocumentInput(
                    content=data,
                    file_type="xml" if content_type == MARKUP else "pdf",
                    mime=mime,
                    title=_title(shipment, content_type),
                    external_id=content_id_of(REPLYMAIL_TEMPLATE if replymail else content_type, now),
                    id_scope=DocumentIdScope.LETTER,
                    pages=pages,
                ),
                primary=content_type == DOCUMENT,
                revise=revise if learns else None,
            ),
            call.runtime,
        )
    except Conflict as exc:
        if exc.field == "documents" and exc.code is ConflictCode.WRONG_STATE:
            raise EkopostError("103", f"envelope {envelope_id} has its document already") from None
        raise
    answer = render.content(document, return_address=wants_return_address, fallback=now)
    return render.json_response(answer)


def _title(shipment: Shipment, content_type: str) -> str | None:
    record = EnvelopeRecord.of(shipment.properties)
    if record is None:
        return None
    subject: Any = record.address.get("subject")
    if content_type == DOCUMENT:
        return str(subject or record.name or "") or None
    return record.name


async def get(call: Call, request: Request) -> Response:
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    details = await envelope_of(call, batch, path_id(request, "envelope_id", "envelope"))
    content_id = path_id(request, "content_id", "content")
    for document in details.shipment.documents:
        if document.id == content_id:
            return render.json_response(render.content(document, fallback=details.shipment.created_at))
    raise not_found("content", content_id)

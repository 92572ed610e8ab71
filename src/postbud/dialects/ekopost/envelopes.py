"""Envelopes: create, get, list, list failed, close and cancel, over the core's draft letters.

An envelope is a draft letter in its campaign's batch until it is closed; closing it runs the
core's send (validate, route) and holds it for its campaign.
"""

from __future__ import annotations

import uuid
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost import render
from postbud.dialects.ekopost.addresses import ADDRESS_TYPES, PROTECTED, parse_address
from postbud.dialects.ekopost.campaigns import campaign_of
from postbud.dialects.ekopost.context import DIALECT, Call
from postbud.dialects.ekopost.envelope_address import EINBOX_SIGNER, EINVOICE
from postbud.dialects.ekopost.errors import EkopostError, invalid, not_found
from postbud.dialects.ekopost.record import REPLYMAIL_TEMPLATE, EnvelopeRecord, content_meta
from postbud.dialects.ekopost.resolve import resolved
from postbud.dialects.ekopost.signer import signing_of
from postbud.dialects.ekopost.states import ENVELOPE_STATE_NAMES, envelope_state
from postbud.dialects.ekopost.wire_in import boolean, path_id, read_object, text
from postbud.domain.batches import Batch, BatchStatus
from postbud.domain.channel_options import ChannelOptions
from postbud.domain.errors import Conflict, ConflictCode, NotFound, NotPermitted
from postbud.domain.letter_actions import AsSender
from postbud.domain.letter_presentation import presentation_properties
from postbud.domain.parties import PostalAddress
from postbud.domain.print_layout import RIGHT_WINDOW, AddressPlacement, PrintLayout
from postbud.domain.print_permissions import require_protected_mailing
from postbud.domain.shipments import Postage, PrintInstructions, Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batch_letters import letters_of_batch
from postbud.services.letters.cancel import cancel_letter
from postbud.services.letters.drafts import cancel_draft, close_draft, start_draft
from postbud.services.letters.query import ShipmentDetails, get_shipment
from postbud.services.letters.quick_reads import QuickLetter, get_letter_quickly
from postbud.services.letters.send_letter import SendLetter
from postbud.services.signing.open_request import close_for_signing

POSTAGES: Final = {
    "priority": Postage.PRIORITY,
    "economy": Postage.ECONOMY,
    "rek": Postage.REGISTERED,
    "protected": Postage.PROTECTED,
}
PLEXES: Final = ("simplex", "duplex")
_MAX_NAME = 200
_MAX_UNIQUE_ID = 100


def print_instructions(
    record: EnvelopeRecord, postal: PostalAddress | None, *, cover_page: bool
) -> PrintInstructions | None:
    """How the envelope is printed when it goes on paper; None while its address is unknown."""
    if postal is None:
        return None
    return PrintInstructions(
        recipient=postal,
        color=record.color,
        duplex=record.plex == "duplex",
        postage=POSTAGES[record.postage],
        cover_page=cover_page,
    )


def layout(cover_page: bool, protected_identifier: str | None = None) -> PrintLayout:
    """Ekopost's right-hand window; the address on a cover page or in the letter's own window; for a
    protected identity only the recipient's number, wherever it is shown."""
    placement = AddressPlacement.COVER_PAGE if cover_page else AddressPlacement.DOCUMENT
    return PrintLayout(
        window=RIGHT_WINDOW,
        address_placement=placement,
        protected_identity=protected_identifier is not None,
        protected_identifier=protected_identifier,
    )


PROTECTED_STAND_IN = PostalAddress(name="", lines=(), postal_code="", city="")
"""The address of a protected identity, which the letter never carries: the print house holds it."""


def _choice(value: str | None, allowed: tuple[str, ...] | list[str], field: str, default: str) -> str:
    if value is None:
        return default
    lowered = value.lower()
    if lowered not in allowed:
        raise invalid(field, f"{value!r} is not one of {', '.join(allowed)}")
    return lowered


async def envelope_of(call: Call, batch: Batch, envelope_id: uuid.UUID) -> ShipmentDetails:
    """The envelope in this campaign; one elsewhere (or another customer's) is not found."""
    return (await _envelope_read(call, batch, envelope_id)).details


async def _envelope_read(call: Call, batch: Batch, envelope_id: uuid.UUID) -> QuickLetter:
    """`envelope_of` with, for a draft, what closing it needs (so the close reads it once)."""
    try:
        letter = await get_letter_quickly(call.runtime, envelope_id, sender_id=call.sender.id)
    except NotFound:
        raise not_found("envelope", envelope_id) from None
    if letter.shipment.batch_id != batch.id:
        raise not_found("envelope", envelope_id)
    return letter


def answer(details: ShipmentDetails) -> Response:
    facts = render.facts_of(details.shipment, details.events)
    return render.json_response(render.envelope(details.shipment, facts))


async def create(call: Call, request: Request) -> Response:
    body = await read_object(request, call.body_limit)
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    if batch.status is not BatchStatus.OPEN:
        raise EkopostError("121", f"campaign {batch.external_id} is not opened; it takes no more envelopes")
    postage = _choice(text(body, "postage"), list(POSTAGES), "postage", "priority")
    plex = _choice(text(body, "plex"), PLEXES, "plex", "simplex")
    address = await resolved(call.runtime, parse_address(body.get("address"), rek=postage == "rek"))
    if address.type == PROTECTED:
        postage = "protected"  # an address of a protected identity goes by protected post only
    elif postage == "protected":
        raise invalid("postage", "'protected' needs an address of $type 'protected'")
    unique_id = text(body, "unique_id", max_length=_MAX_UNIQUE_ID)
    record = EnvelopeRecord(
        name=text(body, "name", max_length=_MAX_NAME),
        address=address.wire,
        postage=postage,
        plex=plex,
        color=boolean(body, "color"),
        pu=boolean(body, "pu"),
        kb=boolean(body, "kb"),
        consignor_contact=text(body, "consignor_contact", max_length=254),
        agent=text(body, "agent", max_length=200),
        warning=address.warnings[0] if address.warnings else None,
    )
    postal = PROTECTED_STAND_IN if address.protected_identifier else address.postal
    options = ChannelOptions(
        mailbox_providers=address.providers,
        print_layout=layout(address.cover_page, address.protected_identifier),
        einvoice_format=address.einvoice_format,
        invoice=address.invoice,
    )
    instructions = print_instructions(record, postal, cover_page=address.cover_page)
    try:
        require_protected_mailing(call.sender, options, instructions)
    except NotPermitted:
        raise EkopostError(
            "140", "address.$type 'protected': this customer is not set up for protected mailing"
        ) from None
    command = SendLetter(
        sender_id=call.sender.id,
        dialect=DIALECT,
        documents=(),
        channels=address.channels,
        external_id=unique_id,
        recipient=address.recipient,
        recipient_name=address.postal.name if address.postal else None,
        print_instructions=instructions,
        email_address=address.email,
        batch_id=batch.id,
        # The einbox text is shown in the inbox as the letter's own words, above its document.
        properties=record.as_properties() | presentation_properties(address.message, ()),
        invoice_reference=address.invoice.invoice_number if address.invoice else None,
        channel_options=options,
    )
    try:
        shipment = await start_draft(command, call.runtime)
    except Conflict as exc:
        if exc.code is ConflictCode.DUPLICATE:
            raise EkopostError("126", f"unique_id: {unique_id!r} is used by another envelope") from None
        raise
    return render.json_response(render.envelope(shipment, render.EnvelopeFacts(shipment.created_at)))


async def get(call: Call, request: Request) -> Response:
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    return answer(await envelope_of(call, batch, path_id(request, "envelope_id", "envelope")))


async def _envelopes(call: Call, batch: Batch) -> list[tuple[Shipment, render.EnvelopeFacts]]:
    """The campaign's envelopes in one read; only a failed or registered one has its events read
    (its failed reason, its tracking)."""
    envelopes = []
    for letter in await letters_of_batch(call.runtime, batch.id):
        shipment = letter.shipment
        record = EnvelopeRecord.of(shipment.properties)
        if envelope_state(shipment.status) == "failed" or (record is not None and record.postage == "rek"):
            details = await get_shipment(shipment.id, call.runtime, sender_id=call.sender.id)
            facts = render.facts_of(details.shipment, details.events)
        else:
            facts = render.EnvelopeFacts(letter.updated_at)
        envelopes.append((shipment, facts))
    return envelopes


def _filters(request: Request) -> tuple[str | None, str | None]:
    name = (request.query_params.get("name") or "").strip() or None
    state = (request.query_params.get("state") or "").strip().lower() or None
    if state is not None and state not in ENVELOPE_STATE_NAMES:
        raise EkopostError("115", f"state: {state!r} is not one of {', '.join(sorted(ENVELOPE_STATE_NAMES))}")
    return name, state


def _matches(shipment: Shipment, name: str | None, state: str | None) -> bool:
    record = EnvelopeRecord.of(shipment.properties)
    if name is not None and (record is None or record.name != name):
        return False
    return state is None or envelope_state(shipment.status) == state


async def list_(call: Call, request: Request) -> Response:
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    name, state = _filters(request)
    found = [(s, f) for s, f in await _envelopes(call, batch) if _matches(s, name, state)]
    return render.json_response([render.envelope(shipment, facts) for shipment, facts in found])


_FAILED_ADDRESS_TYPES: Final = ("ebank", "einbox", "einbox_kivra", "einboxkivra", "email")


async def list_failed(call: Call, request: Request) -> Response:
    """Failed envelopes (state ``failed`` unless another is asked for), by address type."""
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    name, state = _filters(request)
    address_type = (request.query_params.get("address_type") or "").strip().lower() or None
    if address_type is not None and address_type not in _FAILED_ADDRESS_TYPES + ADDRESS_TYPES:
        raise EkopostError("115", f"address_type: {address_type!r} is not an address type")
    wanted_type = "einbox_kivra" if address_type == "einboxkivra" else address_type
    found = []
    for shipment, facts in await _envelopes(call, batch):
        if not _matches(shipment, name, state or "failed"):
            continue
        record = EnvelopeRecord.of(shipment.properties)
        if wanted_type is not None and (record is None or record.address.get("$type") != wanted_type):
            continue
        found.append(render.envelope(shipment, facts))
    return render.json_response(found)


async def close(call: Call, request: Request) -> Response:
    await read_object(request, call.body_limit)
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    envelope_id = path_id(request, "envelope_id", "envelope")
    read = await _envelope_read(call, batch, envelope_id)
    shipment = read.shipment
    if shipment.status is not ShipmentStatus.DRAFT:
        raise EkopostError("127", f"envelope {envelope_id} is {envelope_state(shipment.status)}, not opened")
    if not any(d.is_primary for d in shipment.documents):
        raise EkopostError("100A", f"envelope {envelope_id} has no content of type 'document'")
    record = EnvelopeRecord.of(shipment.properties)
    is_einvoice = record is not None and record.address.get("$type") == EINVOICE
    if is_einvoice and not any(d.file_type == "xml" for d in shipment.documents):
        raise EkopostError("100B", f"envelope {envelope_id}: an einvoice envelope needs its markup")
    if batch.data.get("replymail") and not any(
        (meta := content_meta(d.external_id)) is not None and meta[0] == REPLYMAIL_TEMPLATE
        for d in shipment.documents
    ):
        raise EkopostError(
            "142",
            f"envelope {envelope_id}: its campaign is reply mail; add the template as an attachment "
            "with replymail true",
        )
    if shipment.print_instructions is None and shipment.channels == ():
        raise EkopostError("105", f"envelope {envelope_id}: no postal address was found for print")
    if record is not None and record.address.get("$type") == EINBOX_SIGNER:
        await close_for_signing(call.sender.id, envelope_id, signing_of(record.address), call.runtime)
    else:
        await close_draft(call.sender.id, envelope_id, call.runtime, read=read)
    return answer(await envelope_of(call, batch, envelope_id))


async def cancel(call: Call, request: Request) -> Response:
    await read_object(request, call.body_limit)
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    envelope_id = path_id(request, "envelope_id", "envelope")
    details = await envelope_of(call, batch, envelope_id)
    if details.shipment.status is ShipmentStatus.DRAFT:
        await cancel_draft(call.sender.id, envelope_id, call.runtime)
    else:
        await cancel_letter(call.runtime, AsSender(call.sender.id), envelope_id, reason="envelope cancelled")
    return answer(await envelope_of(call, batch, envelope_id))

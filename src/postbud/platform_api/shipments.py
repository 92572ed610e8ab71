"""Shipments: send a letter as JSON (Postbud's own neutral dialect), list, show with events."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from postbud.domain.errors import FieldError, NotPermitted, PermissionCode, RuleCode, ValidationFailed
from postbud.domain.file_types import FILE_TYPES, file_type_of
from postbud.domain.identifiers import InvalidIdentifier, PartyIdKind, parse_party_id
from postbud.domain.parties import PostalAddress
from postbud.domain.shipments import PrintInstructions
from postbud.observability import letter_accepted
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import Principal, PrincipalDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import (
    DocumentIn,
    LetterAccepted,
    LetterIn,
    RouteOut,
    ShipmentDetail,
    ShipmentOut,
    ShipmentPageOut,
)
from postbud.services.letters.query import ShipmentFilter, get_shipment, list_shipments
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.parties.senders import get_sender
from postbud.services.runtime import Runtime

DIALECT = "platform"
router = APIRouter(
    prefix=f"{PREFIX}/shipments", tags=["shipments"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


async def _sender_of(who: Principal, requested: uuid.UUID | None, runtime: Runtime) -> uuid.UUID:
    if who.sender is not None:
        if requested is not None and requested != who.sender.id:
            raise NotPermitted("an API key sends only as its own sender", PermissionCode.NOT_OWNER)
        return who.sender.id
    if requested is None:
        raise ValidationFailed.of(
            "sender_id", "required when sending with the admin token", RuleCode.REQUIRED
        )
    return (await get_sender(requested, runtime)).id


def _document(i: int, doc: DocumentIn, errors: list[FieldError]) -> DocumentInput | None:
    try:
        content = base64.b64decode(doc.content_base64, validate=True)
    except (binascii.Error, ValueError):
        errors.append(
            FieldError(f"documents[{i}].content_base64", "is not valid base64", RuleCode.WRONG_FORMAT)
        )
        return None
    file_type = file_type_of(doc.file_type)
    known = FILE_TYPES.get(file_type)
    mime = doc.mime or (known.mime if known else "application/octet-stream")
    return DocumentInput(
        content=content,
        file_type=file_type,
        mime=mime,
        title=doc.title,
        external_id=doc.id,
        authentication=doc.authentication,
        sensitivity=doc.sensitivity,
        opening_receipt=doc.opening_receipt,
    )


def _command(body: LetterIn, sender_id: uuid.UUID) -> SendLetter:
    errors: list[FieldError] = []
    documents = [_document(i, d, errors) for i, d in enumerate(body.documents)]
    recipient = mailbox_address = None
    if body.recipient:
        try:
            party = parse_party_id(body.recipient, allow_synthetic=True)
        except InvalidIdentifier as exc:
            errors.append(FieldError("recipient", exc.rule, RuleCode.WRONG_FORMAT))
        else:
            if party.kind is PartyIdKind.DIGIPOST_ADDRESS:
                mailbox_address = party.value
            else:
                recipient = party
    elif body.print_address is None and body.email_address is None:
        errors.append(
            FieldError(
                "recipient", "give a recipient, an email_address or a print_address", RuleCode.REQUIRED
            )
        )
    if errors:
        raise ValidationFailed(errors)
    print_instructions = None
    if body.print_address is not None:
        a = body.print_address
        name = body.recipient_name or ""
        if not name:
            raise ValidationFailed.of("recipient_name", "required with print_address", RuleCode.REQUIRED)
        address = PostalAddress(name, tuple(a.lines), a.postal_code, a.city, a.country)
        print_instructions = PrintInstructions(recipient=address)
    return SendLetter(
        sender_id=sender_id,
        dialect=DIALECT,
        documents=tuple(d for d in documents if d is not None),
        channels=tuple(body.channels),
        external_id=body.external_id,
        recipient=recipient,
        mailbox_address=mailbox_address,
        recipient_name=body.recipient_name,
        print_instructions=print_instructions,
        publish_at=body.publish_at,
        email_address=body.email_address,
        ignore_reservation=body.ignore_reservation,
        reject_if_undeliverable=body.reject_if_undeliverable,
        properties=body.properties,
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Send a letter")
async def send(body: LetterIn, runtime: RuntimeDep, who: PrincipalDep, response: Response) -> LetterAccepted:
    sender_id = await _sender_of(who, body.sender_id, runtime)
    accepted = await send_letter(_command(body, sender_id), runtime)
    letter_accepted(DIALECT, accepted.decision.channel)
    details = await get_shipment(accepted.shipment.id, runtime)
    response.headers["Location"] = f"/api/v1/shipments/{accepted.shipment.id}"
    return LetterAccepted(
        shipment=ShipmentDetail.with_events(details.shipment, details.events),
        route=RouteOut.of(accepted.decision),
        held=accepted.held,
    )


@router.get("", summary="List shipments, newest first")
async def list_(
    runtime: RuntimeDep,
    who: PrincipalDep,
    sender_id: uuid.UUID | None = None,
    recipient: Annotated[str | None, Query(description="Party identifier or mailbox address")] = None,
    status_: Annotated[str | None, Query(alias="status", min_length=1)] = None,
    channel: str | None = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ShipmentPageOut:
    if who.sender is not None:
        sender_id = await _sender_of(who, sender_id, runtime)
    query = ShipmentFilter(
        sender_id=sender_id, recipient=recipient, status=status_, channel=channel, cursor=cursor, limit=limit
    )
    page = await list_shipments(query, runtime)
    return ShipmentPageOut(items=[ShipmentOut.of(s) for s in page.shipments], next_cursor=page.next_cursor)


@router.get("/{shipment_id}", summary="Show a shipment with its events")
async def show(shipment_id: uuid.UUID, runtime: RuntimeDep, who: PrincipalDep) -> ShipmentDetail:
    only = who.sender.id if who.sender is not None else None
    details = await get_shipment(shipment_id, runtime, sender_id=only)
    return ShipmentDetail.with_events(details.shipment, details.events)

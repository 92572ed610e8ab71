"""Read side: pages of shipments, and one shipment with its full event history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from postbud.domain.channels import Channel
from postbud.domain.errors import FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.events import ShipmentEvent
from postbud.domain.identifiers import InvalidIdentifier, parse_party_id
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus
from postbud.services.page_cursor import decode_cursor, encode_cursor
from postbud.services.runtime import Runtime

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class ShipmentFilter:
    sender_id: uuid.UUID | None = None
    recipient: str | None = None
    """A party identifier or mailbox address."""
    status: str | None = None
    channel: str | None = None
    cursor: str | None = None
    limit: int = 50
    resource_id: str | None = None
    """Only letters about this resource (Altinn's resource registry)."""


@dataclass(frozen=True, slots=True)
class ShipmentPage:
    shipments: list[Shipment]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class ShipmentDetails:
    shipment: Shipment
    events: list[ShipmentEvent]


def _check(query: ShipmentFilter) -> list[FieldError]:
    errors: list[FieldError] = []
    if query.status is not None and query.status not in {s.value for s in ShipmentStatus}:
        errors.append(
            FieldError("status", f"one of {', '.join(s.value for s in ShipmentStatus)}", RuleCode.INVALID)
        )
    if query.channel is not None and query.channel not in {c.value for c in Channel}:
        errors.append(
            FieldError("channel", f"one of {', '.join(c.value for c in Channel)}", RuleCode.INVALID)
        )
    if not 1 <= query.limit <= MAX_PAGE:
        errors.append(FieldError("limit", f"between 1 and {MAX_PAGE}", RuleCode.INVALID))
    return errors


async def list_shipments(query: ShipmentFilter, runtime: Runtime) -> ShipmentPage:
    """Newest first; pass ``next_cursor`` back to continue."""
    errors = _check(query)
    if errors:
        raise ValidationFailed(errors)
    before = decode_cursor(query.cursor) if query.cursor else None
    async with runtime.reader() as uow:
        recipient_id: uuid.UUID | None = None
        if query.recipient:
            try:
                party = parse_party_id(query.recipient, allow_synthetic=True)
            except InvalidIdentifier as exc:
                raise ValidationFailed.of("recipient", exc.rule, RuleCode.WRONG_FORMAT) from None
            found = await uow.recipients.by_party_id(party) or await uow.recipients.by_mailbox_address(
                party.value
            )
            if found is None:
                return ShipmentPage([], None)
            recipient_id = found.id
        shipments = await uow.shipments.list(
            sender_id=query.sender_id,
            recipient_id=recipient_id,
            status=query.status,
            channel=query.channel,
            resource_id=query.resource_id,
            before=before,
            limit=query.limit + 1,
        )
    more = len(shipments) > query.limit
    shipments = shipments[: query.limit]
    return ShipmentPage(
        shipments, encode_cursor(shipments[-1].created_at, shipments[-1].id) if more else None
    )


async def events_of(
    shipment_ids: Sequence[uuid.UUID], runtime: Runtime
) -> dict[uuid.UUID, list[ShipmentEvent]]:
    """The events of each of these shipments, oldest first, read together (a page of a search)."""
    async with runtime.reader() as uow:
        return await uow.events.for_shipments(shipment_ids)


async def get_shipment(
    shipment_id: uuid.UUID, runtime: Runtime, *, sender_id: uuid.UUID | None = None
) -> ShipmentDetails:
    """One shipment and its events, oldest first; ``sender_id`` hides other senders' letters."""
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        if shipment is None or (sender_id is not None and shipment.sender_id != sender_id):
            raise NotFound("shipment", shipment_id)
        events = await uow.events.for_shipment(shipment_id)
    return ShipmentDetails(shipment, events)

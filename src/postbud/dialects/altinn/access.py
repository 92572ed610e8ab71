"""The second gate (reference §10.3): may this caller act on this resource or this correspondence,
and in which role — the sender (the resource's owner, with the write scope) or the recipient (the
correspondence's recipient, with the read scope). Refusals are the catalogue's 4001 (401)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from postbud.dialects.altinn.auth import AltinnCaller
from postbud.dialects.altinn.errors import error
from postbud.dialects.altinn.recipients import ORGANISATION_URN
from postbud.dialects.altinn.stored import CorrespondenceRecord, record_of
from postbud.domain.errors import NotFound
from postbud.domain.events import ShipmentEvent
from postbud.domain.identifiers import PartyId, PartyIdKind
from postbud.domain.letter_actions import AsRecipient, AsSender, Caller
from postbud.domain.resources import Resource
from postbud.domain.shipments import Shipment
from postbud.services.letters.query import get_shipment
from postbud.services.parties.resources import get_resource
from postbud.services.runtime import Runtime


async def owned_resource(runtime: Runtime, caller: AltinnCaller, resource_id: str) -> Resource:
    """The resource the caller sends for: unknown ⇒ 1036, another organisation's ⇒ 4001."""
    try:
        resource = await get_resource(runtime, resource_id)
    except NotFound:
        raise error(1036) from None
    if caller.organisation_number != resource.owner_organisation_number:
        raise error(4001)
    return resource


def caller_party(caller: AltinnCaller) -> PartyId:
    """The caller as the core names a letter's recipient."""
    if caller.person_id is not None:
        return PartyId(PartyIdKind.NO_PERSON, caller.person_id)
    return PartyId(PartyIdKind.NO_ORGANISATION, caller.party)


@dataclass(frozen=True, slots=True)
class Letter:
    shipment: Shipment
    events: list[ShipmentEvent]
    record: CorrespondenceRecord
    role: Caller

    @property
    def as_sender(self) -> bool:
        return isinstance(self.role, AsSender)


def role_of(caller: AltinnCaller, shipment: Shipment, record: CorrespondenceRecord) -> Caller | None:
    """Sender first (the write scope and the resource owner's organisation), then recipient (the
    correspondence's own, or the resource's owner with ``altinn:serviceowner`` acting as one)."""
    organisation = caller.organisation_number
    owner = organisation is not None and record.sender_urn == ORGANISATION_URN + organisation
    if caller.acting_as_sender and owner:
        return AsSender(shipment.sender_id)
    if caller.acting_as_recipient and shipment.recipient_party == str(caller_party(caller)):
        return AsRecipient(str(caller_party(caller)))
    if caller.is_service_owner and owner and caller.acting_as_recipient and shipment.recipient_party:
        # §10.3's service-owner bypass: the resource's owner passes the recipient check too (Altinn's
        # use-case test reads, downloads and purges with the owner's read-scoped token).
        return AsRecipient(shipment.recipient_party)
    return None


async def load_letter(runtime: Runtime, caller: AltinnCaller, correspondence_id: uuid.UUID) -> Letter:
    """The correspondence and the caller's role in it: unknown ⇒ 1001 (404); not the caller's ⇒ 4001."""
    try:
        found = await get_shipment(correspondence_id, runtime)
    except NotFound:
        raise error(1001) from None
    record = record_of(found.shipment)
    if record is None:
        raise error(1001)
    role = role_of(caller, found.shipment, record)
    if role is None:
        raise error(4001)
    return Letter(found.shipment, found.events, record, role)

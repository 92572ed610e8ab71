"""Search C3 with §2.4's semantics: by resource and role, publish times exclusive, a status the
correspondence has ever had, the caller's own party (or ``onBehalfOf``), newest publish time first,
at most 1000 ids; ``idempotentKey`` short-circuits."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from postbud.dialects.altinn.access import caller_party
from postbud.dialects.altinn.auth import AltinnCaller, Policy, authenticate
from postbud.dialects.altinn.context import AltinnDialect
from postbud.dialects.altinn.errors import Invalid, ValidationProblem, error
from postbud.dialects.altinn.model import Role
from postbud.dialects.altinn.recipients import RecipientInvalid, parse_recipient
from postbud.dialects.altinn.statuses import (
    SEARCH_HIDES_FROM_RECIPIENT,
    SEARCH_HIDES_FROM_SENDER,
    CorrespondenceStatus,
    StatusEntry,
    latest,
    status_history,
)
from postbud.dialects.altinn.stored import record_of
from postbud.dialects.altinn.wire import enum_of, parse_guid, parse_time
from postbud.domain.errors import NotFound
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import PartyId
from postbud.domain.shipments import Shipment
from postbud.services.letters.query import events_of
from postbud.services.letters.resource_search import (
    ResourceLetters,
    letters_of_idempotency_key,
    recipient_id_of,
    resource_letters_page,
)
from postbud.services.parties.resources import get_resource
from postbud.services.runtime import Runtime

LIMIT = 1000
_PAGE = 200
# Candidates whose histories are read together: a page of the answer costs a few queries, not one each.
_HISTORIES_AT_ONCE = 200


def _param(request: Request, name: str) -> str | None:
    lowered = name.lower()
    for key, value in request.query_params.multi_items():
        if key.lower() == lowered:
            return value
    return None


def _publish_time(shipment: Shipment) -> datetime:
    return shipment.publish_at or shipment.created_at


async def search(dialect: AltinnDialect, request: Request) -> Response:
    runtime = dialect.runtime
    caller = await authenticate(request, runtime, Policy.SENDER_OR_RECIPIENT)
    invalid: list[Invalid] = []
    resource_id = _param(request, "resourceId")
    if not resource_id:
        invalid.append(Invalid("resourceId", "The resourceId field is required."))
    role_raw = _param(request, "role")
    role = enum_of(Role, role_raw) if role_raw is not None else None
    if role_raw is None:
        invalid.append(Invalid("role", "The role field is required."))
    elif role is None:
        invalid.append(Invalid("role", f"The value '{role_raw}' is not valid for role."))
    times: dict[str, datetime | None] = {}
    for name in ("from", "to"):
        raw = _param(request, name)
        times[name] = parse_time(raw) if raw else None
        if raw and times[name] is None:
            invalid.append(Invalid(name, f"The value '{raw}' is not valid for {name}."))
    status_raw = _param(request, "status")
    status = enum_of(CorrespondenceStatus, status_raw) if status_raw else None
    if status_raw and status is None:
        invalid.append(Invalid("status", f"The value '{status_raw}' is not valid for status."))
    key_raw = _param(request, "idempotentKey")
    key = parse_guid(key_raw) if key_raw else None
    if key_raw and key is None:
        invalid.append(Invalid("idempotentKey", f"The value '{key_raw}' is not valid for idempotentKey."))
    altinn2 = _param(request, "altinn2CorrespondenceId")
    if altinn2 and not altinn2.strip().lstrip("-").isdigit():
        invalid.append(Invalid("altinn2CorrespondenceId", f"The value '{altinn2}' is not valid."))
    party = caller_party(caller)
    on_behalf_of = _param(request, "onBehalfOf")
    if on_behalf_of:
        try:
            given = parse_recipient(on_behalf_of).party
        except RecipientInvalid as exc:
            invalid.append(Invalid("onBehalfOf", str(exc)))
        else:
            if given is None:
                invalid.append(Invalid("onBehalfOf", "onBehalfOf must name an organisation or a person"))
            else:
                party = given
    if invalid:
        raise ValidationProblem(invalid)
    assert resource_id is not None
    assert role is not None
    start, end = times["from"], times["to"]
    if start is not None and end is not None and start > end:
        raise error(1027)
    relations = await _relations(runtime, caller, resource_id, role, party, status)
    if altinn2:
        # A short-circuit lookup of correspondences migrated from Altinn 2; Postbud has none.
        return JSONResponse({"ids": []})
    reference = _param(request, "sendersReference")
    if key is not None:
        candidates = _by_key(runtime, relations, key, start, end, reference)
    else:
        walks = [_walk(runtime, relation, start, end, reference) for relation in relations]
        candidates = _merged(walks)
    result: list[uuid.UUID] = []
    async for chunk in _chunks(candidates, _HISTORIES_AT_ONCE):
        events = await events_of([shipment.id for shipment, _ in chunk], runtime)
        for shipment, hidden_by_relation in chunk:
            history = status_history(events[shipment.id])
            if any(_shown(history, hidden, status) for hidden in hidden_by_relation):
                result.append(shipment.id)
                if len(result) == LIMIT:
                    return JSONResponse({"ids": [str(i) for i in result]})
    return JSONResponse({"ids": [str(i) for i in result]})


def _shown(
    history: list[StatusEntry], hidden: frozenset[CorrespondenceStatus], status: CorrespondenceStatus | None
) -> bool:
    """As the real query: an asked-for status the correspondence has had (never a hidden one), else a
    latest status that is not hidden."""
    if status is not None:
        return status not in hidden and any(e.status is status for e in history)
    return latest(history).status not in hidden


def _matches(shipment: Shipment, start: datetime | None, end: datetime | None, reference: str | None) -> bool:
    at = _publish_time(shipment)
    if start is not None and not at > start:
        return False
    if end is not None and not at < end:
        return False
    return reference is None or shipment.senders_reference == reference


@dataclass(frozen=True)
class _Relation:
    """The caller's relation to the resource's letters it searches: their sender, or the party they
    are to; each hides some statuses from search."""

    resource_id: str
    owner_sender_id: uuid.UUID
    hidden: frozenset[CorrespondenceStatus]
    had_event_types: frozenset[str] | None
    """What a letter must have had to be shown (None: nothing more than being there)."""
    sender_id: uuid.UUID | None = None
    party: str | None = None
    recipient_id: uuid.UUID | None = None


async def _relations(
    runtime: Runtime,
    caller: AltinnCaller,
    resource_id: str,
    role: Role,
    party: PartyId,
    status: CorrespondenceStatus | None,
) -> list[_Relation]:
    """The caller's relations to the resource's letters in the asked roles; the caller must be that
    party (4001)."""
    try:
        resource = await get_resource(runtime, resource_id)
    except NotFound:
        raise error(4001) from None
    owner = caller.organisation_number == resource.owner_organisation_number
    own_party = party == caller_party(caller)
    if (role is Role.Sender and not owner) or (role is Role.Recipient and not own_party):
        raise error(4001)
    if role is Role.RecipientAndSender and not (owner or own_party):
        raise error(4001)
    relations: list[_Relation] = []

    def relation(hidden: frozenset[CorrespondenceStatus], **whose: Any) -> None:
        if status is None or status not in hidden:
            needed = _needed_events(hidden, status)
            relations.append(_Relation(resource.id, resource.owner_sender_id, hidden, needed, **whose))

    if role in (Role.Sender, Role.RecipientAndSender) and owner:
        relation(SEARCH_HIDES_FROM_SENDER, sender_id=resource.owner_sender_id)
    if role in (Role.Recipient, Role.RecipientAndSender) and own_party:
        recipient_id = await recipient_id_of(str(party), runtime)
        if recipient_id is not None:
            relation(SEARCH_HIDES_FROM_RECIPIENT, party=str(party), recipient_id=recipient_id)
    return relations


def _needed_events(
    hidden: frozenset[CorrespondenceStatus], status: CorrespondenceStatus | None
) -> frozenset[str] | None:
    """What a letter must have had to be shown: an event giving the asked status, else one giving a
    status search does not hide (None: every letter has one — its creation)."""
    wanted = frozenset({status}) if status is not None else frozenset(CorrespondenceStatus) - hidden
    types = _event_types_giving(wanted)
    return None if EventType.CREATED.value in types else types


@cache
def _event_types_giving(statuses: frozenset[CorrespondenceStatus]) -> frozenset[str]:
    """The core event types whose event shows as one of these statuses, read from the vocabulary
    itself (statuses.py), so a status added there is searched for without a second table."""
    at = datetime.now(UTC)
    found: set[str] = set()
    for kind in EventType:
        for data in ({}, {"by": "recipient"}, {"by": "sender"}):
            probe = ShipmentEvent(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), kind, at, data=data)
            if any(entry.status in statuses for entry in status_history([probe])):
                found.add(kind.value)
    return frozenset(found)


def _belongs(shipment: Shipment, relation: _Relation) -> bool:
    record = record_of(shipment)
    if record is None or record.resource_id != relation.resource_id:
        return False
    if relation.party is not None:
        return shipment.recipient_party == relation.party
    return shipment.sender_id == relation.sender_id


async def _walk(
    runtime: Runtime,
    relation: _Relation,
    start: datetime | None,
    end: datetime | None,
    reference: str | None,
) -> AsyncIterator[tuple[datetime, Shipment, frozenset[CorrespondenceStatus]]]:
    """The relation's letters newest publish time first, page by page as they are asked for."""
    which = ResourceLetters(
        resource_id=relation.resource_id,
        sender_id=relation.sender_id,
        recipient_id=relation.recipient_id,
        published_after=start,
        published_before=end,
        senders_reference=reference,
        had_event_types=relation.had_event_types,
    )
    before: tuple[datetime, uuid.UUID] | None = None
    while True:
        page = await resource_letters_page(which, runtime, before=before, limit=_PAGE)
        for at, shipment in page:
            if _belongs(shipment, relation):
                yield at, shipment, relation.hidden
        if len(page) < _PAGE:
            return
        before = (page[-1][0], page[-1][1].id)


async def _merged(
    walks: list[AsyncIterator[tuple[datetime, Shipment, frozenset[CorrespondenceStatus]]]],
) -> AsyncIterator[tuple[Shipment, list[frozenset[CorrespondenceStatus]]]]:
    """The walks merged newest first; a letter in several (sent to its own sender) once, with what
    each relation hides."""
    heads = {index: await anext(walk, None) for index, walk in enumerate(walks)}
    while live := {index: head for index, head in heads.items() if head is not None}:
        _, shipment, _ = max(live.values(), key=lambda head: (head[0], head[1].id))
        hidden: list[frozenset[CorrespondenceStatus]] = []
        for index, head in live.items():
            if head[1].id == shipment.id:
                hidden.append(head[2])
                heads[index] = await anext(walks[index], None)
        yield shipment, hidden


async def _by_key(
    runtime: Runtime,
    relations: list[_Relation],
    key: uuid.UUID,
    start: datetime | None,
    end: datetime | None,
    reference: str | None,
) -> AsyncIterator[tuple[Shipment, list[frozenset[CorrespondenceStatus]]]]:
    """``idempotentKey`` short-circuits: the one request's letters, not the resource's."""
    if not relations:
        return
    letters = await letters_of_idempotency_key(relations[0].owner_sender_id, "altinn", str(key), runtime)
    for shipment in sorted(letters, key=lambda s: (_publish_time(s), s.id), reverse=True):
        hidden = [relation.hidden for relation in relations if _belongs(shipment, relation)]
        if hidden and _matches(shipment, start, end, reference):
            yield shipment, hidden


async def _chunks(
    candidates: AsyncIterator[tuple[Shipment, list[frozenset[CorrespondenceStatus]]]], size: int
) -> AsyncIterator[list[tuple[Shipment, list[frozenset[CorrespondenceStatus]]]]]:
    chunk: list[tuple[Shipment, list[frozenset[CorrespondenceStatus]]]] = []
    async for candidate in candidates:
        chunk.append(candidate)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

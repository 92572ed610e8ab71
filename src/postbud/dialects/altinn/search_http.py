"""Search C3 with §2.4's semantics: by resource and role, publish times exclusive, a status the
correspondence has ever had, the caller's own party (or ``onBehalfOf``), newest publish time first,
at most 1000 ids; ``idempotentKey`` short-circuits."""

from __future__ import annotations

import uuid
from datetime import datetime

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
from postbud.domain.identifiers import PartyId
from postbud.domain.shipments import Shipment
from postbud.services.letters.query import ShipmentFilter, events_of, list_shipments
from postbud.services.parties.resources import get_resource
from postbud.services.runtime import Runtime

LIMIT = 1000
_PAGE = 500
# Candidates whose histories are read together: a page of the answer costs a few queries, not one each.
_HISTORIES_AT_ONCE = 200


def _param(request: Request, name: str) -> str | None:
    lowered = name.lower()
    for key, value in request.query_params.multi_items():
        if key.lower() == lowered:
            return value
    return None


async def _letters(runtime: Runtime, query: ShipmentFilter) -> list[Shipment]:
    """Every letter of the filter, newest first (page by page)."""
    letters: list[Shipment] = []
    cursor: str | None = None
    while True:
        page = await list_shipments(
            ShipmentFilter(
                sender_id=query.sender_id,
                recipient=query.recipient,
                resource_id=query.resource_id,
                cursor=cursor,
                limit=_PAGE,
            ),
            runtime,
        )
        letters.extend(page.shipments)
        if page.next_cursor is None:
            return letters
        cursor = page.next_cursor


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
    found = await _search(runtime, caller, resource_id, role, party, key)
    if altinn2:
        # A short-circuit lookup of correspondences migrated from Altinn 2; Postbud has none.
        return JSONResponse({"ids": []})
    reference = _param(request, "sendersReference")
    newest_first = sorted(found, key=lambda item: _publish_time(item[0]), reverse=True)
    candidates = [(s, relations) for s, relations in newest_first if _matches(s, start, end, reference)]
    result: list[uuid.UUID] = []
    for at in range(0, len(candidates), _HISTORIES_AT_ONCE):
        chunk = candidates[at : at + _HISTORIES_AT_ONCE]
        events = await events_of([shipment.id for shipment, _ in chunk], runtime)
        for shipment, relations in chunk:
            history = status_history(events[shipment.id])
            if any(_shown(history, hidden, status) for hidden in relations):
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


async def _search(
    runtime: Runtime,
    caller: AltinnCaller,
    resource_id: str,
    role: Role,
    party: PartyId,
    key: uuid.UUID | None,
) -> list[tuple[Shipment, list[frozenset[CorrespondenceStatus]]]]:
    """The correspondences of the resource in the asked roles, each with what search hides from the
    caller in each of its relations to it; the caller must be that party (4001)."""
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
    relations: dict[uuid.UUID, tuple[Shipment, list[frozenset[CorrespondenceStatus]]]] = {}
    if role in (Role.Sender, Role.RecipientAndSender) and owner:
        for s in await _letters(
            runtime, ShipmentFilter(sender_id=resource.owner_sender_id, resource_id=resource.id)
        ):
            relations.setdefault(s.id, (s, []))[1].append(SEARCH_HIDES_FROM_SENDER)
    if role in (Role.Recipient, Role.RecipientAndSender) and own_party:
        for s in await _letters(runtime, ShipmentFilter(recipient=str(party), resource_id=resource.id)):
            if s.recipient_party == str(party):
                relations.setdefault(s.id, (s, []))[1].append(SEARCH_HIDES_FROM_RECIPIENT)
    chosen = []
    for shipment, hidden in relations.values():
        record = record_of(shipment)
        if record is None or record.resource_id != resource.id:
            continue
        if key is not None and record.idempotent_key != str(key):
            continue
        chosen.append((shipment, hidden))
    return chosen

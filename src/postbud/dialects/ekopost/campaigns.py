"""Campaigns: create, get, list, close and cancel, over the core's batches.

A campaign is a batch of the customer's; its id is the batch's external id. Closing it answers at
once and queues the release of its closed envelopes on its output date (a job); its state is the
batch's, derived from its letters.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.ekopost import render
from postbud.dialects.ekopost.context import DIALECT, Call
from postbud.dialects.ekopost.errors import EkopostError, not_found
from postbud.dialects.ekopost.states import CAMPAIGN_STATE_NAMES, campaign_state
from postbud.dialects.ekopost.wire_in import (
    boolean,
    date_time,
    optional_date_time,
    path_id,
    read_object,
    text,
)
from postbud.domain.batches import Batch, BatchStatus
from postbud.domain.errors import Conflict, ConflictCode, NotFound
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batch_state import letters_in_batch
from postbud.services.letters.batches import (
    batches_of,
    cancel_batch,
    complete_batch,
    letters_by_status,
    open_batch,
)
from postbud.services.letters.quick_reads import find_batch_quickly

_MAX_NAME = 200


async def campaign_of(call: Call, campaign_id: uuid.UUID) -> Batch:
    """The customer's campaign; another customer's is not found."""
    try:
        return await find_batch_quickly(call.runtime, call.sender.id, DIALECT, str(campaign_id))
    except NotFound:
        raise not_found("campaign", campaign_id) from None


def _not_opened(batch: Batch) -> EkopostError:
    return EkopostError("127", f"campaign {batch.external_id} is {campaign_state(batch.state)}, not opened")


async def _envelope_count(call: Call, batch: Batch) -> int:
    return sum((await letters_by_status(call.runtime, batch.id)).values())


async def _answer(call: Call, batch: Batch) -> Response:
    return render.json_response(render.campaign(batch, await _envelope_count(call, batch)))


async def create(call: Call, request: Request) -> Response:
    body = await read_object(request, call.body_limit)
    output_at = optional_date_time(body, "output_date") or call.runtime.clock.now()
    data = {
        "cost_center": text(body, "cost_center", max_length=200),
        "signing": boolean(body, "signing"),
        "replymail": boolean(body, "replymail"),
    }
    batch = await open_batch(
        call.runtime,
        sender_id=call.sender.id,
        dialect=DIALECT,
        external_id=str(uuid.uuid4()),
        name=text(body, "name", max_length=_MAX_NAME),
        data=data,
        output_at=output_at,
    )
    return render.json_response(render.campaign(batch, 0))


async def get(call: Call, request: Request) -> Response:
    return await _answer(call, await campaign_of(call, path_id(request, "campaign_id", "campaign")))


def _day_start(at: datetime) -> datetime:
    return datetime.combine(at.astimezone(UTC).date(), time(), tzinfo=UTC)


def _search_date(request: Request, key: str, default: datetime) -> datetime:
    raw = request.query_params.get(key)
    if raw is None or not raw.strip():
        return default
    try:
        return date_time(raw, key)
    except EkopostError:
        raise EkopostError("115", f"{key}: {raw!r} is not a date (2026-12-04 or ISO 8601)") from None


async def list_(call: Call, request: Request) -> Response:
    today = _day_start(call.runtime.clock.now())
    since = _search_date(request, "start", today)
    until = _search_date(request, "stop", today + timedelta(days=1))
    if until <= since:
        raise EkopostError("116", f"stop ({render.when(until)}) must be after start ({render.when(since)})")
    state = (request.query_params.get("state") or "").strip().lower() or None
    if state is not None and state not in CAMPAIGN_STATE_NAMES:
        raise EkopostError("115", f"state: {state!r} is not one of {', '.join(sorted(CAMPAIGN_STATE_NAMES))}")
    name = (request.query_params.get("name") or "").strip() or None
    batches = await batches_of(call.runtime, call.sender.id, DIALECT, since=since, until=until, name=name)
    found = [b for b in batches if state is None or campaign_state(b.state) == state]
    return render.json_response([render.campaign(b, await _envelope_count(call, b)) for b in found])


async def close(call: Call, request: Request) -> Response:
    """200 at once with the campaign closed, whatever its size: its release is a job."""
    await read_object(request, call.body_limit)  # empty, [] or {}: nothing in it is read
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    if batch.status is not BatchStatus.OPEN:
        raise _not_opened(batch)
    counts = await letters_by_status(call.runtime, batch.id)
    if not counts:
        raise EkopostError("101", f"campaign {batch.external_id} has no envelopes")
    if counts.get(ShipmentStatus.DRAFT):
        opened = await letters_in_batch(call.runtime, batch.id, statuses=[ShipmentStatus.DRAFT], limit=10)
        raise EkopostError("102", f"envelopes still opened: {', '.join(str(e.id) for e in opened)}")
    try:
        closed = await complete_batch(call.runtime, batch.id)
    except Conflict as exc:
        if exc.code is ConflictCode.NOT_YET:  # an envelope was created while we looked
            raise EkopostError("102", f"campaign {batch.external_id}: {exc.rule}") from None
        raise
    return render.json_response(render.campaign(closed, sum(counts.values())))


async def cancel(call: Call, request: Request) -> Response:
    """An opened campaign, or a closed one until its output date releases it for print."""
    await read_object(request, call.body_limit)
    batch = await campaign_of(call, path_id(request, "campaign_id", "campaign"))
    if batch.status is BatchStatus.CANCELLED:
        raise _not_opened(batch)
    try:
        cancelled = await cancel_batch(call.runtime, batch.id, even_if_closed=True)
    except Conflict:
        raise EkopostError(
            "127", f"campaign {batch.external_id} is released for print already and cannot be cancelled"
        ) from None
    return await _answer(call, cancelled)

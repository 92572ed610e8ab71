"""Finding letters (by id, sender, recipient, status, channel, Altinn resource) and a letter's whole
timeline."""

from __future__ import annotations

import uuid
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from postbud.domain.status import ShipmentStatus
from postbud.services.console import print_queue
from postbud.services.console.letter_timeline import letter_timeline
from postbud.services.letters import reprint
from postbud.services.letters.query import ShipmentFilter, get_shipment, list_shipments
from postbud.services.parties.resources import list_resources
from postbud.services.parties.senders import list_senders
from postbud.web.console import paths
from postbud.web.console.altinn_status import altinn_statuses
from postbud.web.console.event_data import Words, event_facts
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.formatting import Formatter
from postbud.web.forms import text_field
from postbud.web.navigation import see_other
from postbud.web.templating import request_language

PAGE_SIZE: Final = 30
_FILTERS: Final = ("sender", "recipient", "status", "channel", "resource")


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def shipment_id_of(request: Request) -> uuid.UUID:
    value = request.path_params["shipment_id"]
    assert isinstance(value, uuid.UUID)
    return value


async def search(request: Request) -> Response:
    runtime = web_context(request).runtime
    params = {name: (request.query_params.get(name) or "").strip()[:200] for name in ("id", *_FILTERS)}
    if params["id"]:
        letter_id = _uuid(params["id"])
        if letter_id is not None:
            try:
                await get_shipment(letter_id, runtime)
            except NotFound:
                pass
            else:
                return see_other(paths.letter(letter_id))
    query = ShipmentFilter(
        sender_id=_uuid(params["sender"]),
        recipient=params["recipient"] or None,
        status=params["status"] or None,
        channel=params["channel"] or None,
        resource_id=params["resource"] or None,
        cursor=request.query_params.get("cursor") or None,
        limit=PAGE_SIZE,
    )
    problems: list[str] = []
    shipments, next_cursor = [], None
    if params["id"]:
        problems.append(web_context(request).pages.text(request, "console.letter_not_found", id=params["id"]))
    else:
        try:
            found_page = await list_shipments(query, runtime)
            shipments, next_cursor = found_page.shipments, found_page.next_cursor
        except ValidationFailed as exc:
            problems.extend(str(e) for e in exc.errors)
    senders = await list_senders(runtime)
    names = {s.id: s.name for s in senders}
    more = (
        paths.query(paths.LETTERS, **{k: params[k] for k in _FILTERS}, cursor=next_cursor)
        if next_cursor
        else None
    )
    context = {
        "section": "letters",
        "params": params,
        "senders": senders,
        "resources": await list_resources(runtime),
        "sender_names": names,
        "statuses": [s.value for s in ShipmentStatus],
        "channels": [c.value for c in Channel],
        "shipments": shipments,
        "problems": problems,
        "older_url": more,
    }
    return page(request, "console/letters.html", context)


async def letter_page(request: Request) -> Response:
    web = web_context(request)
    timeline = await letter_timeline(web.runtime, shipment_id_of(request))
    formatter = Formatter(request_language(request), web.pages.zone)
    words = Words(
        text=lambda key: web.pages.text(request, key),
        has_text=web.pages.catalogue.keys().__contains__,
        when=formatter.datetime,
    )
    facts = {event.id: event_facts(event.data, words) for event in timeline.events}
    altinn = altinn_statuses(timeline.shipment, timeline.events)
    context = {"section": "letters", "timeline": timeline, "facts": facts, "altinn": altinn}
    return page(request, "console/letter.html", context)


def _back(form: FormData, default: str) -> str:
    return paths.safe_next(text_field(form, "back")) if text_field(form, "back") else default


async def run_now(request: Request, form: FormData) -> Response:
    """Sandbox: the letter's waiting work (delivery, print, publish, print-if-unread) runs now."""
    shipment_id = shipment_id_of(request)
    try:
        started = await print_queue.run_now(web_context(request).runtime, shipment_id)
    except NotPermitted:
        flash(request, "console.sandbox_only", error=True)
    except Conflict:
        flash(request, "console.run_now_nothing", error=True)
    else:
        flash(request, "console.run_now_done", count=str(started))
    return see_other(_back(form, paths.letter(shipment_id)))


async def print_again(request: Request, form: FormData) -> Response:
    """A letter whose print failed goes to print once more (sandbox or not: this is operations)."""
    shipment_id = shipment_id_of(request)
    try:
        attempt = await reprint.print_again(web_context(request).runtime, shipment_id)
    except Conflict:
        flash(request, "console.print_again_refused", error=True)
    else:
        flash(request, "console.print_again_done", attempt=str(attempt))
    return see_other(_back(form, paths.letter(shipment_id)))

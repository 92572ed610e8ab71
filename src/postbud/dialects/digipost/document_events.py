"""GET /documents/events: the broker's document events in a time interval, paged by offset.

Query: ``from`` and ``to`` (required; the interval is [from, to)), ``offset`` (default 0),
``maxResults`` (default 100, at most 10 000), and optionally ``sender`` or ``org`` (+ ``part``),
which must name the broker itself. Times are ISO-8601: Java sends ``yyyy-MM-dd'T'HH:mm:ss.SSSxxx``,
.NET ``yyyy-MM-dd'T'HH:mm:ss.fffK`` (``Z``, an offset, or nothing for a local time, read as
Norwegian time); a ``+`` that arrives as a space is read as ``+``. Events are kept 30 days:
the interval is cut to the last 30 days. Fewer than ``maxResults`` events means the interval
is exhausted. Each event's ``uuid`` is its letter's primary document.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from lxml import etree
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.auth import authenticate
from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.event_vocabulary import digipost_event, event_kinds, xml_time
from postbud.dialects.digipost.responses import MEDIA_TYPE, negotiated_version, signed, xml_bytes
from postbud.dialects.digipost.schema import SchemaVersion, namespace
from postbud.domain.events import ShipmentEvent
from postbud.domain.parties import Sender

RETENTION = timedelta(days=30)
DEFAULT_MAX_RESULTS = 100
MAX_RESULTS = 10_000
# The real API reads offset as a Java int; anything larger is refused before it reaches a query.
MAX_OFFSET = 2**31 - 1
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# A local time without offset is read in Digipost's (and Postbud's default) home zone.
_LOCAL_ZONE = ZoneInfo("Europe/Oslo")
_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})T(?P<clock>\d{2}:\d{2}(?::\d{2})?)(?:[.,](?P<fraction>\d+))?"
    r"(?P<offset>Z|z|[+-]\d{2}(?::?\d{2})?)?"
)


class EventRow(Protocol):
    """What the events query yields per event."""

    @property
    def event(self) -> ShipmentEvent: ...
    @property
    def document_external_id(self) -> str | None: ...
    @property
    def document_id(self) -> uuid.UUID: ...
    @property
    def shipment_created_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class EventsQuery:
    since: datetime
    until: datetime
    offset: int
    limit: int


def parse_time(name: str, raw: str | None) -> datetime:
    if raw is None or not raw.strip():
        raise DigipostError(
            "INVALID_DATE", f"the query parameter {name} (an ISO-8601 date and time) is required"
        )
    text = raw.strip()
    # "+01:00" sent without percent-encoding reaches us as " 01:00".
    text = re.sub(r" (\d{2}(?::?\d{2})?)$", r"+\1", text)
    match = _TIME.fullmatch(text)
    if match is None:
        raise DigipostError("INVALID_DATE", f"{name}={raw!r} is not an ISO-8601 date and time")
    fraction = (match["fraction"] or "")[:6]
    offset = match["offset"] or ""
    if offset in ("Z", "z"):
        offset = "+00:00"
    elif offset and ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:] or '00'}"
    iso = f"{match['date']}T{match['clock']}{'.' + fraction.ljust(6, '0') if fraction else ''}{offset}"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        raise DigipostError("INVALID_DATE", f"{name}={raw!r} is not a valid date and time") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=_LOCAL_ZONE)


# Longer than any bound here; int() also refuses more than 4,300 digits with a ValueError.
_MAX_DIGITS = 19


def _is_ascii_number(raw: str) -> bool:
    """``str.isdigit`` also takes digits ``int`` cannot read (``"²"``), so only ASCII digits count."""
    stripped = raw.strip()
    return stripped.isascii() and stripped.isdigit()


def _whole_number(raw: str) -> int:
    """An ASCII whole number; one of more than 19 digits reads as 10**19, beyond every bound."""
    stripped = raw.strip().lstrip("0") or "0"
    return int(stripped) if len(stripped) <= _MAX_DIGITS else 10**_MAX_DIGITS


def _count(params: QueryParams, name: str, default: int, maximum: int | None, minimum: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not _is_ascii_number(raw):
        raise DigipostError("INVALID_QUERY_PARAMETER", f"{name}={raw!r} must be a whole number")
    value = _whole_number(raw)
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise DigipostError("INVALID_QUERY_PARAMETER", f"{name}={raw[:40]!r} must be {bounds}")
    return value


def parse_query(params: QueryParams, now: datetime) -> EventsQuery:
    since = parse_time("from", params.get("from"))
    until = parse_time("to", params.get("to"))
    if since > until:
        raise DigipostError("INVALID_DATE_RANGE", "from must not be after to")
    offset = _count(params, "offset", 0, MAX_OFFSET, 0)
    limit = _count(params, "maxResults", DEFAULT_MAX_RESULTS, MAX_RESULTS, 1)
    return EventsQuery(max(since, now - RETENTION), until, offset, limit)


def check_scope(params: QueryParams, broker: Sender) -> None:
    """``sender`` / ``org`` may only name the broker: a broker reads its own senders' events."""
    sender, org, part = params.get("sender"), params.get("org"), params.get("part")
    if sender and org:
        raise DigipostError("INVALID_QUERY_PARAMETER", "give either sender or org, not both")
    if part and not org:
        raise DigipostError("INVALID_QUERY_PARAMETER", "part is only meaningful with org")
    if sender:
        if not _is_ascii_number(sender):
            raise DigipostError("INVALID_QUERY_PARAMETER", f"sender={sender!r} must be a Digipost sender id")
        if _whole_number(sender) != broker.digipost_id:
            raise DigipostError(
                "BROKER_NOT_AUTHORIZED", f"the broker may not read the events of sender {sender[:40]}", 403
            )
    if org and org.strip() != broker.organisation_number:
        raise DigipostError(
            "BROKER_NOT_AUTHORIZED", f"the broker may not read the events of organisation {org}", 403
        )


def render_document_events(rows: Sequence[EventRow], version: SchemaVersion = 8) -> etree._Element:
    ns = namespace(version)
    root = etree.Element(f"{{{ns}}}document-events", nsmap={None: ns, "xsi": XSI})
    for row in rows:
        described = digipost_event(row.event, version)
        if described is None:
            continue
        el = etree.SubElement(root, f"{{{ns}}}event")
        el.set("uuid", row.document_external_id or str(row.document_id))
        el.set("type", described.type)
        el.set("created", xml_time(row.event.at))
        el.set("document-created", xml_time(row.shipment_created_at))
        if described.metadata is not None:
            metadata = etree.SubElement(el, f"{{{ns}}}metadata")
            metadata.set(f"{{{XSI}}}type", described.metadata.xsi_type)
            for attribute, value in described.metadata.attributes.items():
                metadata.set(attribute, value)
    return root


async def document_events(dialect: DigipostDialect, request: Request) -> Response:
    broker = await authenticate(dialect, request, None)
    assert broker.sender is not None
    version = negotiated_version(request)
    check_scope(request.query_params, broker.sender)
    query = parse_query(request.query_params, dialect.runtime.clock.now())
    rows: Sequence[EventRow] = []
    if query.since < query.until:
        async with dialect.runtime.reader() as uow:
            rows = await uow.events.for_sender_on_documents(
                broker.sender.id,
                since=query.since,
                until=query.until,
                kinds=event_kinds(version),
                dialect="digipost",
                offset=query.offset,
                limit=query.limit,
            )
    body = xml_bytes(render_document_events(rows, version))
    return signed(dialect, request, body, media_type=MEDIA_TYPE[version])

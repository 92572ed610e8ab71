"""GET /documents/events: core events in Digipost's vocabulary, as Java and .NET query them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from postbud.dialects.digipost.document_events import parse_time
from postbud.dialects.digipost.event_vocabulary import event_kinds
from postbud.dialects.digipost.schema import validate
from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Sender
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.record_event import record_events
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.parties.credentials import record_digipost_certificate
from tests.integration.core_helpers import add_recipients, add_sender, letter, pdf_document, runtime_for
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import (
    BROKER,
    MAILBOX_PERSON,
    PAPER_PERSON,
    a_pdf,
    client,
    error_code,
)
from tests.integration.digipost_requests import request, valid_v8

__all__ = ["client"]

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
PATH = "/digipost/documents/events"
PIN = f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
PRINT_DETAILS = (
    "<print-details><recipient><name>Kari Nordmann</name><norwegian-address>"
    "<addressline1>Storgata 1</addressline1><zip-code>0155</zip-code><city>Oslo</city>"
    "</norwegian-address></recipient><return-address><name>Testkommune</name><norwegian-address>"
    "<zip-code>0150</zip-code><city>Oslo</city></norwegian-address></return-address></print-details>"
)


def java_time(moment: datetime) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss.SSSxxx``, percent-encoded as Apache's URIBuilder does."""
    return quote(moment.astimezone(UTC).isoformat(timespec="milliseconds"), safe="")


def net_time(moment: datetime) -> str:
    """``yyyy-MM-dd'T'HH:mm:ss.fffK`` for a UTC DateTime, through HttpUtility.UrlEncode (lower-case hex)."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return quote(text, safe="").replace("%3A", "%3a")


def window(minutes: int = 10) -> tuple[datetime, datetime]:
    now = datetime.now(UTC)
    return now - timedelta(minutes=minutes), now + timedelta(minutes=minutes)


def events(client: SignedClient, query: str) -> Any:
    response = request(client, "GET", PATH, query=query)
    client.verify(response, PATH)
    return response


def listed(
    client: SignedClient, *, offset: int = 0, max_results: int = 100, extra: str = ""
) -> list[etree._Element]:
    since, until = window()
    query = f"from={java_time(since)}&to={java_time(until)}&offset={offset}&maxResults={max_results}{extra}"
    response = events(client, query)
    assert response.status_code == 200, response.text
    return valid_v8(response).findall(f"{{{V8}}}event")


def send(client: SignedClient, recipient: str = PIN) -> str:
    doc = str(uuid.uuid4())
    xml = (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id><recipient>{recipient}</recipient>'
        f"<primary-document><uuid>{doc}</uuid><subject>Vedtak</subject><file-type>pdf</file-type>"
        "</primary-document></message>"
    )
    response = client.send(xml, {doc: a_pdf()})
    assert response.status_code == 201, response.text
    return doc


def record(
    client: SignedClient, document: str, drafts: list[EventDraft], *, at: datetime | None = None
) -> None:
    async def go() -> None:
        runtime = client.runtime_of()
        async with runtime.unit_of_work() as uow:
            sender = await uow.senders.by_digipost_id(BROKER)
            found = await uow.shipments.by_document_external_id(sender.id, document)
            shipment = await uow.shipments.get(found.id, for_update=True)
            await record_events(uow, shipment, drafts, now=at or runtime.clock.now())

    client.run(go)


def run_jobs(client: SignedClient) -> None:
    worker = Worker(client.runtime_of(), core_handlers())
    while client.run(worker.run_once):
        pass


def test_a_posted_print_letter_is_postmarked(client: SignedClient) -> None:
    doc = send(
        client,
        f"<personal-identification-number>{PAPER_PERSON}</personal-identification-number>{PRINT_DETAILS}",
    )
    run_jobs(client)
    (event,) = listed(client)
    assert (event.get("uuid"), event.get("type")) == (doc, "POSTMARKED")
    assert datetime.fromisoformat(event.get("document-created") or "") <= datetime.fromisoformat(
        event.get("created") or ""
    )
    metadata = event.find(f"{{{V8}}}metadata")
    assert metadata is not None
    assert metadata.get(XSI_TYPE) == "postmarked-metadata"
    postmarked = datetime.fromisoformat(metadata.get("postmarked-date") or "")
    assert postmarked.date() == datetime.now(ZoneInfo("Europe/Oslo")).date()
    assert (postmarked.hour, postmarked.minute) == (0, 0)


def test_an_email_letter_is_reported_sent(client: SignedClient) -> None:
    doc = send(client, "<email-details><email-address>ola@example.no</email-address></email-details>")
    run_jobs(client)
    (event,) = listed(client)
    assert (event.get("uuid"), event.get("type")) == (doc, "EMAIL_MESSAGE_SENT")
    metadata = event.find(f"{{{V8}}}metadata")
    assert metadata is not None
    assert (metadata.get(XSI_TYPE), metadata.get("email-address")) == (
        "email-delivered-metadata",
        "ola@example.no",
    )


def test_every_mapped_core_event_in_digipost_words(client: SignedClient) -> None:
    doc = send(client)
    record(
        client,
        doc,
        [
            EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX),
            EventDraft(EventType.NOTIFICATION_SENT, Channel.EMAIL, {"address": "ola@example.no"}),
            EventDraft(
                EventType.NOTIFICATION_FAILED,
                Channel.EMAIL,
                {"address": "ola@example", "error": "bad address"},
            ),
            EventDraft(
                EventType.NOTIFICATION_FAILED, Channel.SMS, {"address": "+4799999999", "error": "no route"}
            ),
            EventDraft(EventType.DELIVERY_FAILED, Channel.EMAIL, {"reason": "mailbox full"}),
            EventDraft(EventType.DELIVERED, Channel.EINVOICE, {}),
            EventDraft(EventType.DELIVERY_FAILED, Channel.EINVOICE, {"reason": "refused"}),
            EventDraft(EventType.PRINT_FAILED, Channel.PRINT, {"reason": "no postal address"}),
            EventDraft(EventType.DATA_ADDED, data={"kind": "pickup-notice-status"}),
            EventDraft(EventType.DOCUMENTS_SHARED, data={"document_ids": []}),
            EventDraft(EventType.SHARING_WITHDRAWN),
            EventDraft(EventType.REGISTRATION_REQUESTED, Channel.SMS, {"address": "+4791234567"}),
            EventDraft(EventType.REGISTRATION_FAILED, Channel.EMAIL, {"error": "bad address"}),
            EventDraft(EventType.REGISTERED, Channel.DIGITAL_MAILBOX),
            EventDraft(EventType.REGISTRATION_EXPIRED, data={"fallback_channel": "print"}),
            EventDraft(EventType.EXPIRED),  # not a document event: only registration expiry is
        ],
    )
    seen = [(e.get("type"), _metadata(e)) for e in listed(client)]
    assert seen == [
        ("OPENED", None),
        ("EMAIL_NOTIFICATION_FAILED", ("email-notification-failed-metadata", "ola@example", "bad address")),
        ("SMS_NOTIFICATION_FAILED", ("sms-notification-failed-metadata", "+4799999999", "no route")),
        ("EMAIL_MESSAGE_FAILED", None),
        ("PEPPOL_DELIVERED", None),
        ("PEPPOL_FAILED", ("failed-peppol-metadata", "refused")),
        ("PRINT_FAILED", ("failed-print-metadata", "no postal address")),
        ("SHARE_DOCUMENTS_REQUEST_DOCUMENTS_SHARED", None),
        ("SHARE_DOCUMENTS_REQUEST_SHARING_WITHDRAWN", None),
        ("REQUEST_FOR_REGISTRATION_FAILED", None),
        ("REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST", None),
        ("REQUEST_FOR_REGISTRATION_EXPIRED", ("request-for-registration-expired-metadata", "PRINT")),
    ]


def _metadata(event: etree._Element) -> tuple[str, ...] | None:
    metadata = event.find(f"{{{V8}}}metadata")
    if metadata is None:
        return None
    return (metadata.get(XSI_TYPE) or "", *(v for k, v in metadata.attrib.items() if k != XSI_TYPE))


def test_paging_counts_only_document_events(client: SignedClient) -> None:
    documents = [send(client) for _ in range(5)]  # each send also records created/routed/delivered
    for doc in documents:
        record(client, doc, [EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX)])
    pages = [listed(client, offset=offset, max_results=2) for offset in (0, 2, 4)]
    assert [len(page) for page in pages] == [2, 2, 1]  # fewer than maxResults: the interval is exhausted
    assert [e.get("uuid") for page in pages for e in page] == documents


def test_both_client_date_formats_and_an_unencoded_plus(client: SignedClient) -> None:
    doc = send(client)
    record(client, doc, [EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX)])
    since, until = window()
    oslo = timedelta(hours=1)
    local_since = (since + oslo).replace(tzinfo=None).isoformat(timespec="milliseconds") + "+01:00"
    local_until = (until + oslo).replace(tzinfo=None).isoformat(timespec="milliseconds") + "+01:00"
    queries = [
        f"sender={BROKER}&from={net_time(since)}&to={net_time(until)}&offset=0&maxResults=10",
        f"from={local_since}&to={local_until}&offset=0&maxResults=10",  # "+" arrives as a space
        f"from={java_time(since)}&to={java_time(until)}",  # offset and maxResults default
    ]
    for query in queries:
        response = events(client, query)
        assert response.status_code == 200, (query, response.text)
        assert [e.get("uuid") for e in valid_v8(response).findall(f"{{{V8}}}event")] == [doc], query


def test_events_older_than_30_days_are_gone(client: SignedClient) -> None:
    doc = send(client)
    long_ago = datetime.now(UTC) - timedelta(days=31)
    record(client, doc, [EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX)], at=long_ago)
    since, until = long_ago - timedelta(days=1), datetime.now(UTC) + timedelta(minutes=1)
    response = events(client, f"from={java_time(since)}&to={java_time(until)}&offset=0&maxResults=10")
    assert valid_v8(response).findall(f"{{{V8}}}event") == []


def test_other_senders_events_are_not_listed(client: SignedClient) -> None:
    async def other_senders_letter() -> None:
        runtime = client.runtime_of()
        other = Sender(uuid.uuid4(), "Annen etat", "983887457", digipost_id=200456)
        async with runtime.unit_of_work() as uow:
            await uow.senders.add(other, now=runtime.clock.now())
            await record_digipost_certificate(uow, other, runtime)
        accepted = await send_letter(
            SendLetter(
                sender_id=other.id,
                dialect="digipost",
                documents=(
                    DocumentInput(content=a_pdf(), file_type="pdf", mime="application/pdf", title="X"),
                ),
                recipient=parse_party_id(MAILBOX_PERSON),
            ),
            runtime,
        )
        async with runtime.unit_of_work() as uow:
            shipment = await uow.shipments.get(accepted.shipment.id, for_update=True)
            assert shipment is not None
            draft = EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX)
            await record_events(uow, shipment, [draft], now=runtime.clock.now())

    client.run(other_senders_letter)
    assert listed(client) == []


def test_v7_clients_see_no_v8_only_events(client: SignedClient) -> None:
    doc = send(client)
    record(client, doc, [EventDraft(EventType.OPENED), EventDraft(EventType.SHARING_WITHDRAWN)])
    since, until = window()
    query = f"from={java_time(since)}&to={java_time(until)}&offset=0&maxResults=10"
    headers = client.headers("GET", PATH, None, query)
    response = client.http.get(
        f"{PATH}?{query}", headers={**headers, "Accept": "application/vnd.digipost-v7+xml"}
    )
    client.verify(response, PATH)
    root = etree.fromstring(response.content)
    assert validate(root, 7) == []
    assert [e.get("type") for e in root] == ["OPENED"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("to=2025-01-01T00%3A00%3A00.000%2B01%3A00", 400, "INVALID_DATE"),
        ("from=yesterday&to=2025-01-01T00%3A00%3A00.000Z", 400, "INVALID_DATE"),
        ("from=2025-02-30T00%3A00%3A00.000Z&to=2025-03-01T00%3A00%3A00.000Z", 400, "INVALID_DATE"),
        ("from=2025-03-02T00%3A00%3A00.000Z&to=2025-03-01T00%3A00%3A00.000Z", 400, "INVALID_DATE_RANGE"),
        (
            "from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z&maxResults=0",
            400,
            "INVALID_QUERY_PARAMETER",
        ),
        (
            "from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z&maxResults=10001",
            400,
            "INVALID_QUERY_PARAMETER",
        ),
        (
            "from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z&offset=-1",
            400,
            "INVALID_QUERY_PARAMETER",
        ),
        (
            "from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z&sender=999",
            403,
            "BROKER_NOT_AUTHORIZED",
        ),
        (
            "from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z&org=983887457",
            403,
            "BROKER_NOT_AUTHORIZED",
        ),
        (
            "from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z&sender=1&org=2",
            400,
            "INVALID_QUERY_PARAMETER",
        ),
    ],
)
def test_bad_queries_are_refused(client: SignedClient, query: str, status: int, code: str) -> None:
    response = events(client, query)
    assert response.status_code == status, response.text
    assert error_code(response) == code


@pytest.mark.parametrize("scope", [f"&sender={BROKER}", "&org=974760673", "&org=974760673&part=Oslo"])
def test_the_broker_may_name_itself(client: SignedClient, scope: str) -> None:
    doc = send(client)
    record(client, doc, [EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX)])
    assert [e.get("uuid") for e in listed(client, extra=scope)] == [doc]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-01T10:00:00.123+01:00", datetime(2025, 3, 1, 9, 0, 0, 123000, tzinfo=UTC)),
        ("2025-03-01T10:00:00.123 01:00", datetime(2025, 3, 1, 9, 0, 0, 123000, tzinfo=UTC)),
        ("2025-03-01T09:00:00.123Z", datetime(2025, 3, 1, 9, 0, 0, 123000, tzinfo=UTC)),
        ("2025-03-01T10:00:00.1234567+0100", datetime(2025, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)),
        ("2025-07-01T11:00:00", datetime(2025, 7, 1, 11, tzinfo=ZoneInfo("Europe/Oslo"))),
    ],
)
def test_times_as_clients_write_them(raw: str, expected: datetime) -> None:
    assert parse_time("from", raw) == expected


# ---- the events query on both database backends


@pytest.mark.anyio
async def test_the_events_query_on_each_backend(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    mine = await send_letter(
        letter(sender, dialect="digipost", documents=(pdf_document("a", "d-1"),)), runtime
    )
    anonymous = await send_letter(letter(sender, dialect="digipost"), runtime)  # primary without uuid
    elsewhere = await send_letter(letter(sender, dialect="ekopost"), runtime)
    drafts = [
        EventDraft(EventType.OPENED, Channel.DIGITAL_MAILBOX),
        EventDraft(EventType.NOTIFICATION_SENT, Channel.EMAIL),
        EventDraft(EventType.DELIVERED, Channel.SMS),
        EventDraft(EventType.DELIVERY_FAILED, Channel.EMAIL, {"reason": "full"}),
    ]
    for accepted in (mine, anonymous, elsewhere):
        async with runtime.unit_of_work() as uow:
            shipment = await uow.shipments.get(accepted.shipment.id, for_update=True)
            assert shipment is not None
            await record_events(uow, shipment, drafts, now=runtime.clock.now())
    now = runtime.clock.now()
    async with runtime.reader() as uow:
        rows = await uow.events.for_sender_on_documents(
            sender,
            since=now - timedelta(minutes=1),
            until=now + timedelta(minutes=1),
            kinds=event_kinds(8),
            dialect="digipost",
        )
        second_page = await uow.events.for_sender_on_documents(
            sender,
            since=now - timedelta(minutes=1),
            until=now + timedelta(minutes=1),
            kinds=event_kinds(8),
            dialect="digipost",
            offset=1,
            limit=2,
        )
    await runtime.close()
    assert [(r.event.type, r.event.channel) for r in rows] == [
        (EventType.OPENED, Channel.DIGITAL_MAILBOX),
        (EventType.DELIVERY_FAILED, Channel.EMAIL),
    ] * 2
    assert [r.document_external_id for r in rows] == ["d-1", "d-1", None, None]
    assert {r.document_id for r in rows[2:]} == {anonymous.shipment.primary.id}
    assert all(r.shipment_created_at == mine.shipment.created_at for r in rows[:2])
    assert [r.event.id for r in second_page] == [r.event.id for r in rows[1:3]]

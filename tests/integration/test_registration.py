"""Request for registration in the core, on real SQLite and PostgreSQL: wait, ask, deliver or fall back."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from postbud.domain.channels import Channel
from postbud.domain.errors import ValidationFailed
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import PrintInstructions, RegistrationRequest, Shipment
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.send_letter import Accepted, DocumentInput, send_letter
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.registration.outcome import deliver_registered, registration_deadline
from postbud.services.registration.request_job import give_up_registration_request, request_registration
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from postbud.storage import job_kinds, schema
from postbud.storage.repos.shipment_jobs import ShipmentJobRepository
from postbud.webhooks.manage import add_webhook, list_deliveries
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITH_MAILBOX,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    runtime_for,
)
from tests.integration.digipost_fixtures import a_pdf

pytestmark = pytest.mark.anyio

UNKNOWN_PERSON = "01010110013"  # valid check digits, not registered anywhere
E = EventType


@pytest.fixture
async def world(tmp_path: Path, database_url: str) -> Any:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    yield runtime, sender
    await runtime.close()


def _pdf_letter(sender: uuid.UUID, person: str, **changes: Any) -> Any:
    document = DocumentInput(a_pdf("Vedtak"), "pdf", "application/pdf", title="Vedtak")
    return letter(
        sender,
        recipient=parse_party_id(person),
        channels=(Channel.DIGITAL_MAILBOX,),
        documents=(document,),
        **changes,
    )


async def _send(
    runtime: Runtime, sender: uuid.UUID, person: str, *, days: int = 7, **changes: Any
) -> Accepted:
    deadline = runtime.clock.now() + timedelta(days=days)
    registration = changes.pop("registration", RegistrationRequest(deadline))
    return await send_letter(_pdf_letter(sender, person, registration=registration, **changes), runtime)


async def drain(runtime: Runtime, *, without: tuple[str, ...] = ()) -> None:
    handlers = {kind: handler for kind, handler in core_handlers().items() if kind not in without}
    worker = Worker(runtime, handlers)
    while await worker.run_once():
        pass


async def stored(runtime: Runtime, shipment_id: uuid.UUID) -> tuple[Shipment, list[ShipmentEvent]]:
    async with runtime.reader() as uow:
        shipment = await uow.shipments.get(shipment_id)
        assert shipment is not None
        return shipment, await uow.events.for_shipment(shipment_id)


async def job_kinds_of(runtime: Runtime, shipment_id: uuid.UUID) -> list[str]:
    async with runtime.reader() as uow:
        rows = await uow.conn.execute(select(schema.jobs.c.kind, schema.jobs.c.payload))
        return sorted(kind for kind, payload in rows if payload.get("shipment_id") == str(shipment_id))


async def count(runtime: Runtime, table: Any) -> int:
    async with runtime.reader() as uow:
        return int((await uow.conn.execute(select(func.count()).select_from(table))).scalar_one())


def with_print() -> PrintInstructions:
    return PrintInstructions(recipient=ADDRESS, return_address=ADDRESS)


async def test_an_unknown_person_is_asked_and_gets_the_letter_on_registering(world: Any) -> None:
    runtime, sender = world
    await add_webhook(runtime, sender, "https://example.com/hook", ["registered"])
    deadline = runtime.clock.now() + timedelta(days=7)
    registration = RegistrationRequest(deadline, "+4791234567", "kari@example.no")
    accepted = await _send(
        runtime, sender, UNKNOWN_PERSON, registration=registration, print_instructions=with_print()
    )
    assert accepted.decision.pending
    assert accepted.decision.channel is None
    shipment, events = await stored(runtime, accepted.shipment.id)
    assert (shipment.status, shipment.channel, shipment.recipient_id) == (
        ShipmentStatus.SCHEDULED,
        None,
        None,
    )
    assert shipment.registration == registration
    assert [e.type for e in events] == [E.CREATED, E.HELD]
    assert events[1].data["pending"] is True
    assert await job_kinds_of(runtime, shipment.id) == sorted(
        [job_kinds.REGISTRATION_REQUEST, job_kinds.REGISTRATION_DEADLINE]
    )

    await drain(runtime)
    _, events = await stored(runtime, shipment.id)
    requested = {e.channel: e.data for e in events if e.type is E.REGISTRATION_REQUESTED}
    assert set(requested) == {Channel.SMS, Channel.EMAIL}
    assert requested[Channel.SMS]["captured"] is True
    sms = json.loads(await runtime.blobs.get(requested[Channel.SMS]["sms_sha256"]))
    assert sms["to"] == "+4791234567"
    assert "Skatteetaten has sent you a letter" in sms["text"]
    assert deadline.astimezone(ZoneInfo("Europe/Oslo")).strftime("%d.%m.%Y %H:%M") in sms["text"]
    assert "/inbox/" in sms["text"]
    assert requested[Channel.EMAIL]["captured"] is True

    registered = await register_recipient(
        RecipientInput(UNKNOWN_PERSON, "Kari Nordmann", mailbox=True), runtime
    )
    await drain(runtime, without=("webhook.deliver",))
    shipment, events = await stored(runtime, shipment.id)
    assert (shipment.status, shipment.channel) == (ShipmentStatus.DELIVERED, Channel.DIGITAL_MAILBOX)
    assert shipment.recipient_id == registered.recipient.id  # so the new inbox lists it
    assert [e.type for e in events][-3:] == [E.ROUTED, E.REGISTERED, E.DELIVERED]
    (hook,) = await list_deliveries(runtime, sender)
    assert hook.event_id == next(e.id for e in events if e.type is E.REGISTERED)

    await advance_clock(runtime, timedelta(days=8))  # the deadline job finds nothing left to do
    await drain(runtime, without=("webhook.deliver",))
    after, later_events = await stored(runtime, shipment.id)
    assert after.status is ShipmentStatus.DELIVERED
    assert [e.type for e in later_events] == [e.type for e in events]


async def test_at_the_deadline_the_letter_is_printed_by_its_print_details(world: Any) -> None:
    runtime, sender = world
    accepted = await _send(runtime, sender, PERSON_WITHOUT_MAILBOX, print_instructions=with_print())
    await drain(runtime)
    _, events = await stored(runtime, accepted.shipment.id)
    (failed,) = [e for e in events if e.type is E.REGISTRATION_FAILED]  # Kari has no number or address
    assert "no mobile number or e-mail address" in failed.data["error"]

    await advance_clock(runtime, timedelta(days=7, minutes=1))
    await drain(runtime)
    shipment, events = await stored(runtime, accepted.shipment.id)
    assert (shipment.status, shipment.channel) == (ShipmentStatus.POSTED, Channel.PRINT)
    types = [e.type for e in events]
    assert types[types.index(E.REGISTRATION_EXPIRED) :] == [
        E.REGISTRATION_EXPIRED,
        E.ROUTED,
        E.SENT_TO_PRINT,
        E.PRINTED,
        E.POSTED,
    ]
    expired = next(e for e in events if e.type is E.REGISTRATION_EXPIRED)
    assert expired.data["fallback_channel"] == "print"


async def test_at_the_deadline_without_print_details_it_is_not_delivered(world: Any) -> None:
    runtime, sender = world
    accepted = await _send(runtime, sender, UNKNOWN_PERSON, days=1)
    await advance_clock(runtime, timedelta(days=2))
    await drain(runtime)
    shipment, events = await stored(runtime, accepted.shipment.id)
    assert (shipment.status, shipment.channel) == (ShipmentStatus.NOT_DELIVERED, None)
    assert [e.type for e in events][-2:] == [E.REGISTRATION_EXPIRED, E.NOT_DELIVERED]
    assert events[-2].data["fallback_channel"] is None


async def test_registering_after_the_deadline_is_too_late(world: Any) -> None:
    runtime, sender = world
    accepted = await _send(runtime, sender, UNKNOWN_PERSON, days=1, print_instructions=with_print())
    await advance_clock(runtime, timedelta(days=2))
    await register_recipient(RecipientInput(UNKNOWN_PERSON, "Kari Nordmann", mailbox=True), runtime)
    assert job_kinds.REGISTERED not in await job_kinds_of(runtime, accepted.shipment.id)
    await drain(runtime)
    shipment, _ = await stored(runtime, accepted.shipment.id)
    assert (shipment.status, shipment.channel) == (ShipmentStatus.POSTED, Channel.PRINT)


async def test_registered_in_time_counts_even_when_the_worker_comes_after_the_deadline(world: Any) -> None:
    runtime, sender = world
    accepted = await _send(runtime, sender, PERSON_WITHOUT_MAILBOX, days=1, print_instructions=with_print())
    await register_recipient(RecipientInput(PERSON_WITHOUT_MAILBOX, "Kari Nordmann", mailbox=True), runtime)
    await advance_clock(runtime, timedelta(days=2))
    await registration_deadline(accepted.shipment.id, runtime)  # before the registration job ran
    await deliver_registered(accepted.shipment.id, runtime)
    await drain(runtime)
    shipment, events = await stored(runtime, accepted.shipment.id)
    assert (shipment.status, shipment.channel) == (ShipmentStatus.DELIVERED, Channel.DIGITAL_MAILBOX)
    types = [e.type for e in events]
    assert types.count(E.REGISTERED) == 1
    assert types.count(E.DELIVERED) == 1
    assert E.REGISTRATION_EXPIRED not in types


async def test_a_letter_with_a_later_publish_time_waits_for_it_after_registering(world: Any) -> None:
    runtime, sender = world
    publish_at = runtime.clock.now() + timedelta(days=3)
    accepted = await _send(runtime, sender, UNKNOWN_PERSON, publish_at=publish_at)
    await register_recipient(RecipientInput(UNKNOWN_PERSON, "Kari Nordmann", mailbox=True), runtime)
    await drain(runtime)
    shipment, events = await stored(runtime, accepted.shipment.id)
    assert (shipment.status, shipment.channel) == (ShipmentStatus.SCHEDULED, Channel.DIGITAL_MAILBOX)
    assert events[-1].type is E.HELD
    assert events[-1].data["reason"] == "waiting for its publish time"
    await advance_clock(runtime, timedelta(days=3, minutes=1))
    await drain(runtime)
    shipment, _ = await stored(runtime, accepted.shipment.id)
    assert shipment.status is ShipmentStatus.DELIVERED


async def test_a_person_with_a_mailbox_gets_it_at_once(world: Any) -> None:
    runtime, sender = world
    accepted = await _send(runtime, sender, PERSON_WITH_MAILBOX)
    assert accepted.shipment.status is ShipmentStatus.DELIVERED
    assert accepted.shipment.channel is Channel.DIGITAL_MAILBOX
    assert await job_kinds_of(runtime, accepted.shipment.id) == []


async def test_the_jobs_are_idempotent(world: Any) -> None:
    runtime, sender = world
    registration = RegistrationRequest(runtime.clock.now() + timedelta(days=7), "+4791234567")
    accepted = await _send(runtime, sender, UNKNOWN_PERSON, registration=registration)
    shipment_id = accepted.shipment.id
    await request_registration(shipment_id, runtime)
    await request_registration(shipment_id, runtime)
    await give_up_registration_request(shipment_id, runtime, "too late to matter")
    await register_recipient(RecipientInput(UNKNOWN_PERSON, "Kari Nordmann", mailbox=True), runtime)
    await register_recipient(RecipientInput(UNKNOWN_PERSON, "Kari Nordmann", mailbox=True), runtime)
    assert (await job_kinds_of(runtime, shipment_id)).count(job_kinds.REGISTERED) == 1
    await deliver_registered(shipment_id, runtime)
    await deliver_registered(shipment_id, runtime)
    await registration_deadline(shipment_id, runtime)
    _, events = await stored(runtime, shipment_id)
    assert [e.type for e in events] == [
        E.CREATED,
        E.HELD,
        E.REGISTRATION_REQUESTED,
        E.ROUTED,
        E.REGISTERED,
        E.DELIVERED,
    ]


async def test_a_failed_request_is_recorded_when_the_job_gives_up(world: Any) -> None:
    runtime, sender = world
    registration = RegistrationRequest(
        runtime.clock.now() + timedelta(days=7), "+4791234567", "kari@example.no"
    )
    accepted = await _send(runtime, sender, UNKNOWN_PERSON, registration=registration)
    await give_up_registration_request(accepted.shipment.id, runtime, "gateway down")
    _, events = await stored(runtime, accepted.shipment.id)
    failed = {e.channel: e.data for e in events if e.type is E.REGISTRATION_FAILED}
    assert failed == {
        Channel.SMS: {"channel": "sms", "address": "+4791234567", "error": "gateway down"},
        Channel.EMAIL: {"channel": "email", "address": "kari@example.no", "error": "gateway down"},
    }


@pytest.mark.parametrize(
    ("person", "deadline_in", "field"),
    [
        (UNKNOWN_PERSON, timedelta(hours=-1), "registration.deadline"),
        ("974760673", timedelta(days=1), "registration"),
    ],
)
async def test_a_bad_request_is_refused_and_nothing_stored(
    world: Any, person: str, deadline_in: timedelta, field: str
) -> None:
    runtime, sender = world
    registration = RegistrationRequest(runtime.clock.now() + deadline_in)
    with pytest.raises(ValidationFailed) as raised:
        await send_letter(_pdf_letter(sender, person, registration=registration), runtime)
    assert [e.field for e in raised.value.errors] == [field]
    assert await count(runtime, schema.shipments) == 0
    assert await count(runtime, schema.jobs) == 0


def test_the_deadline_is_kept_to_the_microsecond() -> None:
    from postbud.storage.repos.registrations import registration_from_json, registration_to_json

    request = RegistrationRequest(datetime(2030, 1, 15, 11, 0, 0, 123456, tzinfo=UTC), "+4791234567", None)
    assert registration_from_json(registration_to_json(request)) == request
    assert registration_to_json(None) is None


async def test_the_waiting_jobs_are_listed_with_the_letter(world: Any) -> None:
    runtime, sender = world
    accepted = await _send(runtime, sender, UNKNOWN_PERSON)
    assert accepted.shipment.registration is not None
    async with runtime.reader() as uow:
        jobs = (await ShipmentJobRepository(uow.conn).for_letters([accepted.shipment.id]))[
            accepted.shipment.id
        ]
    assert [(j.kind, j.run_at) for j in jobs] == [
        (job_kinds.REGISTRATION_REQUEST, accepted.shipment.created_at),
        (job_kinds.REGISTRATION_DEADLINE, accepted.shipment.registration.deadline),
    ]

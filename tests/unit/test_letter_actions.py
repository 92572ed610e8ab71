"""The rules of the per-letter and recipient actions: who may act, and in which state of the letter."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from postbud.domain.channels import Channel
from postbud.domain.errors import Conflict, ConflictCode, NotPermitted
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.letter_actions import (
    AsRecipient,
    AsSender,
    LetterFacts,
    check_cancel,
    check_confirm,
    check_download,
    check_read,
    check_recipient_purge,
    check_sender_purge,
    facts_of,
    fetch_counts,
    require_party,
    require_recipient,
    require_sender,
)
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus as S

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SENDER = uuid.uuid4()
PARTY = "no-person:15108695088"


def _letter() -> Shipment:
    return Shipment(
        id=uuid.uuid4(),
        sender_id=SENDER,
        dialect="altinn",
        external_id=None,
        recipient_id=None,
        recipient_party=PARTY,
        recipient_name=None,
        channels=(Channel.DIGITAL_MAILBOX,),
        documents=(),
        created_at=NOW,
    )


def _event(kind: EventType, at: datetime = NOW, **data: str) -> ShipmentEvent:
    return ShipmentEvent(uuid.uuid4(), uuid.uuid4(), SENDER, kind, at, data=data)


def _facts(status: S, *kinds: EventType) -> LetterFacts:
    return facts_of(status, [_event(kind) for kind in kinds])


def _code(check: Callable[[], None]) -> ConflictCode | None:
    try:
        check()
    except Conflict as exc:
        return exc.code
    return None


def test_the_callers_are_the_letters_sender_and_recipient() -> None:
    letter = _letter()
    require_party(AsSender(SENDER), letter)
    require_party(AsRecipient(PARTY), letter)
    require_sender(AsSender(SENDER), letter)
    require_recipient(AsRecipient(PARTY), letter)
    for caller in (AsSender(uuid.uuid4()), AsRecipient("no-person:31129956715")):
        with pytest.raises(NotPermitted):
            require_party(caller, letter)
    with pytest.raises(NotPermitted):
        require_sender(AsRecipient(PARTY), letter)
    with pytest.raises(NotPermitted):
        require_recipient(AsSender(SENDER), letter)


@pytest.mark.parametrize(
    ("status", "events", "expected"),
    [
        (S.DELIVERED, (), ConflictCode.NOT_YET),
        (S.DELIVERED, (EventType.FETCHED,), None),
        (S.OPENED, (EventType.FETCHED, EventType.OPENED), ConflictCode.ALREADY_DONE),
        (S.SCHEDULED, (EventType.FETCHED,), ConflictCode.NOT_YET),
        (S.DRAFT, (), ConflictCode.NOT_YET),
        (S.PURGED, (EventType.FETCHED,), ConflictCode.WRONG_STATE),
        (S.CANCELLED, (), ConflictCode.WRONG_STATE),
        (S.POSTED, (), ConflictCode.WRONG_STATE),
    ],
)
def test_read(status: S, events: tuple[EventType, ...], expected: ConflictCode | None) -> None:
    assert _code(lambda: check_read(_facts(status, *events))) is expected


@pytest.mark.parametrize(
    ("status", "events", "expected"),
    [
        (S.DELIVERED, (), ConflictCode.NOT_YET),
        (S.OPENED, (EventType.FETCHED, EventType.OPENED), None),
        (S.DELIVERED, (EventType.FETCHED, EventType.CONFIRMED), ConflictCode.ALREADY_DONE),
        (S.PURGED, (EventType.FETCHED,), ConflictCode.WRONG_STATE),
    ],
)
def test_confirm(status: S, events: tuple[EventType, ...], expected: ConflictCode | None) -> None:
    assert _code(lambda: check_confirm(_facts(status, *events))) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.DRAFT, None),
        (S.ACCEPTED, None),
        (S.SCHEDULED, None),
        (S.ROUTED, None),
        (S.CANCELLED, ConflictCode.ALREADY_DONE),
        (S.DELIVERED, ConflictCode.WRONG_STATE),
        (S.IN_PRINT, ConflictCode.WRONG_STATE),
        (S.PURGED, ConflictCode.WRONG_STATE),
    ],
)
def test_cancel(status: S, expected: ConflictCode | None) -> None:
    assert _code(lambda: check_cancel(_facts(status))) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (S.SCHEDULED, None),
        (S.FAILED, None),
        (S.NOT_DELIVERED, None),
        (S.CANCELLED, None),
        (S.DELIVERED, ConflictCode.WRONG_STATE),
        (S.OPENED, ConflictCode.WRONG_STATE),
        (S.POSTED, ConflictCode.WRONG_STATE),
        (S.PURGED, ConflictCode.ALREADY_DONE),
    ],
)
def test_sender_purge(status: S, expected: ConflictCode | None) -> None:
    assert _code(lambda: check_sender_purge(_facts(status))) is expected


@pytest.mark.parametrize(
    ("status", "events", "needs_confirmation", "expected"),
    [
        (S.DELIVERED, (), False, None),
        (S.DELIVERED, (EventType.FETCHED,), True, ConflictCode.NOT_YET),
        (S.DELIVERED, (EventType.FETCHED, EventType.CONFIRMED), True, None),
        (S.SCHEDULED, (), False, ConflictCode.NOT_YET),
        (S.FAILED, (), False, ConflictCode.WRONG_STATE),
        (S.PURGED, (), False, ConflictCode.ALREADY_DONE),
    ],
)
def test_recipient_purge(
    status: S, events: tuple[EventType, ...], needs_confirmation: bool, expected: ConflictCode | None
) -> None:
    facts = _facts(status, *events)
    assert _code(lambda: check_recipient_purge(facts, needs_confirmation=needs_confirmation)) is expected


def test_a_fetch_counts_again_after_fifteen_seconds() -> None:
    facts = facts_of(
        S.DELIVERED, [_event(EventType.FETCHED, NOW - timedelta(seconds=20)), _event(EventType.FETCHED, NOW)]
    )
    assert facts.last_fetched_at == NOW
    assert not fetch_counts(facts, NOW + timedelta(seconds=14))
    assert fetch_counts(facts, NOW + timedelta(seconds=15))
    assert fetch_counts(facts_of(S.DELIVERED, []), NOW)


def test_a_download_ends_with_the_documents_expiry() -> None:
    document = uuid.uuid4()
    expired = facts_of(S.DELIVERED, [_event(EventType.ATTACHMENT_EXPIRED, document_id=str(document))])
    fresh = _facts(S.DELIVERED)
    later = NOW + timedelta(hours=1)
    assert _code(lambda: check_download(fresh, document, None, NOW)) is None
    assert _code(lambda: check_download(fresh, document, later, NOW)) is None
    assert _code(lambda: check_download(fresh, document, NOW, NOW)) is ConflictCode.WRONG_STATE
    assert _code(lambda: check_download(expired, document, None, NOW)) is ConflictCode.WRONG_STATE
    assert _code(lambda: check_download(expired, uuid.uuid4(), None, NOW)) is None
    assert (
        _code(lambda: check_download(fresh, document, None, NOW, attachment_ended=True))
        is ConflictCode.WRONG_STATE
    )
    assert _code(lambda: check_download(_facts(S.SCHEDULED), document, None, NOW)) is ConflictCode.NOT_YET

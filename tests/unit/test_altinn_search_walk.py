"""Altinn's search in pieces that need no store: which event types a letter must have had for a
status (read from the status vocabulary), and the merge of the sender's and the recipient's walks
(newest publish time first, a letter in both once with what each relation hides)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from postbud.dialects.altinn.search_http import _event_types_giving, _merged, _needed_events
from postbud.dialects.altinn.statuses import (
    SEARCH_HIDES_FROM_RECIPIENT,
    SEARCH_HIDES_FROM_SENDER,
    CorrespondenceStatus,
)
from postbud.domain.shipments import Shipment

S = CorrespondenceStatus
START = datetime(2026, 1, 1, tzinfo=UTC)


def test_each_status_is_searched_for_by_the_events_that_give_it() -> None:
    assert _event_types_giving(frozenset({S.Read})) == {"opened"}
    assert _event_types_giving(frozenset({S.Published})) == {"delivered"}
    assert _event_types_giving(frozenset({S.Confirmed})) == {"confirmed"}
    assert _event_types_giving(frozenset({S.PurgedByRecipient})) == {"purged"}
    assert _event_types_giving(frozenset({S.Initialized})) == {"created"}
    assert {"delivery_failed", "not_delivered", "rejected"} <= _event_types_giving(frozenset({S.Failed}))


def test_without_a_status_only_the_recipient_walk_needs_an_event() -> None:
    assert _needed_events(SEARCH_HIDES_FROM_SENDER, None) is None, "every letter was created"
    seen_by_recipient = _needed_events(SEARCH_HIDES_FROM_RECIPIENT, None)
    assert seen_by_recipient is not None
    assert {"delivered", "opened"} <= seen_by_recipient
    assert "created" not in seen_by_recipient
    assert _needed_events(SEARCH_HIDES_FROM_SENDER, S.Read) == frozenset({"opened"})


def _letter(seconds: int, ident: int) -> tuple[datetime, Shipment]:
    shipment = Shipment.__new__(Shipment)
    object.__setattr__(shipment, "id", uuid.UUID(int=ident))
    return START + timedelta(seconds=seconds), shipment


async def _walk(
    letters: list[tuple[datetime, Shipment]], hidden: frozenset[CorrespondenceStatus]
) -> AsyncIterator[tuple[datetime, Shipment, frozenset[CorrespondenceStatus]]]:
    for at, shipment in letters:
        yield at, shipment, hidden


def test_the_walks_merge_newest_first_and_a_letter_in_both_comes_once() -> None:
    both = _letter(50, 5)
    sent = [_letter(90, 9), both, _letter(50, 3), _letter(10, 1)]
    received = [_letter(70, 7), both, _letter(20, 2)]

    async def merged() -> list[tuple[int, int]]:
        walks = [_walk(sent, SEARCH_HIDES_FROM_SENDER), _walk(received, SEARCH_HIDES_FROM_RECIPIENT)]
        return [(s.id.int, len(hidden)) async for s, hidden in _merged(walks)]

    assert asyncio.run(merged()) == [(9, 1), (7, 1), (5, 2), (3, 1), (2, 1), (1, 1)]

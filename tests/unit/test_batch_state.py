"""Deriving a batch's state from its letters, and the steps its log records on the way."""

from __future__ import annotations

import pytest

from postbud.domain.batches import BatchState, derive_state, steps_to
from postbud.domain.status import ShipmentStatus as S

CLOSED, TRANSFERRED = BatchState.CLOSED, BatchState.TRANSFERRED


@pytest.mark.parametrize(
    ("current", "letters", "expected"),
    [
        (CLOSED, {S.SCHEDULED: 3}, CLOSED),
        (CLOSED, {S.SCHEDULED: 1, S.DELIVERED: 2}, CLOSED),
        (CLOSED, {S.ROUTED: 1, S.IN_PRINT: 1}, CLOSED),
        (CLOSED, {S.IN_PRINT: 1, S.DELIVERED: 2}, TRANSFERRED),
        (CLOSED, {S.PRINTED: 1, S.FAILED: 1}, TRANSFERRED),
        (TRANSFERRED, {S.POSTED: 1, S.DELIVERED: 1, S.OPENED: 1, S.PURGED: 1}, BatchState.COMPLETED),
        (TRANSFERRED, {S.POSTED: 1, S.CANCELLED: 1}, BatchState.COMPLETED),
        (TRANSFERRED, {S.POSTED: 1, S.FAILED: 1}, BatchState.FAILED),
        (CLOSED, {S.DELIVERED: 1, S.NOT_DELIVERED: 1}, BatchState.FAILED),
        (CLOSED, {S.CANCELLED: 2}, BatchState.CANCELLED),
        (CLOSED, {S.DRAFT: 1}, CLOSED),
        (CLOSED, {S.SCHEDULED: 0, S.POSTED: 1}, BatchState.COMPLETED),
        (CLOSED, {}, BatchState.COMPLETED),
        # Open and final states are not derived from the letters.
        (BatchState.OPENED, {S.DELIVERED: 1}, BatchState.OPENED),
        (BatchState.COMPLETED, {S.IN_PRINT: 1}, BatchState.COMPLETED),
        (BatchState.FAILED, {S.IN_PRINT: 1}, BatchState.FAILED),
        (BatchState.CANCELLED, {S.DELIVERED: 1}, BatchState.CANCELLED),
    ],
)
def test_derive_state(current: BatchState, letters: dict[S, int], expected: BatchState) -> None:
    assert derive_state(current, letters) is expected


def test_every_status_has_a_place_in_the_derivation() -> None:
    # A status the derivation does not know keeps a batch waiting; each known end moves it on.
    for status in S:
        state = derive_state(CLOSED, {status: 1})
        waiting = {S.DRAFT, S.ACCEPTED, S.SCHEDULED, S.ROUTED}
        assert (state is CLOSED) == (status in waiting), status


def test_a_batch_passes_transferred_on_its_way_to_an_end() -> None:
    assert steps_to(CLOSED, BatchState.COMPLETED) == [TRANSFERRED, BatchState.COMPLETED]
    assert steps_to(CLOSED, BatchState.FAILED) == [TRANSFERRED, BatchState.FAILED]
    assert steps_to(TRANSFERRED, BatchState.COMPLETED) == [BatchState.COMPLETED]
    assert steps_to(CLOSED, BatchState.CANCELLED) == [BatchState.CANCELLED]
    assert steps_to(BatchState.OPENED, CLOSED) == [CLOSED]
    assert steps_to(CLOSED, CLOSED) == []

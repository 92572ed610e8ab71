"""``made_at`` reads the real moment a time-ordered id (UUIDv7) was made: its first 48 bits, the
milliseconds since the epoch, as the Events API compares a delivery with its subscription's
validation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from postbud.domain.ids import made_at, new_id


def test_the_first_48_bits_are_the_milliseconds_since_the_epoch() -> None:
    moment = datetime(2026, 12, 5, 7, 40, 12, 345000, tzinfo=UTC)
    milliseconds = int(moment.timestamp() * 1000)
    made = uuid.UUID(bytes=milliseconds.to_bytes(6, "big") + bytes([0x70, 0, 0x80]) + bytes(7))
    assert made_at(made) == moment


def test_ids_made_one_after_another_are_made_in_that_order() -> None:
    first, second = new_id(), new_id()
    assert made_at(first) <= made_at(second)
    assert made_at(first).tzinfo is UTC

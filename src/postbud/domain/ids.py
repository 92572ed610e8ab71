"""Identifiers Postbud gives its own records: time-ordered UUIDs (version 7), so new rows land at
the end of their indexes and ids sort by creation."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import uuid_utils


def new_id() -> uuid.UUID:
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)


def made_at(made: uuid.UUID) -> datetime:
    """The real (wall-clock) moment, to the millisecond, an id of ``new_id`` was made."""
    milliseconds = int.from_bytes(made.bytes[:6], "big")
    return datetime.fromtimestamp(milliseconds / 1000, UTC)

"""Identifiers Postbud gives its own records: time-ordered UUIDs (version 7), so new rows land at
the end of their indexes and ids sort by creation."""

from __future__ import annotations

import uuid

import uuid_utils


def new_id() -> uuid.UUID:
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)

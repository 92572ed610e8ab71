"""Letters routed per hour and channel, counted as each letter is routed, for the console's chart.

A count is a row of ``routed_letters_per_hour`` that the write set adds to (storage/writeset.py
merges a batch's counts and adds them with one upsert per row). Each process counts in a shard of
its own, so the group-commit writers of several processes never queue for one hot row; the
chart adds the shards of an hour up, a few dozen rows for a day whatever the letters.

A first route is recorded once: it is planned with its new letter (or with a draft's close, which
a guarded update lets happen once), never replayed like a job's events, so counting it with its
row cannot count a letter twice.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any, Final

from postbud.domain.events import EventType, ShipmentEvent

SHARDS: Final = 16
NOT_DELIVERED: Final = ""
"""The channel of letters no channel could carry (the column is part of the key, so not NULL)."""

# A letter is routed once: print-if-unread's later "routed:print" is a second route, not a letter.
FIRST_ROUTE_KEYS: Final = ("routed", "not_delivered")
_ROUTE_TYPES: Final = frozenset({EventType.ROUTED, EventType.NOT_DELIVERED})


def is_first_route(event: ShipmentEvent) -> bool:
    return event.type in _ROUTE_TYPES and event.dedup_key in FIRST_ROUTE_KEYS


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def routed_count_row(event: ShipmentEvent) -> dict[str, Any]:
    return {
        "hour": hour_of(event.at),
        "channel": event.channel.value if event.channel else NOT_DELIVERED,
        "shard": os.getpid() % SHARDS,
        "letters": 1,
    }

"""Retry delays: exponential with equal jitter, so a retry schedule never collapses to zero."""

from __future__ import annotations

import random
from datetime import timedelta

BASE = timedelta(seconds=30)
CAP = timedelta(hours=6)


def retry_delay(attempt: int, *, base: timedelta = BASE, cap: timedelta = CAP) -> timedelta:
    """Delay before retry number ``attempt`` (1-based): half fixed, half random, doubling up to ``cap``."""
    full = min(cap, base * (1 << max(0, attempt - 1)))
    half = full / 2
    jitter: timedelta = half * random.random()
    return half + jitter


def minimum_total(attempts: int, *, base: timedelta = BASE, cap: timedelta = CAP) -> timedelta:
    """The shortest time ``attempts`` retries can span: what the schedule guarantees."""
    return sum((min(cap, base * (1 << (n - 1))) / 2 for n in range(1, attempts + 1)), timedelta())

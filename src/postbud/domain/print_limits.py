"""A sender's print quotas: letters per calendar month, and large documents per day.

Ekopost refuses a customer over its monthly credit limit (113) and one that sent more than 50
documents over 8 MB in the current day (143). Postbud keeps prices nowhere, so the monthly "credit"
is counted in letters: every letter the sender has sent this month (drafts and cancelled letters not
counted). Both are set per sender (``postbud senders limits``); no monthly limit unless set, the daily
one as Ekopost's unless changed. A campaign (batch) that would pass either is refused at its close,
before anything of it is released.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from postbud.domain.errors import NotPermitted, PermissionCode

LETTERS_PER_MONTH = "letters_per_month"
LARGE_DOCUMENTS_PER_DAY = "large_documents_per_day"
DEFAULT_LARGE_DOCUMENTS_PER_DAY = 50
DEFAULT_LARGE_DOCUMENT_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PrintLimits:
    letters_per_month: int | None = None
    """None: no monthly limit."""
    large_documents_per_day: int | None = DEFAULT_LARGE_DOCUMENTS_PER_DAY
    """None: no daily limit on large documents."""
    large_document_bytes: int = DEFAULT_LARGE_DOCUMENT_BYTES
    """A document larger than this counts as large."""


DEFAULT_PRINT_LIMITS = PrintLimits()


@dataclass(frozen=True, slots=True)
class SentSoFar:
    """What the sender has sent in the periods the limits count, with the batch being closed."""

    letters_this_month: int
    large_documents_today: int


def month_start(at: datetime) -> datetime:
    return at.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def day_start(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def check_print_limits(limits: PrintLimits, sent: SentSoFar) -> None:
    """NotPermitted LIMIT_REACHED naming the quota that ``sent`` goes past."""
    if limits.letters_per_month is not None and sent.letters_this_month > limits.letters_per_month:
        raise NotPermitted(
            f"the sender's monthly limit of {limits.letters_per_month} letters is used up "
            f"({sent.letters_this_month} letters this month with this batch)",
            PermissionCode.LIMIT_REACHED,
            quota=LETTERS_PER_MONTH,
        )
    daily = limits.large_documents_per_day
    if daily is not None and sent.large_documents_today > daily:
        raise NotPermitted(
            f"more than {daily} documents over {limits.large_document_bytes // (1024 * 1024)} MB sent "
            f"today ({sent.large_documents_today} with this batch)",
            PermissionCode.LIMIT_REACHED,
            quota=LARGE_DOCUMENTS_PER_DAY,
        )

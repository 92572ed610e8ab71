"""Use cases: a sender's print quotas (``domain/print_limits.py``), set by an operator and kept at
the close of each of its batches."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from postbud.domain.errors import FieldError, NotFound, RuleCode, ValidationFailed
from postbud.domain.print_limits import PrintLimits, SentSoFar, check_print_limits, day_start, month_start
from postbud.services.runtime import Runtime
from postbud.storage.unit_of_work import SqlUnitOfWork


async def print_limits_of(runtime: Runtime, sender_id: uuid.UUID) -> PrintLimits:
    async with runtime.reader() as uow:
        if await uow.senders.get(sender_id) is None:
            raise NotFound("sender", sender_id)
        return await uow.print_line.limits(sender_id)


async def set_print_limits(runtime: Runtime, sender_id: uuid.UUID, limits: PrintLimits) -> PrintLimits:
    """Replace the sender's quotas (None in a field: no limit of that kind)."""
    problems = [
        FieldError(name, "must be 0 or more", RuleCode.INVALID)
        for name, value in (
            ("letters_per_month", limits.letters_per_month),
            ("large_documents_per_day", limits.large_documents_per_day),
        )
        if value is not None and value < 0
    ]
    if limits.large_document_bytes < 1:
        problems.append(FieldError("large_document_bytes", "must be 1 or more", RuleCode.INVALID))
    if problems:
        raise ValidationFailed(problems)
    async with runtime.unit_of_work() as uow:
        if await uow.senders.get(sender_id) is None:
            raise NotFound("sender", sender_id)
        await uow.print_line.set_limits(sender_id, limits, now=runtime.clock.now())
    return limits


async def check_sender_limits(uow: SqlUnitOfWork, sender_id: uuid.UUID, *, now: datetime, zone: str) -> None:
    """In the transaction that closes a batch of the sender's (its letters counted already):
    NotPermitted LIMIT_REACHED when the month's letters or the day's large documents pass a quota.
    Months and days are the deployment's (``zone``)."""
    limits = await uow.print_line.limits(sender_id)
    if limits.letters_per_month is None and limits.large_documents_per_day is None:
        return
    local = now.astimezone(ZoneInfo(zone))
    letters = 0
    large = 0
    if limits.letters_per_month is not None:
        letters = await uow.print_line.letters_since(sender_id, month_start(local))
    if limits.large_documents_per_day is not None:
        large = await uow.print_line.large_documents_since(
            sender_id, day_start(local), larger_than=limits.large_document_bytes
        )
    check_print_limits(limits, SentSoFar(letters_this_month=letters, large_documents_today=large))

"""Use case: the webhook delivery log across all senders — each delivery with its attempts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Final

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
from postbud.services.page_cursor import decode_cursor, encode_cursor
from postbud.services.runtime import Runtime
from postbud.storage.repos.delivery_log import DeliveryFilter, LoggedDelivery
from postbud.webhooks.deliver import STATUSES

__all__ = ["PAGE_SIZE", "STATUSES", "DeliveryPage", "delivery_log", "webhook_targets"]

PAGE_SIZE: Final = 30


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    deliveries: list[LoggedDelivery]
    next_cursor: str | None


async def delivery_log(
    runtime: Runtime,
    *,
    status: str | None = None,
    sender_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> DeliveryPage:
    """Newest first; pass ``next_cursor`` back for older deliveries."""
    if status is not None and status not in STATUSES:
        raise ValidationFailed(FieldError("status", f"one of {', '.join(STATUSES)}", RuleCode.INVALID))
    query = DeliveryFilter(
        status=status,
        sender_id=sender_id,
        before=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    async with runtime.reader() as uow:
        found = await uow.delivery_log.deliveries(query)
    more = len(found) > limit
    found = found[:limit]
    return DeliveryPage(
        found, encode_cursor(found[-1].delivery.created_at, found[-1].delivery.id) if more else None
    )


async def webhook_targets(runtime: Runtime) -> list[str]:
    """Every URL a webhook posts to, for choosing a target to inject faults on."""
    async with runtime.reader() as uow:
        return await uow.delivery_log.target_urls()

"""Use case: the webhook delivery log across all senders — each delivery with its attempts."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
from postbud.services.runtime import Runtime
from postbud.storage.repos.delivery_log import DeliveryFilter, LoggedDelivery
from postbud.webhooks.deliver import STATUSES

__all__ = ["PAGE_SIZE", "STATUSES", "DeliveryPage", "delivery_log", "webhook_targets"]

PAGE_SIZE: Final = 30


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    deliveries: list[LoggedDelivery]
    next_cursor: str | None


def _cursor(delivery: LoggedDelivery) -> str:
    raw = f"{delivery.delivery.created_at.isoformat()}|{delivery.delivery.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _before(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, delivery_id = raw.partition("|")
        return datetime.fromisoformat(at), uuid.UUID(delivery_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed.of(
            "cursor", "is not a cursor this server handed out", RuleCode.WRONG_FORMAT
        ) from None


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
        before=_before(cursor) if cursor else None,
        limit=limit + 1,
    )
    async with runtime.reader() as uow:
        found = await uow.delivery_log.deliveries(query)
    more = len(found) > limit
    found = found[:limit]
    return DeliveryPage(found, _cursor(found[-1]) if more else None)


async def webhook_targets(runtime: Runtime) -> list[str]:
    """Every URL a webhook posts to, for choosing a target to inject faults on."""
    async with runtime.reader() as uow:
        return await uow.delivery_log.target_urls()

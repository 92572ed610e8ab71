"""Batches group shipments that are released together: a Digipost batch, an Ekopost campaign,
an Altinn multi-recipient request."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from postbud.domain.errors import Conflict


class BatchStatus(StrEnum):
    OPEN = "open"
    """Letters may be added; none is released."""
    COMPLETED = "completed"
    """Closed by the sender; its letters are released."""
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Batch:
    id: uuid.UUID
    sender_id: uuid.UUID
    dialect: str
    external_id: str
    status: BatchStatus
    created_at: datetime
    updated_at: datetime
    name: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def require_open(self) -> None:
        if self.status is not BatchStatus.OPEN:
            raise Conflict("batch", f"batch {self.external_id} is {self.status}, not open")

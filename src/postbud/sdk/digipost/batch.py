"""Batches (§12.1): messages held until the batch is completed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from .links import Link, Relation, find_link

__all__ = ["Batch", "BatchStatus"]


class BatchStatus(StrEnum):
    CREATED = "CREATED"
    NOT_COMMITTED = "NOT_COMMITTED"
    COMMITTED = "COMMITTED"
    DONE = "DONE"


@dataclass(frozen=True, slots=True)
class Batch:
    uuid: UUID
    status: BatchStatus | None = None
    count_digipost: int | None = None
    count_print: int | None = None
    links: tuple[Link, ...] = ()

    @property
    def complete_link(self) -> Link | None:
        return find_link(self.links, Relation.COMPLETE_BATCH)

    @property
    def cancel_link(self) -> Link | None:
        return find_link(self.links, Relation.SELF_DELETE)

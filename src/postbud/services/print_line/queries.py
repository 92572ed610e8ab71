"""What the print line has made: a batch's print batches, one print batch, the latest ones."""

from __future__ import annotations

import uuid

from postbud.domain.errors import NotFound
from postbud.domain.print_batches import PrintBatch
from postbud.services.runtime import Runtime

__all__ = ["PrintBatch", "print_batch", "print_batch_pdf", "print_batches_of", "recent_print_batches"]


async def print_batches_of(runtime: Runtime, batch_id: uuid.UUID) -> list[PrintBatch]:
    async with runtime.reader() as uow:
        return await uow.print_line.of_batch(batch_id)


async def recent_print_batches(runtime: Runtime, *, limit: int = 50) -> list[PrintBatch]:
    async with runtime.reader() as uow:
        return await uow.print_line.recent(limit=limit)


async def print_batch(runtime: Runtime, print_batch_id: uuid.UUID) -> PrintBatch:
    async with runtime.reader() as uow:
        found = await uow.print_line.get(print_batch_id)
    if found is None:
        raise NotFound("print batch", print_batch_id)
    return found


async def print_batch_pdf(runtime: Runtime, print_batch_id: uuid.UUID) -> bytes:
    """The print-ready PDF of the print batch."""
    return await runtime.blobs.get((await print_batch(runtime, print_batch_id)).sha256)

"""Releasing a closed batch: its print letters go to the press in print runs, the rest one by one.

A run is a bounded slice of the batch's letters (``RUN_SIZE``), in the order they were made, given
to one job (``print_line.run``) that makes its print batch file. The batch's letters are released a
chunk at a time (``CHUNK``, oldest first), each chunk in a transaction of its own that also records
where it ended (``Released``); a release stopped midway goes on after the last chunk that committed, so
no letter is queued twice and none is left behind. A letter with a publish time of its own still
ahead waits for it as before (its own ``shipment.publish`` job), and so does every letter that is not
for print.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from postbud.domain.batches import Batch
from postbud.domain.channels import Channel
from postbud.storage import job_kinds
from postbud.storage.repos.print_line import HeldLetter
from postbud.storage.unit_of_work import SqlUnitOfWork

RUN_SIZE = 500
"""Letters in one print run: bounds a run's memory (their PDFs are open while its file is made)."""
CHUNK = 5000
"""Held letters released in one transaction: bounds how long a release holds the database's write
lock (SQLite) and the batch's row lock. A multiple of ``RUN_SIZE``, so print runs come out whole."""


def run_key(batch_id: uuid.UUID, first: uuid.UUID) -> str:
    return f"print-run:{batch_id}:{first}"


@dataclass(frozen=True, slots=True)
class Released:
    """How far a batch's release has come: the letters released so far, the last one's cursor."""

    letters: int = 0
    after: tuple[datetime, uuid.UUID] | None = None
    finished: bool = False

    def to_json(self) -> dict[str, Any]:
        after = None if self.after is None else [self.after[0].isoformat(), str(self.after[1])]
        return {"letters": self.letters, "after": after, "finished": self.finished}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Released:
        after = data.get("after")
        cursor = None if after is None else (datetime.fromisoformat(after[0]), uuid.UUID(after[1]))
        return cls(int(data.get("letters", 0)), cursor, bool(data.get("finished", False)))


async def release_chunk(
    uow: SqlUnitOfWork,
    batch: Batch,
    so_far: Released,
    *,
    now: datetime,
    batch_print: bool,
    chunk: int = CHUNK,
) -> Released:
    """In ``uow``: queue the release of the next ``chunk`` held letters of ``batch`` after
    ``so_far``: print runs for its print letters (``batch_print``: the print house takes batches), a
    publication job for each other one. The last chunk also has the batch's state derived again."""
    page = await uow.print_line.held_letters(batch.id, after=so_far.after, limit=chunk)
    run: list[uuid.UUID] = []
    one_by_one: list[HeldLetter] = []
    for letter in page:
        if batch_print and letter.channel is Channel.PRINT and not _waits(letter, now):
            run.append(letter.id)
            if len(run) == RUN_SIZE:
                await _queue_run(uow, batch.id, run, now=now)
                run = []
        else:
            one_by_one.append(letter)
    if run:
        await _queue_run(uow, batch.id, run, now=now)
    await _queue_publications(uow, one_by_one, now=now)
    finished = len(page) < chunk
    if finished:
        # Letters that never wait (not deliverable at all) and empty batches move the state too.
        await uow.jobs.enqueue(job_kinds.BATCH_REFRESH, {"batch_id": str(batch.id)}, now=now)
    after = page[-1].cursor if page else so_far.after
    return Released(so_far.letters + len(page), after, finished)


def _waits(letter: HeldLetter, now: datetime) -> bool:
    return letter.publish_at is not None and letter.publish_at > now


async def _queue_run(
    uow: SqlUnitOfWork, batch_id: uuid.UUID, letters: Sequence[uuid.UUID], *, now: datetime
) -> None:
    payload = {"batch_id": str(batch_id), "letters": [str(i) for i in letters]}
    await uow.waiting_jobs.enqueue_once(
        job_kinds.PRINT_RUN, payload, key=run_key(batch_id, letters[0]), now=now
    )


async def _queue_publications(uow: SqlUnitOfWork, letters: Sequence[HeldLetter], *, now: datetime) -> None:
    """Each at its own publish time, if later; once (a second release finds the first's jobs)."""
    if not letters:
        return
    queued = await uow.shipment_jobs.by_keys(f"publish:{s.id}" for s in letters)
    for letter in letters:
        if f"publish:{letter.id}" in queued:
            continue
        run_at = letter.publish_at if _waits(letter, now) else now
        await uow.jobs.enqueue(
            job_kinds.PUBLISH,
            {"shipment_id": str(letter.id)},
            now=now,
            run_at=run_at,
            idempotency_key=f"publish:{letter.id}",
        )

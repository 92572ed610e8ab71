"""Group commit: many concurrent requests share one transaction and one fsync.

Each request hands in a WriteSet and waits. A single writer task takes whatever has queued up
(up to a batch size, or what arrives within a few milliseconds), inserts it all, commits once,
then wakes every waiter. If the batch violates a constraint, the writer retries each WriteSet in
its own savepoint so that only the offending request fails.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import structlog
from sqlalchemy.exc import IntegrityError

from postbud.storage.database import Database
from postbud.storage.writeset import WriteSet, apply

log = structlog.get_logger(__name__)


@dataclass(slots=True)
class _Pending:
    writeset: WriteSet
    done: asyncio.Future[None]


class GroupCommitWriter:
    def __init__(self, database: Database, *, max_batch: int = 128, max_wait_ms: float = 2.0) -> None:
        self._database = database
        self._max_batch = max_batch
        self._max_wait = max_wait_ms / 1000
        self._queue: asyncio.Queue[_Pending] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.committed = 0

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="group-commit-writer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def submit(self, writeset: WriteSet) -> None:
        """Return once ``writeset`` is committed (durably); raise if it could not be."""
        if self._task is None:
            await self.start()
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(writeset, done))
        await done

    async def _next_batch(self) -> list[_Pending]:
        batch = [await self._queue.get()]
        deadline = asyncio.get_running_loop().time() + self._max_wait
        while len(batch) < self._max_batch:
            try:
                batch.append(self._queue.get_nowait())
                continue
            except asyncio.QueueEmpty:
                pass
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(self._queue.get(), remaining))
            except TimeoutError:
                break
        return batch

    async def _run(self) -> None:
        while True:
            batch = await self._next_batch()
            try:
                await self._commit_together(batch)
            except IntegrityError:
                await self._commit_one_by_one(batch)
            except Exception as exc:  # the database is gone: fail every waiter, keep serving
                log.exception("group commit failed")
                for pending in batch:
                    if not pending.done.done():
                        pending.done.set_exception(exc)

    async def _commit_together(self, batch: list[_Pending]) -> None:
        async with self._database.transaction() as conn:
            await apply(conn, [p.writeset for p in batch])
        self.batches += 1
        self.committed += len(batch)
        for pending in batch:
            if not pending.done.done():
                pending.done.set_result(None)

    async def _commit_one_by_one(self, batch: list[_Pending]) -> None:
        failures: dict[int, Exception] = {}
        async with self._database.transaction() as conn:
            for index, pending in enumerate(batch):
                try:
                    async with conn.begin_nested():
                        await apply(conn, [pending.writeset])
                except IntegrityError as exc:
                    failures[index] = exc
        self.batches += 1
        self.committed += len(batch) - len(failures)
        for index, pending in enumerate(batch):
            if pending.done.done():
                continue
            if index in failures:
                pending.done.set_exception(failures[index])
            else:
                pending.done.set_result(None)

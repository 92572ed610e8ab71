"""Group commit: many concurrent requests share one transaction and one durability barrier.

Each request hands in a WriteSet and waits. A single writer task takes whatever has queued up
(up to a batch size, or what arrives within a few milliseconds), stores the blobs of the whole
batch with one ``put_many`` (one barrier), then inserts every row and commits once (one fsync),
then wakes every waiter. Batches are pipelined: while one commits, the next one's blobs are
stored; commits stay in order. On a SQLite file the transaction runs on a plain connection in a worker
thread: one thread hop per batch instead of several per statement. If the batch violates a
constraint, the writer retries each WriteSet in its own savepoint so that only the offending
request fails (with a `DuplicateKey` naming the constraint, for a unique one); a blob that
cannot be stored likewise fails only the requests that carry it.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import structlog
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from postbud.storage.blobs import BlobStore
from postbud.storage.database import Database
from postbud.storage.errors import as_duplicate_key
from postbud.storage.writeset import WriteSet, apply, apply_blocking

log = structlog.get_logger(__name__)


@dataclass(slots=True)
class _Pending:
    writeset: WriteSet
    done: asyncio.Future[None]


class GroupCommitWriter:
    def __init__(
        self,
        database: Database,
        *,
        blobs: BlobStore | None = None,
        max_batch: int = 128,
        max_wait_ms: float = 2.0,
    ) -> None:
        self._database = database
        self._blobs = blobs
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
        """Return once ``writeset`` and its blobs are durable; raise if they could not be
        (`DuplicateKey` when a row broke a unique constraint; nothing of the write set is kept)."""
        if writeset.blobs and self._blobs is None:
            raise RuntimeError("this writer has no blob store for the write set's blobs")
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
        # Two stages in a pipeline: the next batch's blobs are stored while this batch commits.
        committing: asyncio.Task[None] | None = None
        try:
            while True:
                batch = await self._next_batch()
                try:
                    batch = await self._store_blobs(batch)
                except Exception as exc:
                    _fail(batch, exc)
                    continue
                if committing is not None:
                    await committing
                if batch:
                    committing = asyncio.create_task(self._commit(batch), name="group-commit")
        finally:
            if committing is not None:
                committing.cancel()

    async def _commit(self, batch: list[_Pending]) -> None:
        try:
            await self._commit_together(batch)
        except IntegrityError:
            try:
                await self._commit_one_by_one(batch)
            except Exception as exc:
                _fail(batch, exc)
        except Exception as exc:  # the database is gone: fail every waiter, keep serving
            _fail(batch, exc)

    async def _store_blobs(self, batch: list[_Pending]) -> list[_Pending]:
        """Make every blob of the batch durable at once; returns the requests that may go on."""
        if self._blobs is None or not any(p.writeset.blobs for p in batch):
            return batch
        writesets = [p.writeset for p in batch]
        blobs = [blob for ws in writesets for blob in ws.blobs]
        # The hashes go along only if every request with blobs brought its own.
        known = all(ws.blob_refs is not None for ws in writesets if ws.blobs)
        refs = [ref for ws in writesets for ref in ws.blob_refs or ()] if known else None
        try:
            await self._blobs.put_many(blobs, refs=refs)
            return batch
        except Exception:
            log.warning("storing a batch of blobs failed; storing them request by request", exc_info=True)
        stored = []
        for pending in batch:
            try:
                if pending.writeset.blobs:
                    await self._blobs.put_many(pending.writeset.blobs, refs=pending.writeset.blob_refs)
                stored.append(pending)
            except Exception as exc:
                pending.done.set_exception(exc)
        return stored

    async def _commit_together(self, batch: list[_Pending]) -> None:
        writesets = [p.writeset for p in batch]
        if self._database.has_blocking_writes:
            await asyncio.to_thread(self._apply_in_thread, writesets)
        else:
            async with self._database.transaction() as conn:
                await apply(conn, writesets)
        self.batches += 1
        self.committed += len(batch)
        for pending in batch:
            if not pending.done.done():
                pending.done.set_result(None)

    def _apply_in_thread(self, writesets: list[WriteSet]) -> None:
        with self._database.blocking_transaction() as conn:
            apply_blocking(conn, writesets)

    async def _commit_one_by_one(self, batch: list[_Pending]) -> None:
        writesets = [p.writeset for p in batch]
        failures: dict[int, IntegrityError] = {}
        if self._database.has_blocking_writes:
            failures = await asyncio.to_thread(self._apply_each_in_thread, writesets)
        else:
            async with self._database.transaction() as conn:
                for index, writeset in enumerate(writesets):
                    try:
                        async with conn.begin_nested():
                            await apply(conn, [writeset])
                    except IntegrityError as exc:
                        failures[index] = exc
        self.batches += 1
        self.committed += len(batch) - len(failures)
        for index, pending in enumerate(batch):
            if pending.done.done():
                continue
            if index in failures:
                pending.done.set_exception(as_duplicate_key(failures[index]))
            else:
                pending.done.set_result(None)

    def _apply_each_in_thread(self, writesets: list[WriteSet]) -> dict[int, IntegrityError]:
        failures: dict[int, IntegrityError] = {}
        with self._database.blocking_transaction() as conn:
            for index, writeset in enumerate(writesets):
                failure = _apply_in_savepoint(conn, writeset)
                if failure is not None:
                    failures[index] = failure
        return failures


def _fail(batch: list[_Pending], exc: Exception) -> None:
    log.error("group commit failed", error=f"{type(exc).__name__}: {exc}", requests=len(batch))
    for pending in batch:
        if not pending.done.done():
            pending.done.set_exception(exc)


def _apply_in_savepoint(conn: Connection, writeset: WriteSet) -> IntegrityError | None:
    try:
        with conn.begin_nested():
            apply_blocking(conn, [writeset])
    except IntegrityError as exc:
        return exc
    return None

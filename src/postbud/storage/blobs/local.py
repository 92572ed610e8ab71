"""Content-addressed blobs in a local directory, on disk before `put` returns.

Each blob is written to a temp file in its target directory and renamed to its final name, so a
reader never sees a partial file. Two ways to make a batch durable:

* ``syncfs`` (the default on Linux ≥ 5.8): write and rename every file of the batch, then one
  ``syncfs(2)`` of the store's filesystem — one barrier per batch instead of an fsync per file
  and per directory, about a third of the CPU. A crash before the barrier can leave a renamed
  file whose content never reached the disk; no row refers to it (rows are committed after the
  barrier), and a later `put` of the same bytes does not trust such a file: an existing file is
  skipped only after its content was hashed, or was written or checked by this process before.
* ``fsync``: per blob, write → fsync → rename, then each directory fsynced once per batch (a
  directory this process has not yet seen flushed gets its parent fsynced too). For a data
  folder on a filesystem shared with heavy unrelated writers, whose dirty data ``syncfs`` would
  wait for.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import secrets
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from postbud.storage.blobs.base import (
    DEFAULT_MAX_BLOB_BYTES,
    BlobNotFound,
    BlobRef,
    blob_key,
    check_range,
    check_sizes,
    compute_ref,
)
from postbud.storage.blobs.syncfs import load_syncfs

_FILE_MODE = 0o640
_DIR_MODE = 0o750
_READ_CHUNK = 1024 * 1024
_KNOWN_GOOD_LIMIT = 4_096
"""Digests remembered as known good: a re-send of recent bytes skips re-hashing its file; an older
one is hashed once more. Fixed, so a long-running process holds at most ~0.5 MB here."""
_QUARANTINE = "quarantine"
"""Blobs on their way out (see `quarantine`), beside the store's ``sha256/`` tree."""

_T = TypeVar("_T")
LocalSync = Literal["auto", "syncfs", "fsync"]
"""``auto``: ``syncfs`` where the kernel offers it (Linux 5.8+), else ``fsync``."""


@dataclass(slots=True)
class _Pending:
    ref: BlobRef
    data: bytes
    final: Path
    mkdirs: list[Path] = field(default_factory=list)
    tmp: Path | None = None


class LocalBlobStore:
    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        max_blob_bytes: int = DEFAULT_MAX_BLOB_BYTES,
        io_threads: int = 32,  # a batch's files flush in parallel; ext4 merges their journal commits
        sync: LocalSync = "auto",
    ) -> None:
        self.root = Path(root).absolute()
        self._syncfs = load_syncfs() if sync != "fsync" else None
        if sync == "syncfs" and self._syncfs is None:
            raise ValueError("syncfs is not available here (Linux 5.8 or newer); use sync='fsync'")
        # Digests (32 bytes) of blobs this process recently wrote or hashed, least recent first.
        self._known_good: dict[bytes, None] = {}
        self.max_blob_bytes = max_blob_bytes
        self._io_threads = io_threads
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._root_ready = False
        # Directories (relative to root) whose entry in their parent is known to be on disk.
        # Bounded: sha256/ + 256 + 65,536 names.
        self._durable_dirs: set[str] = set()

    def __repr__(self) -> str:
        return f"LocalBlobStore({str(self.root)!r}, sync={self.sync!r})"

    @property
    def sync(self) -> str:
        return "syncfs" if self._syncfs is not None else "fsync"

    def path_for(self, sha256: str) -> Path:
        return self.root / blob_key(sha256)

    async def put(self, data: bytes) -> BlobRef:
        return (await self.put_many([data]))[0]

    async def put_many(
        self, items: Sequence[bytes], *, refs: Sequence[BlobRef] | None = None
    ) -> list[BlobRef]:
        """Group commit: every file is flushed before any is renamed, then each directory once."""
        check_sizes(items, self.max_blob_bytes)
        if not items:
            return []
        return await asyncio.to_thread(
            self._put_many_sync, list(items), list(refs) if refs is not None else None
        )

    async def get(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        return await asyncio.to_thread(_read_file, path, sha256)

    async def open_range(self, sha256: str, start: int, end: int) -> bytes:
        path = self.path_for(sha256)
        check_range(start, end)
        return await asyncio.to_thread(_read_range, path, sha256, start, end)

    async def exists(self, sha256: str) -> bool:
        return await asyncio.to_thread(self.path_for(sha256).is_file)

    async def delete(self, sha256: str) -> None:
        await asyncio.to_thread(_delete_file, self.path_for(sha256))

    def quarantined_path(self, sha256: str) -> Path:
        return self.root / _QUARANTINE / blob_key(sha256)

    async def quarantine(self, sha256: str) -> None:
        await asyncio.to_thread(_move_file, self.path_for(sha256), self.quarantined_path(sha256))

    async def restore(self, sha256: str) -> None:
        await asyncio.to_thread(_restore_file, self.quarantined_path(sha256), self.path_for(sha256))

    async def discard(self, sha256: str) -> None:
        await asyncio.to_thread(_delete_file, self.quarantined_path(sha256))

    async def verify(self, sha256: str) -> bool:
        """Re-hash the stored file; False means it is corrupt. Raises `BlobNotFound`."""
        path = self.path_for(sha256)
        return await asyncio.to_thread(_hash_file, path, sha256) == sha256

    async def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown)

    # Blocking part, run in a worker thread.

    def _put_many_sync(self, items: list[bytes], refs: list[BlobRef] | None) -> list[BlobRef]:
        if refs is None:
            refs = [compute_ref(data) for data in items]
        unique: dict[str, _Pending] = {}
        for ref, data in zip(refs, items, strict=True):
            if ref.sha256 not in unique:
                unique[ref.sha256] = _Pending(ref, data, self.path_for(ref.sha256))
        if self._syncfs is not None:
            self._commit_syncfs(list(unique.values()), self._syncfs)
        else:
            self._commit(list(unique.values()))
        return refs

    def _commit_syncfs(self, batch: list[_Pending], syncfs: Callable[[int], None]) -> None:
        self._ensure_root()
        written: list[str] = []
        try:
            for item in batch:
                if self._is_good(item):
                    continue
                item.tmp = _write_tmp_making_dirs(item)
                os.replace(item.tmp, item.final)
                item.tmp = None
                written.append(item.ref.sha256)
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                syncfs(fd)
            except OSError:
                # Their content may be in memory only: don't let a later put of the same bytes trust them.
                for item in batch:
                    if item.ref.sha256 in written:
                        item.final.unlink(missing_ok=True)
                raise
            finally:
                os.close(fd)
        finally:
            for item in batch:
                if item.tmp is not None:
                    item.tmp.unlink(missing_ok=True)
        for sha256 in written:
            self._remember(sha256)

    def _is_good(self, item: _Pending) -> bool:
        """Whether the final file already holds the blob (hashed unless this process knows it)."""
        try:
            if item.final.stat().st_size != item.ref.size:
                return False
        except FileNotFoundError:
            return False
        digest = bytes.fromhex(item.ref.sha256)
        with self._lock:
            if self._known_good.pop(digest, False) is None:
                self._known_good[digest] = None  # most recent again
                return True
        if _hash_file(item.final, item.ref.sha256) != item.ref.sha256:
            return False
        self._remember(item.ref.sha256)
        return True

    def _remember(self, sha256: str) -> None:
        digest = bytes.fromhex(sha256)
        with self._lock:
            self._known_good.pop(digest, None)
            self._known_good[digest] = None
            if len(self._known_good) > _KNOWN_GOOD_LIMIT:
                del self._known_good[next(iter(self._known_good))]

    def _commit(self, batch: list[_Pending]) -> None:
        self._ensure_root()
        dirs_to_sync: set[Path] = set()
        now_durable: set[str] = set()
        for item in batch:
            # The target directory is synced even when the blob already exists: another writer may
            # have renamed it into place without having synced the directory yet.
            dirs_to_sync.add(item.final.parent)
            parts = item.final.relative_to(self.root).parts[:-1]
            for depth in range(1, len(parts) + 1):
                rel = "/".join(parts[:depth])
                if rel not in self._durable_dirs:
                    item.mkdirs.append(self.root / rel)
                    dirs_to_sync.add((self.root / rel).parent)
                    now_durable.add(rel)
        try:
            self._run_all(_stage, batch)
            for item in batch:
                if item.tmp is not None:
                    os.replace(item.tmp, item.final)
                    item.tmp = None
            self._run_all(_fsync_dir, dirs_to_sync)
        finally:
            for item in batch:
                if item.tmp is not None:
                    item.tmp.unlink(missing_ok=True)
        self._durable_dirs.update(now_durable)

    def _ensure_root(self) -> None:
        with self._lock:
            if self._root_ready:
                return
            missing: list[Path] = []
            path = self.root
            while not path.exists():
                missing.append(path)
                path = path.parent
            for path in reversed(missing):
                _mkdir(path)
            for path in missing:
                _fsync_dir(path.parent)
            self._root_ready = True

    def _run_all(self, fn: Callable[[_T], object], args: Iterable[_T]) -> None:
        """Run `fn` over `args` in the I/O pool; wait for all of them, then raise the first error."""
        work = list(args)
        if len(work) <= 1:
            for arg in work:
                fn(arg)
            return
        pool = self._get_pool()
        futures: list[Future[object]] = [pool.submit(fn, arg) for arg in work]
        wait(futures)
        for future in futures:
            future.result()

    def _get_pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._io_threads, thread_name_prefix="blob-io")
            return self._pool


def _stage(item: _Pending) -> None:
    """Create missing directories and write + fsync the temp file, unless the blob is already there."""
    for path in item.mkdirs:
        _mkdir(path)
    try:
        if item.final.stat().st_size == item.ref.size:
            return
    except FileNotFoundError:
        pass
    item.tmp = _write_tmp(item, flush=True)


def _write_tmp_making_dirs(item: _Pending) -> Path:
    """`_write_tmp` without a flush, creating the blob's directory when it is not there yet (asked of
    the filesystem, not of a cache: a cache of 65,536 directories grew the process for hours)."""
    try:
        return _write_tmp(item, flush=False)
    except FileNotFoundError:
        os.makedirs(item.final.parent, _DIR_MODE, exist_ok=True)
        return _write_tmp(item, flush=False)


def _write_tmp(item: _Pending, *, flush: bool) -> Path:
    tmp = item.final.with_name(f".{item.ref.sha256}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, _FILE_MODE)
    try:
        view = memoryview(item.data)
        while view:
            view = view[os.write(fd, view) :]
        if flush:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    return tmp


def _mkdir(path: Path) -> None:
    with contextlib.suppress(FileExistsError):
        os.mkdir(path, _DIR_MODE)


def _move_file(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target`` (same filesystem), both directories synced; no source: nothing."""
    if not source.is_file():
        return
    target.parent.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except FileNotFoundError:
        return
    _fsync_dir(target.parent)
    _fsync_dir(source.parent)


def _restore_file(quarantined: Path, final: Path) -> None:
    if not quarantined.is_file():
        return
    if final.is_file():  # stored again while it was away: the same bytes, by its name
        _delete_file(quarantined)
        return
    _move_file(quarantined, final)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_file(path: Path, sha256: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BlobNotFound(sha256) from None


def _read_range(path: Path, sha256: str, start: int, end: int) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise BlobNotFound(sha256) from None
    try:
        chunks: list[bytes] = []
        offset = start
        while offset < end:
            chunk = os.pread(fd, end - offset, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _delete_file(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        return
    _fsync_dir(path.parent)


def _hash_file(path: Path, sha256: str) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_READ_CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        raise BlobNotFound(sha256) from None
    return digest.hexdigest()

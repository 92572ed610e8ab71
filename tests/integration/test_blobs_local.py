"""LocalBlobStore: the shared contract on a real directory, plus the durability protocol."""

from __future__ import annotations

import asyncio
import hashlib
import os
import pickle
import stat
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from postbud.storage.blobs import (
    BlobNotFound,
    BlobRef,
    BlobTooLarge,
    LocalBlobStore,
    blob_key,
    open_blob_store,
)
from tests.integration.blob_servers import LIMIT, BlobStoreContract


@pytest.fixture(params=["syncfs", "fsync"])
async def local_store(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[LocalBlobStore]:
    """A store of each durability mode; the root does not exist yet: the store must create it durably."""
    store = open_blob_store(f"file://{tmp_path}/data/blobs", max_blob_bytes=LIMIT, local_sync=request.param)
    assert isinstance(store, LocalBlobStore)
    assert store.sync == request.param
    yield store
    await store.close()


@pytest.fixture
async def fsync_store(tmp_path: Path) -> AsyncIterator[LocalBlobStore]:
    store = open_blob_store(f"file://{tmp_path}/data/blobs", max_blob_bytes=LIMIT, local_sync="fsync")
    assert isinstance(store, LocalBlobStore)
    yield store
    await store.close()


@pytest.fixture
async def syncfs_store(tmp_path: Path) -> AsyncIterator[LocalBlobStore]:
    store = open_blob_store(f"file://{tmp_path}/data/blobs", max_blob_bytes=LIMIT, local_sync="syncfs")
    assert isinstance(store, LocalBlobStore)
    yield store
    await store.close()


class TestLocalContract(BlobStoreContract):
    @pytest.fixture
    def store(self, local_store: LocalBlobStore) -> LocalBlobStore:
        return local_store


def _files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@dataclass(frozen=True)
class Event:
    op: str  # "fsync-file", "fsync-dir", "replace"
    path: Path


@pytest.fixture
def io_events(monkeypatch: pytest.MonkeyPatch) -> list[Event]:
    """Record fsync and os.replace calls (still performing them) from any thread, in order."""
    events: list[Event] = []
    lock = threading.Lock()
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        path = Path(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)
        with lock:
            events.append(Event("fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync-file", path))

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        real_replace(src, dst)
        with lock:
            events.append(Event("replace", Path(dst)))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


@pytest.mark.anyio
async def test_layout_and_permissions(local_store: LocalBlobStore) -> None:
    data = os.urandom(1_000)
    ref = await local_store.put(data)
    h = ref.sha256
    path = local_store.root / "sha256" / h[:2] / h[2:4] / h
    assert path == local_store.path_for(h) == local_store.root / blob_key(h)
    assert path.read_bytes() == data
    assert _files(local_store.root) == [path], "no temp files may be left behind"
    assert stat.S_IMODE(path.stat().st_mode) & 0o007 == 0, "documents are not world-readable"


@pytest.mark.anyio
async def test_put_is_durable_before_it_returns(fsync_store: LocalBlobStore, io_events: list[Event]) -> None:
    local_store = fsync_store
    ref = await local_store.put(os.urandom(1_000))
    final = local_store.path_for(ref.sha256)
    root = local_store.root
    ops = [(e.op, e.path) for e in io_events]

    [(_, tmp)] = [(op, p) for op, p in ops if op == "fsync-file"]
    assert tmp.parent == final.parent
    assert tmp.name.startswith(f".{ref.sha256}.")
    i_replace = ops.index(("replace", final))
    assert ops.index(("fsync-file", tmp)) < i_replace, "data is flushed before it gets its name"
    synced_after = {p for op, p in ops[i_replace:] if op == "fsync-dir"}
    # The new name, and every directory created on the way (root included) in its parent.
    assert synced_after >= {final.parent, final.parent.parent, root / "sha256", root}
    assert {p for op, p in ops if op == "fsync-dir"} >= {root.parent, root.parent.parent}

    # Directories already known to be durable are not flushed again; the target directory is.
    io_events.clear()
    ref2 = await local_store.put(os.urandom(1_000))
    dirs = [e.path for e in io_events if e.op == "fsync-dir"]
    assert local_store.path_for(ref2.sha256).parent in dirs
    assert root not in dirs
    assert root.parent not in dirs


@pytest.mark.anyio
async def test_put_many_has_one_durability_barrier(
    fsync_store: LocalBlobStore, io_events: list[Event]
) -> None:
    local_store = fsync_store
    items = [os.urandom(2_000) for _ in range(12)]
    refs = await local_store.put_many([*items, items[0]])
    ops = [e.op for e in io_events]
    assert ops.count("fsync-file") == 12, "a duplicate is written once"
    assert ops.count("replace") == 12
    last_file_sync = max(i for i, op in enumerate(ops) if op == "fsync-file")
    first_replace = ops.index("replace")
    last_replace = max(i for i, op in enumerate(ops) if op == "replace")
    assert last_file_sync < first_replace, "every file is flushed before any is renamed"
    dir_syncs = [e.path for e in io_events[last_replace:] if e.op == "fsync-dir"]
    assert len(dir_syncs) == len(set(dir_syncs)), "each directory is flushed once per batch"
    assert {local_store.path_for(r.sha256).parent for r in refs} <= set(dir_syncs)
    assert [await local_store.get(r.sha256) for r in refs] == [*items, items[0]]


@pytest.mark.anyio
async def test_existing_blob_is_not_rewritten(fsync_store: LocalBlobStore, io_events: list[Event]) -> None:
    local_store = fsync_store
    data = os.urandom(3_000)
    ref = await local_store.put(data)
    before = local_store.path_for(ref.sha256).stat()
    io_events.clear()
    assert await local_store.put(data) == ref
    after = local_store.path_for(ref.sha256).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [e.op for e in io_events] == ["fsync-dir"], "only the directory entry is re-flushed"


@pytest.mark.anyio
async def test_syncfs_batch_has_one_barrier_after_every_rename(
    syncfs_store: LocalBlobStore, io_events: list[Event], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_syncfs = syncfs_store._syncfs
    assert real_syncfs is not None

    def recording_syncfs(fd: int) -> None:
        real_syncfs(fd)
        io_events.append(Event("syncfs", Path(os.readlink(f"/proc/self/fd/{fd}"))))

    monkeypatch.setattr(syncfs_store, "_syncfs", recording_syncfs)
    items = [os.urandom(2_000) for _ in range(12)]
    refs = await syncfs_store.put_many([*items, items[0]])
    ops = [e.op for e in io_events]
    assert ops.count("replace") == 12, "a duplicate is written once"
    assert "fsync-file" not in ops
    assert "fsync-dir" not in ops[ops.index("replace") :], "only creating the root flushes directories"
    assert ops[-1] == "syncfs"
    assert ops.count("syncfs") == 1, "one barrier for the whole batch, after every rename"
    assert io_events[-1].path == syncfs_store.root
    assert [await syncfs_store.get(r.sha256) for r in refs] == [*items, items[0]]
    assert _files(syncfs_store.root) == sorted({syncfs_store.path_for(r.sha256) for r in refs})


@pytest.mark.anyio
async def test_syncfs_mode_does_not_trust_a_file_it_did_not_check(
    syncfs_store: LocalBlobStore, tmp_path: Path
) -> None:
    # A crash before the barrier can leave a renamed file of the right size with the wrong bytes.
    data = os.urandom(3_000)
    ref = await syncfs_store.put(data)
    path = syncfs_store.path_for(ref.sha256)
    path.write_bytes(bytes(3_000))
    restarted = open_blob_store(f"file://{tmp_path}/data/blobs", local_sync="syncfs")
    assert await restarted.put(data) == ref
    assert path.read_bytes() == data
    # A good file another process wrote is hashed once and then kept, not rewritten.
    before = path.stat()
    other = open_blob_store(f"file://{tmp_path}/data/blobs", local_sync="syncfs")
    assert await other.put(data) == ref
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    await restarted.close()
    await other.close()


@pytest.mark.anyio
async def test_a_failed_barrier_fails_the_put_and_leaves_no_file(
    syncfs_store: LocalBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_syncfs(fd: int) -> None:
        raise OSError(5, "syncfs failed: Input/output error")

    monkeypatch.setattr(syncfs_store, "_syncfs", failing_syncfs)
    with pytest.raises(OSError, match="Input/output error"):
        await syncfs_store.put_many([os.urandom(1_000) for _ in range(3)])
    assert _files(syncfs_store.root) == []


@pytest.mark.anyio
async def test_truncated_file_is_repaired(local_store: LocalBlobStore) -> None:
    data = os.urandom(3_000)
    ref = await local_store.put(data)
    path = local_store.path_for(ref.sha256)
    path.write_bytes(data[:100])
    assert not await local_store.verify(ref.sha256)
    assert await local_store.put(data) == ref
    assert path.read_bytes() == data
    assert await local_store.verify(ref.sha256)


@pytest.mark.anyio
async def test_verify_detects_same_size_corruption(local_store: LocalBlobStore) -> None:
    data = b"a" * 500
    ref = await local_store.put(data)
    local_store.path_for(ref.sha256).write_bytes(b"b" * 500)
    assert not await local_store.verify(ref.sha256)


@pytest.mark.anyio
async def test_failed_write_leaves_no_temp_files(
    local_store: LocalBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    items = [os.urandom(1_000) for _ in range(5)]
    with pytest.raises(OSError, match="No space left"):
        await local_store.put_many(items)
    assert _files(local_store.root) == []
    monkeypatch.undo()
    refs = await local_store.put_many(items)
    assert len(_files(local_store.root)) == 5
    assert all([await local_store.exists(r.sha256) for r in refs])


@pytest.mark.anyio
async def test_concurrent_puts_leave_one_file(local_store: LocalBlobStore) -> None:
    data = os.urandom(50_000)
    refs = await asyncio.gather(*(local_store.put(data) for _ in range(20)))
    assert len(set(refs)) == 1
    assert _files(local_store.root) == [local_store.path_for(refs[0].sha256)]


@pytest.mark.anyio
async def test_a_second_store_reads_what_the_first_wrote(tmp_path: Path) -> None:
    first = open_blob_store(str(tmp_path / "blobs"))
    ref = await first.put(b"letter")
    await first.close()
    second = open_blob_store(f"file://{tmp_path}/blobs")
    assert await second.get(ref.sha256) == b"letter"
    assert await second.open_range(ref.sha256, 1, 4) == b"ett"
    await second.close()


def test_factory_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for url, root in [
        (str(tmp_path / "a"), tmp_path / "a"),
        ("relative/dir", tmp_path / "relative" / "dir"),
        (f"file://{tmp_path}/b", tmp_path / "b"),
        (f"file://localhost{tmp_path}/c%20d", tmp_path / "c d"),
    ]:
        store = open_blob_store(url)
        assert isinstance(store, LocalBlobStore)
        assert store.root == root, url
        assert store.max_blob_bytes == 100 * 1024 * 1024
    assert not (tmp_path / "a").exists(), "opening a store does no I/O"
    for bad in ["file://elsewhere/x", "ftp://host/x", "memory://"]:
        with pytest.raises(ValueError, match=r"file:///absolute/path|unsupported blob store URL scheme"):
            open_blob_store(bad)


def test_refs_keys_and_errors() -> None:
    h = hashlib.sha256(b"doc").hexdigest()
    assert blob_key(h) == f"sha256/{h[:2]}/{h[2:4]}/{h}"
    with pytest.raises(ValueError, match="not a lower-case hex"):
        BlobRef(h.upper(), 1)
    with pytest.raises(ValueError, match="negative blob size"):
        BlobRef(h, -1)
    with pytest.raises(AttributeError):
        BlobRef(h, 1).size = 2  # type: ignore[misc]
    too_large = pickle.loads(pickle.dumps(BlobTooLarge(10, 5)))
    assert (too_large.size, too_large.limit) == (10, 5)
    assert str(too_large) == "blob of 10 bytes exceeds the limit of 5 bytes"
    not_found = pickle.loads(pickle.dumps(BlobNotFound(h)))
    assert not_found.sha256 == h
    assert str(not_found) == f"blob {h} not found"

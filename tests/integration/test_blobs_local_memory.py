"""A long-running local blob store holds a fixed amount of memory, however many blobs it has written
(issue 13 item 6: a soak's RSS grew ~0.35 KB per letter from the store's caches of known-good digests
and created directories). Measured with tracemalloc, not time: after the store has written more blobs
than it remembers, writing as many again must not grow its Python objects.
"""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from postbud.storage.blobs import LocalBlobStore, local, open_blob_store

BATCH = 2_000
BLOBS = 6_000
"""More than the store remembers as known good."""
MORE = 12_000
"""Written after the warm-up: a store that remembered each blob (or directory) would grow by MBs."""


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[LocalBlobStore]:
    opened = open_blob_store(f"file://{tmp_path}/blobs", local_sync="syncfs")
    assert isinstance(opened, LocalBlobStore)
    yield opened
    await opened.close()


async def _write(store: LocalBlobStore, count: int) -> None:
    for _ in range(count // BATCH):
        await store.put_many([os.urandom(64) for _ in range(BATCH)])


@pytest.mark.anyio
async def test_writing_more_blobs_does_not_grow_the_store(store: LocalBlobStore) -> None:
    tracemalloc.start()
    try:
        await _write(store, BLOBS)  # warmed up: whatever the store remembers is full
        before = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, "*/blobs/local.py")])
        await _write(store, MORE)
        after = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, "*/blobs/local.py")])
    finally:
        tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    # What it remembers is bounded; its dict's table may still be at its larger size of two (~0.3 MB).
    assert grown < 1024 * 1024, f"the store grew {grown:,} bytes over {MORE:,} more blobs"


@pytest.mark.anyio
async def test_a_recent_blob_is_not_hashed_again_and_an_old_one_is_checked(
    store: LocalBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = os.urandom(100)
    ref = await store.put(first)
    hashed: list[Path] = []
    real = local._hash_file

    def counting(path: Path, sha256: str) -> str:
        hashed.append(path)
        return real(path, sha256)

    monkeypatch.setattr(local, "_hash_file", counting)
    await store.put(first)
    assert hashed == [], "a blob this process just wrote is known good"
    await _write(store, BLOBS)  # the first one falls out of what the store remembers
    await store.put(first)
    assert hashed == [store.path_for(ref.sha256)], "an old blob is hashed before it is trusted"
    assert await store.get(ref.sha256) == first

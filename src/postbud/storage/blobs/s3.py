"""Content-addressed blobs in an S3-compatible bucket, through obstore."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import obstore
from obstore.exceptions import AlreadyExistsError, GenericError

from postbud.storage.blobs.base import (
    DEFAULT_MAX_BLOB_BYTES,
    BlobNotFound,
    BlobRef,
    blob_key,
    check_range,
    check_sizes,
    compute_refs,
)

if TYPE_CHECKING:
    from obstore.store import ObjectStore

log = logging.getLogger(__name__)


class S3BlobStore:
    """Blob store over any obstore store; built for `S3Store` by `open_blob_store`.

    S3 acknowledges a PUT only once the object is durable, and SigV4 signs the payload's SHA-256,
    so the server also rejects bytes corrupted in transit.
    """

    def __init__(
        self,
        store: ObjectStore,
        *,
        max_blob_bytes: int = DEFAULT_MAX_BLOB_BYTES,
        max_concurrency: int = 16,
    ) -> None:
        self.store = store
        self.max_blob_bytes = max_blob_bytes
        self.max_concurrency = max_concurrency
        self._warned_ranges = False

    def __repr__(self) -> str:
        return f"S3BlobStore({self.store!r})"

    async def put(self, data: bytes) -> BlobRef:
        check_sizes([data], self.max_blob_bytes)
        [ref] = await compute_refs([data])
        await self._put_one(ref, data)
        return ref

    async def put_many(
        self, items: Sequence[bytes], *, refs: Sequence[BlobRef] | None = None
    ) -> list[BlobRef]:
        check_sizes(items, self.max_blob_bytes)
        refs = list(refs) if refs is not None else await compute_refs(items)
        unique = {ref.sha256: (ref, data) for ref, data in zip(refs, items, strict=True)}
        semaphore = asyncio.Semaphore(self.max_concurrency)

        async def put_bounded(ref: BlobRef, data: bytes) -> None:
            async with semaphore:
                await self._put_one(ref, data)

        # Let every upload finish before reporting a failure, so none is left running unobserved.
        results = await asyncio.gather(
            *(put_bounded(ref, data) for ref, data in unique.values()), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return refs

    async def get(self, sha256: str) -> bytes:
        key = blob_key(sha256)
        try:
            result = await obstore.get_async(self.store, key)
            return bytes(await result.bytes_async())
        except FileNotFoundError as exc:
            raise _not_found(exc, sha256) from None

    async def open_range(self, sha256: str, start: int, end: int) -> bytes:
        key = blob_key(sha256)
        check_range(start, end)
        if start < end:
            try:
                return bytes(await obstore.get_range_async(self.store, key, start=start, end=end))
            except FileNotFoundError as exc:
                raise _not_found(exc, sha256) from None
            except GenericError:
                # 416 when `start` is at or past the end, or a server that answers a ranged GET
                # with 200 (rclone 1.75 `serve s3`), which obstore rejects. Decide with a HEAD.
                pass
        size = await self._size(sha256)
        if size is None:
            raise BlobNotFound(sha256)
        if start >= min(size, end):
            return b""
        if not self._warned_ranges:
            self._warned_ranges = True
            log.warning("ranged GET failed on %r; falling back to whole-object GETs", self.store)
        return (await self.get(sha256))[start:end]

    async def exists(self, sha256: str) -> bool:
        return await self._size(sha256) is not None

    async def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            await obstore.delete_async(self.store, blob_key(sha256))

    async def quarantine(self, sha256: str) -> None:
        # Copy then delete: S3 has no rename. A crash between leaves both, which restore/discard handle.
        try:
            data = await self.get(sha256)
        except BlobNotFound:
            return
        await obstore.put_async(self.store, _quarantined_key(sha256), data)
        await self.delete(sha256)

    async def restore(self, sha256: str) -> None:
        try:
            result = await obstore.get_async(self.store, _quarantined_key(sha256))
        except FileNotFoundError:
            return
        data = bytes(await result.bytes_async())
        await self._put_one(BlobRef(sha256, len(data)), data)
        await self.discard(sha256)

    async def discard(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            await obstore.delete_async(self.store, _quarantined_key(sha256))

    async def verify(self, sha256: str) -> bool:
        """Download and re-hash the object; False means it is corrupt. Raises `BlobNotFound`."""
        data = await self.get(sha256)
        return await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest()) == sha256

    async def close(self) -> None:
        """Nothing to release: obstore drops its connection pool with the store object."""

    async def _put_one(self, ref: BlobRef, data: bytes) -> None:
        # One round trip: a create-only PUT is refused (412) when the key exists, which for content
        # addressing means done. Servers that ignore If-None-Match (rclone 1.75 `serve s3`) rewrite
        # the same bytes instead, which is harmless.
        with contextlib.suppress(AlreadyExistsError):
            await obstore.put_async(self.store, blob_key(ref.sha256), data, mode="create")

    async def _size(self, sha256: str) -> int | None:
        try:
            meta = await obstore.head_async(self.store, blob_key(sha256))
        except FileNotFoundError:
            return None
        return meta["size"]


def _quarantined_key(sha256: str) -> str:
    return f"quarantine/{blob_key(sha256)}"


def _not_found(exc: FileNotFoundError, sha256: str) -> Exception:
    # obstore reports a missing bucket as FileNotFoundError too; that is a misconfiguration,
    # not a missing document.
    if "NoSuchBucket" in str(exc):
        return exc
    return BlobNotFound(sha256)

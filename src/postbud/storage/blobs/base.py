"""Blob store contract: references, errors, key layout and the `BlobStore` protocol."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

DEFAULT_MAX_BLOB_BYTES = 100 * 1024 * 1024

_DIGEST = re.compile(r"[0-9a-f]{64}")
# Hashing a large blob on the event loop would stall it; below this it is cheaper than a thread hop.
_HASH_INLINE_LIMIT = 256 * 1024


class BlobNotFound(LookupError):
    def __init__(self, sha256: str) -> None:
        super().__init__(sha256)
        self.sha256 = sha256

    def __str__(self) -> str:
        return f"blob {self.sha256} not found"


class BlobTooLarge(ValueError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(size, limit)
        self.size = size
        self.limit = limit

    def __str__(self) -> str:
        return f"blob of {self.size} bytes exceeds the limit of {self.limit} bytes"


@dataclass(frozen=True, slots=True)
class BlobRef:
    sha256: str
    size: int

    def __post_init__(self) -> None:
        check_digest(self.sha256)
        if self.size < 0:
            raise ValueError(f"negative blob size: {self.size}")


def check_digest(sha256: str) -> str:
    """Return `sha256` if it is 64 lower-case hex digits; anything else could escape the key layout."""
    if not isinstance(sha256, str) or not _DIGEST.fullmatch(sha256):
        raise ValueError(f"not a lower-case hex SHA-256 digest: {sha256!r}")
    return sha256


def blob_key(sha256: str) -> str:
    """Object key of a blob: ``sha256/<aa>/<bb>/<digest>``."""
    check_digest(sha256)
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def compute_ref(data: bytes) -> BlobRef:
    return BlobRef(hashlib.sha256(data).hexdigest(), len(data))


async def compute_refs(items: Sequence[bytes]) -> list[BlobRef]:
    if sum(len(data) for data in items) <= _HASH_INLINE_LIMIT:
        return [compute_ref(data) for data in items]
    return await asyncio.to_thread(lambda: [compute_ref(data) for data in items])


def check_sizes(items: Sequence[bytes], limit: int) -> None:
    for data in items:
        if len(data) > limit:
            raise BlobTooLarge(len(data), limit)


def check_range(start: int, end: int) -> None:
    """Ranges are half-open, ``[start, end)``, like a slice; `end` past the blob is clamped."""
    if start < 0 or end < start:
        raise ValueError(f"invalid byte range [{start}, {end})")


@runtime_checkable
class BlobStore(Protocol):
    """Content-addressed, immutable blob storage.

    `put` and `put_many` return only once the bytes are durable; storing the same bytes again
    returns the same `BlobRef` without rewriting them. `put_many` returns refs in input order and
    checks every size before writing anything. Missing blobs raise `BlobNotFound`.
    """

    async def put(self, data: bytes) -> BlobRef: ...

    async def put_many(
        self, items: Sequence[bytes], *, refs: Sequence[BlobRef] | None = None
    ) -> list[BlobRef]:
        """Store ``items`` durably; ``refs``: their hashes when the caller computed them already."""
        ...

    async def get(self, sha256: str) -> bytes: ...

    async def open_range(self, sha256: str, start: int, end: int) -> bytes: ...

    async def exists(self, sha256: str) -> bool: ...

    async def delete(self, sha256: str) -> None: ...

    async def quarantine(self, sha256: str) -> None:
        """Move the blob aside: readers no longer find it, `restore` can bring it back. Nothing
        happens for a missing blob. The first step of deleting a blob that may still be wanted."""
        ...

    async def restore(self, sha256: str) -> None:
        """Bring a quarantined blob back (unless it was stored again meanwhile) and forget the
        quarantined copy. Nothing happens without one."""
        ...

    async def discard(self, sha256: str) -> None:
        """Delete the quarantined copy for good. Nothing happens without one."""
        ...

    async def close(self) -> None: ...

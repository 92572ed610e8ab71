"""Content-addressed document storage: local files by default, S3-compatible at scale."""

from __future__ import annotations

from postbud.storage.blobs.base import (
    DEFAULT_MAX_BLOB_BYTES,
    BlobNotFound,
    BlobRef,
    BlobStore,
    BlobTooLarge,
    blob_key,
    compute_ref,
    compute_refs,
)
from postbud.storage.blobs.factory import open_blob_store
from postbud.storage.blobs.local import LocalBlobStore
from postbud.storage.blobs.s3 import S3BlobStore

__all__ = [
    "DEFAULT_MAX_BLOB_BYTES",
    "BlobNotFound",
    "BlobRef",
    "BlobStore",
    "BlobTooLarge",
    "LocalBlobStore",
    "S3BlobStore",
    "blob_key",
    "compute_ref",
    "compute_refs",
    "open_blob_store",
]

"""Build a blob store from a URL: ``file:///abs/path``, a plain path, or ``s3://bucket[/prefix]?…``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from obstore.store import S3Store

from postbud.storage.blobs.base import DEFAULT_MAX_BLOB_BYTES, BlobStore
from postbud.storage.blobs.local import LocalBlobStore, LocalSync
from postbud.storage.blobs.s3 import S3BlobStore

if TYPE_CHECKING:
    from obstore.store import ClientConfig, S3Config

_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_S3_PARAMS = frozenset({"endpoint", "region", "access_key", "secret_key"})


def open_blob_store(
    url: str, *, max_blob_bytes: int = DEFAULT_MAX_BLOB_BYTES, local_sync: LocalSync = "auto"
) -> BlobStore:
    """Open the store named by `url`; ``local_sync`` is how a local store makes a batch durable.

    S3 credentials come from the ``access_key``/``secret_key`` query parameters, else from the
    usual ``AWS_*`` environment variables (obstore reads them). Plain-http endpoints are allowed.
    """
    if "://" not in url:
        return LocalBlobStore(Path(url), max_blob_bytes=max_blob_bytes, sync=local_sync)
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or parts.query:
            raise ValueError(f"expected file:///absolute/path, got {url!r}")
        return LocalBlobStore(Path(unquote(parts.path)), max_blob_bytes=max_blob_bytes, sync=local_sync)
    if parts.scheme == "s3":
        return S3BlobStore(_s3_store(url), max_blob_bytes=max_blob_bytes)
    raise ValueError(f"unsupported blob store URL scheme {parts.scheme!r} in {_redact(url)!r}")


def _s3_store(url: str) -> S3Store:
    parts = urlsplit(url)
    bucket = parts.netloc
    if not _BUCKET.fullmatch(bucket):
        raise ValueError(f"missing or invalid bucket name in {_redact(url)!r}")
    params: dict[str, str] = {}
    for name, values in parse_qs(parts.query, keep_blank_values=True, strict_parsing=False).items():
        if name not in _S3_PARAMS:
            raise ValueError(f"unknown parameter {name!r} in {_redact(url)!r}; known: {sorted(_S3_PARAMS)}")
        if len(values) != 1 or not values[0]:
            raise ValueError(f"parameter {name!r} needs exactly one value in {_redact(url)!r}")
        params[name] = values[0]
    if ("access_key" in params) != ("secret_key" in params):
        raise ValueError("give both access_key and secret_key, or neither")

    config: S3Config = {}
    client_options: ClientConfig = {}
    if "endpoint" in params:
        config["endpoint"] = params["endpoint"]
        if params["endpoint"].startswith("http://"):
            client_options["allow_http"] = True
    if "region" in params:
        config["region"] = params["region"]
    if "access_key" in params:
        config["access_key_id"] = params["access_key"]
        config["secret_access_key"] = params["secret_key"]
    prefix = unquote(parts.path).strip("/") or None
    return S3Store(bucket, prefix=prefix, config=config, client_options=client_options)


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if "secret_key" not in parts.query:
        return url
    return parts._replace(query="…").geturl()

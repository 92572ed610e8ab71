"""S3BlobStore: the shared contract against real S3 servers (moto in-process, rclone `serve s3`)."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator

import obstore
import pytest
from obstore.exceptions import PermissionDeniedError
from obstore.store import S3Store

from postbud.storage.blobs import BlobStore, S3BlobStore, blob_key, open_blob_store
from tests.integration.blob_servers import (
    ACCESS_KEY,
    BUCKET,
    LIMIT,
    REGION,
    SECRET_KEY,
    BlobStoreContract,
    S3Server,
    moto_server,
    rclone_server,
)


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[S3Server]:
    with moto_server() as server:
        yield server


@pytest.fixture(scope="session")
def rclone_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with rclone_server(tmp_path_factory.mktemp("rclone")) as server:
        yield server


@pytest.fixture(params=["moto", "rclone"])
def s3_server(request: pytest.FixtureRequest) -> S3Server:
    server: S3Server = request.getfixturevalue(f"{request.param}_s3")
    return server


@pytest.fixture
async def s3_store(s3_server: S3Server) -> AsyncIterator[BlobStore]:
    # A fresh prefix per test keeps tests independent within the shared bucket.
    store = open_blob_store(s3_server.url(f"t/{uuid.uuid4().hex}"), max_blob_bytes=LIMIT)
    yield store
    await store.close()


class TestS3Contract(BlobStoreContract):
    @pytest.fixture
    def store(self, s3_store: BlobStore) -> BlobStore:
        return s3_store


def _raw_store(server: S3Server) -> S3Store:
    return S3Store(
        server.bucket,
        config={
            "endpoint": server.endpoint,
            "region": REGION,
            "access_key_id": ACCESS_KEY,
            "secret_access_key": SECRET_KEY,
        },
        client_options={"allow_http": True},
    )


@pytest.mark.anyio
async def test_objects_live_under_the_prefix_with_the_shared_key_layout(s3_server: S3Server) -> None:
    prefix = f"tenant-{uuid.uuid4().hex[:8]}/documents"
    store = open_blob_store(s3_server.url(prefix))
    ref = await store.put(b"%PDF-1.7 letter")
    meta = await obstore.head_async(_raw_store(s3_server), f"{prefix}/{blob_key(ref.sha256)}")
    assert meta["size"] == ref.size


@pytest.mark.anyio
async def test_an_existing_object_is_not_rewritten(moto_s3: S3Server) -> None:
    # moto honours If-None-Match like AWS S3; rclone 1.75 ignores it and rewrites (same bytes).
    prefix = f"create-only/{uuid.uuid4().hex}"
    store = open_blob_store(moto_s3.url(prefix))
    data = os.urandom(2_000)
    key = f"{prefix}/{blob_key(hashlib.sha256(data).hexdigest())}"
    await obstore.put_async(_raw_store(moto_s3), key, b"already here")
    await store.put(data)
    stored = await obstore.get_async(_raw_store(moto_s3), key)
    assert bytes(await stored.bytes_async()) == b"already here"


@pytest.mark.anyio
async def test_credentials_come_from_the_environment(
    rclone_s3: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # rclone checks signatures (moto does not), so this proves which keys were used.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    store = open_blob_store(rclone_s3.url(f"env/{uuid.uuid4().hex}", credentials=False))
    ref = await store.put(b"signed with keys from the environment")
    assert await store.exists(ref.sha256)

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    wrong = open_blob_store(rclone_s3.url(f"env/{uuid.uuid4().hex}", credentials=False))
    with pytest.raises(PermissionDeniedError):
        await wrong.put(b"refused")


@pytest.mark.anyio
async def test_a_missing_bucket_is_not_a_missing_blob(moto_s3: S3Server) -> None:
    url = moto_s3.url().replace(f"s3://{BUCKET}/", "s3://no-such-bucket/")
    store = open_blob_store(url)
    with pytest.raises(FileNotFoundError, match="NoSuchBucket"):
        await store.get(hashlib.sha256(b"x").hexdigest())


def test_factory_builds_an_s3_store() -> None:
    store = open_blob_store(
        "s3://docs/a/b/?endpoint=http://127.0.0.1:9000&region=eu-north-1&access_key=AK&secret_key=SK",
        max_blob_bytes=1234,
    )
    assert isinstance(store, S3BlobStore)
    assert store.max_blob_bytes == 1234
    assert isinstance(store.store, S3Store)
    assert store.store.prefix == "a/b"
    assert store.store.client_options == {"allow_http": "true"}
    assert store.store.config == {
        "bucket": "docs",
        "endpoint": "http://127.0.0.1:9000",
        "region": "eu-north-1",
        "access_key_id": "AK",
        "secret_access_key": "SK",
    }
    assert "SK" not in repr(store)

    https = open_blob_store("s3://docs?endpoint=https://s3.example.net")
    assert isinstance(https, S3BlobStore)
    assert isinstance(https.store, S3Store)
    assert "allow_http" not in (https.store.client_options or {})
    assert https.store.prefix is None


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://docs?endpont=http://x", "unknown parameter 'endpont'"),
        ("s3://docs?region=a&region=b", "exactly one value"),
        ("s3://docs?access_key=AK", "both access_key and secret_key"),
        ("s3:///prefix", "bucket name"),
        ("s3://Bad_Bucket", "bucket name"),
        ("s3://docs?secret_key=hunter2&access_key=AK&x=1", "unknown parameter 'x'"),
    ],
)
def test_factory_rejects_bad_s3_urls(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        open_blob_store(url)
    assert "hunter2" not in str(info.value)


@pytest.mark.anyio
async def test_range_reads_fall_back_on_servers_without_partial_responses(
    rclone_s3: S3Server, caplog: pytest.LogCaptureFixture
) -> None:
    # rclone 1.75 answers a ranged GET with 200 + Content-Range; obstore refuses that.
    store = open_blob_store(rclone_s3.url(f"range/{uuid.uuid4().hex}"))
    data = os.urandom(5_000)
    ref = await store.put(data)
    assert await store.open_range(ref.sha256, 10, 20) == data[10:20]
    assert await store.open_range(ref.sha256, 4_990, 6_000) == data[4_990:]
    assert "falling back to whole-object GETs" in caplog.text

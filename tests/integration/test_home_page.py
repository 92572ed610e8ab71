"""The home page at ``/`` through the whole app: what runs, the sandbox credentials only in a sandbox,
the sandbox time when it has been moved, and storage named without its secrets."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from postbud.web.home_facts import storage_of


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _client(tmp_path: Path, database_url: str, *, sandbox: bool) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0, sandbox=sandbox)
    with TestClient(create_app(settings, seed=True, dialect_ports={"ekopost": 18081})) as client:
        yield client


@pytest.fixture
def sandbox(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    yield from _client(tmp_path, database_url, sandbox=True)


def test_the_home_page_names_what_runs_and_each_api(sandbox: TestClient, database_url: str) -> None:
    page = sandbox.get("/", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = _text(page.text)
    assert "Database " + ("SQLite" if database_url.startswith("sqlite") else "PostgreSQL") in text
    for base in ("/digipost/", "/ekopost/", "/correspondence/api/v1/", "/api/v1"):
        assert f"http://127.0.0.1:8080{base}" in text
    assert "http://127.0.0.1:18081/ (own port, the API at its root)" in text
    stored = json.loads(
        (Path(sandbox.app.state.runtime.settings.resolved_data_dir) / "sandbox" / "sender.json").read_text()
    )  # type: ignore[attr-defined]
    assert f"Authorization: api-key {stored['api_key']}" in text
    assert "The clock runs in real time." in text
    assert "Webhook URL http://127.0.0.1:8080/sandbox/bins/&lt;name&gt;" in text


def test_a_moved_sandbox_clock_shows_on_the_home_page(sandbox: TestClient) -> None:
    runtime: Runtime = sandbox.app.state.runtime  # type: ignore[attr-defined]
    sandbox.portal.call(advance_clock, runtime, timedelta(days=7))  # type: ignore[union-attr]
    text = _text(sandbox.get("/", headers={"accept-language": "en"}).text)
    assert "The clock has been moved 7 days ahead. The real time is" in text
    assert "The clock runs in real time." not in text


def test_a_deployment_that_is_not_a_sandbox_shows_no_credentials(tmp_path: Path, database_url: str) -> None:
    # A folder that once was a sandbox: its sender.json is there, and must still not be shown.
    with TestClient(
        create_app(Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0), seed=True)
    ) as seeded:
        assert seeded.get("/").status_code == 200
    api_key = json.loads((tmp_path / "data" / "sandbox" / "sender.json").read_text())["api_key"]
    for client in _client(tmp_path, database_url, sandbox=False):
        page = client.get("/", headers={"accept-language": "en"})
        assert page.status_code == 200
        assert api_key not in page.text
        assert "Sandbox credentials" not in page.text
        assert "admin-token" not in page.text
        assert "Production (not a sandbox)" in _text(page.text)
        assert "/sandbox/bins/" not in page.text, "no request bins outside a sandbox"


def test_only_the_root_is_the_home_page(sandbox: TestClient) -> None:
    assert sandbox.post("/").status_code == 405
    missing = sandbox.get("/no-such-page")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/json"), "an API's 404 stays JSON"


@pytest.mark.parametrize(
    ("database_url", "blob_url", "shown"),
    [
        (None, None, ("SQLite", "{data}/postbud.db", "files", "{data}/blobs")),
        (
            "postgresql+asyncpg://postbud:s3cret@db.internal:5433/letters",
            "s3://post?endpoint=https://s3.example.net&region=eu-north-1&access_key=AK&secret_key=SK",
            ("PostgreSQL", "db.internal:5433/letters", "S3", "post at https://s3.example.net"),
        ),
    ],
)
def test_storage_is_named_without_its_secrets(
    tmp_path: Path, database_url: str | None, blob_url: str | None, shown: tuple[str, ...]
) -> None:
    settings = Settings(data_dir=tmp_path, database_url=database_url, blob_url=blob_url)
    storage = storage_of(settings)
    data = str(settings.resolved_data_dir)
    assert (storage.database, storage.database_at, storage.documents, storage.documents_at) == tuple(
        s.format(data=data) for s in shown
    )
    assert "s3cret" not in repr(storage)
    assert "secret_key" not in repr(storage)

"""Reset (issue 12, "what a sandbox user expects" 3): every letter and its history goes, with the
blobs it named; the population and the sandbox credentials stay (or are made again when asked);
through the platform API, the CLI and the use case, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from postbud.app import create_app, job_handlers
from postbud.cli import app as cli_app
from postbud.config import Settings
from postbud.jobs.worker import Worker
from postbud.services.runtime import Runtime
from postbud.storage.repos.sandbox_reset import (
    CREDENTIAL_TABLES,
    POPULATION_TABLES,
    SETTINGS_TABLES,
    tables_to_clear,
)
from tests.real_pdf import real_pdf_base64

ADMIN = {"Authorization": "Bearer reset-admin"}


class Sandbox:
    def __init__(self, client: TestClient, data_dir: Path) -> None:
        self.client = client
        self.data_dir = data_dir

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.client.app.state.runtime  # type: ignore[attr-defined]
        return runtime

    def run(self, function: Any, *args: Any) -> Any:
        return self.client.portal.call(function, *args)  # type: ignore[union-attr]

    @property
    def sender(self) -> dict[str, Any]:
        stored: dict[str, Any] = json.loads((self.data_dir / "sandbox" / "sender.json").read_text())
        return stored

    def key_headers(self, api_key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key or self.sender['api_key']}"}

    def run_jobs(self) -> None:
        async def drain() -> None:
            worker = Worker(self.runtime, job_handlers())
            while await worker.run_once():
                pass

        self.run(drain)

    def counts(self, tables: Any) -> dict[str, int]:
        async def count() -> dict[str, int]:
            async with self.runtime.reader() as uow:
                return await uow.sandbox_reset.counts(tables)

        result: dict[str, int] = self.run(count)
        return result

    def blob_exists(self, sha256: str) -> bool:
        exists: bool = self.run(self.runtime.blobs.exists, sha256)
        return exists


@pytest.fixture
def sandbox(tmp_path: Path, database_url: str) -> Iterator[Sandbox]:
    data_dir = tmp_path / "data"
    settings = Settings(data_dir=data_dir, database_url=database_url, admin_token="reset-admin", workers=0)
    with TestClient(create_app(settings, seed=True)) as client:
        yield Sandbox(client, data_dir)


def _someone_with_a_mailbox(sandbox: Sandbox) -> str:
    people = sandbox.client.get("/api/v1/recipients?limit=100", headers=ADMIN).json()["items"]
    return next(p["identifier"] for p in people if p["digital_mailbox"] and not p["reserved"])


def _send_letters(sandbox: Sandbox) -> list[str]:
    """A letter to an inbox, one by e-mail (captured), one to print; a webhook that cannot be reached."""
    key = sandbox.key_headers()
    hook = {"url": "http://127.0.0.1:9/unreachable", "event_types": ["*"]}
    assert sandbox.client.post("/api/v1/webhooks", json=hook, headers=key).status_code == 201
    letters = [
        {"recipient": _someone_with_a_mailbox(sandbox)},
        {"email_address": "ola@example.com", "channels": ["email"]},
        {
            "recipient_name": "Ola Nordmann",
            "channels": ["print"],
            "print_address": {"lines": ["Storgata 1"], "postal_code": "0150", "city": "Oslo"},
        },
    ]
    hashes = []
    for i, letter in enumerate(letters):
        body = {
            **letter,
            "documents": [{"title": f"Brev {i}", "content_base64": real_pdf_base64(f"Brev {i}")}],
        }
        response = sandbox.client.post("/api/v1/shipments", json=body, headers=key)
        assert response.status_code == 201, response.text
        hashes.append(response.json()["shipment"]["documents"][0]["sha256"])
    sandbox.run_jobs()
    return hashes


def _captured_blobs(sandbox: Sandbox) -> list[str]:
    listed = sandbox.client.get("/api/v1/shipments", headers=ADMIN).json()["items"]
    found = []
    for item in listed:
        shipment = sandbox.client.get(f"/api/v1/shipments/{item['id']}", headers=ADMIN).json()
        found += [
            e["data"][k] for e in shipment["events"] for k in ("eml_sha256", "sms_sha256") if k in e["data"]
        ]
    return found


def test_reset_deletes_every_letter_and_blob_and_keeps_the_credentials_and_population(
    sandbox: Sandbox,
) -> None:
    before = sandbox.sender
    people = sandbox.client.get("/api/v1/recipients?limit=1", headers=ADMIN).json()["total"]
    documents = _send_letters(sandbox)
    captured = _captured_blobs(sandbox)
    assert captured, "the e-mail letter should have been captured"
    history = tables_to_clear(population=False, credentials=False)
    assert sum(sandbox.counts(history).values()) > 0

    response = sandbox.client.post("/api/v1/sandbox/reset", headers=ADMIN)

    assert response.status_code == 200, response.text
    outcome = response.json()
    assert outcome["letters_deleted"] == 3
    assert outcome["credentials_kept"] is True
    assert outcome["blobs_deleted"] >= len(set(documents)) + len(captured)
    assert {k: v for k, v in sandbox.counts(history).items() if v} == {}
    assert not any(sandbox.blob_exists(sha) for sha in [*documents, *captured])
    assert sandbox.sender == before
    assert outcome["sandbox_sender"]["api_key"] == before["api_key"]
    # The same API key still sends, and the population is as it was.
    assert sandbox.client.get("/api/v1/shipments", headers=sandbox.key_headers()).json()["items"] == []
    assert sandbox.client.get("/api/v1/recipients?limit=1", headers=ADMIN).json()["total"] == people
    assert sandbox.client.get("/api/v1/webhooks", headers=ADMIN).json() != []
    _send_letters(sandbox)


def test_reset_with_reseed_brings_back_only_the_synthetic_population(sandbox: Sandbox) -> None:
    people = sandbox.client.get("/api/v1/recipients?limit=1", headers=ADMIN).json()["total"]
    added = {"id": "15108695088", "name": "Ola Egen", "mailbox": True}
    assert sandbox.client.put("/api/v1/recipients", json=added, headers=ADMIN).status_code in (200, 201)
    _send_letters(sandbox)

    response = sandbox.client.post("/api/v1/sandbox/reset", json={"population": "reseed"}, headers=ADMIN)

    assert response.status_code == 200, response.text
    assert sandbox.client.get("/api/v1/recipients?limit=1", headers=ADMIN).json()["total"] == people
    assert sandbox.client.get("/api/v1/recipients/15108695088", headers=ADMIN).status_code == 404
    everything = tables_to_clear(population=True, credentials=False)
    left = {k: v for k, v in sandbox.counts(everything).items() if v}
    assert set(left) <= POPULATION_TABLES
    _send_letters(sandbox)


def test_reset_with_new_credentials_retires_the_old_api_key(sandbox: Sandbox) -> None:
    old = sandbox.sender
    _send_letters(sandbox)

    response = sandbox.client.post("/api/v1/sandbox/reset", json={"keep_credentials": False}, headers=ADMIN)

    assert response.status_code == 200, response.text
    new = sandbox.sender
    assert new["api_key"] != old["api_key"]
    assert response.json()["sandbox_sender"]["api_key"] == new["api_key"]
    assert (
        sandbox.client.get("/api/v1/shipments", headers=sandbox.key_headers(old["api_key"])).status_code
        == 401
    )
    assert sandbox.client.get("/api/v1/shipments", headers=sandbox.key_headers()).status_code == 200
    assert sandbox.client.get("/api/v1/webhooks", headers=ADMIN).json() == []
    _send_letters(sandbox)


def test_the_tables_a_reset_keeps_are_named_and_exist() -> None:
    from postbud.storage import schema

    named = SETTINGS_TABLES | CREDENTIAL_TABLES | POPULATION_TABLES
    assert named <= set(schema.metadata.tables)
    assert "shipments" in {t.name for t in tables_to_clear(population=False, credentials=False)}


def test_postbud_reset_on_the_command_line_keeps_the_sandbox_sender(
    tmp_path: Path, database_url: str
) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(tmp_path / "data"), "--database-url", database_url, "--json"]
    seeded = runner.invoke(cli_app, ["seed", "--people", "3", "--organisations", "1", *args])
    assert seeded.exit_code == 0, seeded.output
    api_key = json.loads(seeded.output)["sandbox_sender"]["api_key"]

    result = runner.invoke(cli_app, ["reset", *args])

    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["letters_deleted"] == 0
    assert answer["sandbox_sender"]["api_key"] == api_key


def test_a_reset_outside_sandbox_mode_is_refused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", admin_token="reset-admin", workers=0, sandbox=False)
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/v1/sandbox/reset", headers=ADMIN)
    assert response.status_code == 403, response.text

"""Sandbox credentials fixed by configuration (issue 12, "what a sandbox user expects" 3): a given
sender key, API key and admin token hold in every fresh data folder and through a reset that makes
new credentials, so an integrator's CI configuration names them once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate, load_private_key
from postbud.domain.errors import ValidationFailed
from postbud.services.sandbox.seed import FixedCredentials

API_KEY = "pb_live_ci-sandbox-key-0123456789"
ADMIN_TOKEN = "ci-admin-token"


def _public(pem: bytes) -> bytes:
    return (
        load_private_key(pem)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


def _certificate_public(path: Path) -> bytes:
    return (
        x509.load_pem_x509_certificate(path.read_bytes())
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    key_pem, _ = generate_test_key_and_certificate("CI")
    path = tmp_path / "ci-sender-key.pem"
    path.write_bytes(key_pem)
    return path


def _start(
    data_dir: Path, database_url: str | None, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    monkeypatch.setenv("POSTBUD_SANDBOX_API_KEY", API_KEY)
    monkeypatch.setenv("POSTBUD_SANDBOX_SENDER_KEY_FILE", str(key_file))
    monkeypatch.setenv("POSTBUD_ADMIN_TOKEN", ADMIN_TOKEN)
    settings = Settings(
        data_dir=data_dir, workers=0, **({"database_url": database_url} if database_url else {})
    )
    return TestClient(create_app(settings, seed=True))


def test_fixed_credentials_hold_in_a_fresh_folder_and_through_a_reset(
    tmp_path: Path, database_url: str, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    with _start(data_dir, database_url, key_file, monkeypatch) as client:
        stored = json.loads((data_dir / "sandbox" / "sender.json").read_text())
        assert stored["api_key"] == API_KEY
        assert _certificate_public(Path(stored["certificate_file"])) == _public(key_file.read_bytes())
        assert (data_dir / "sandbox" / "sender-key.pem").read_bytes() == key_file.read_bytes()
        as_sender = {"Authorization": f"Bearer {API_KEY}"}
        assert client.get("/api/v1/shipments", headers=as_sender).status_code == 200
        admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        reset = client.post("/api/v1/sandbox/reset", json={"keep_credentials": False}, headers=admin)
        assert reset.status_code == 200, reset.text
        assert reset.json()["sandbox_sender"]["api_key"] == API_KEY
        assert client.get("/api/v1/shipments", headers=as_sender).status_code == 200
        again = json.loads((data_dir / "sandbox" / "sender.json").read_text())
        assert _certificate_public(Path(again["certificate_file"])) == _public(key_file.read_bytes())


def test_credentials_configured_after_the_first_start_take_over_at_the_next(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    with TestClient(create_app(Settings(data_dir=data_dir, workers=0), seed=True)):
        generated = json.loads((data_dir / "sandbox" / "sender.json").read_text())
    assert generated["api_key"] != API_KEY
    with _start(data_dir, None, key_file, monkeypatch) as client:
        stored = json.loads((data_dir / "sandbox" / "sender.json").read_text())
        assert stored["api_key"] == API_KEY
        assert stored["sender_id"] == generated["sender_id"]
        assert (
            client.get("/api/v1/shipments", headers={"Authorization": f"Bearer {API_KEY}"}).status_code == 200
        )


@pytest.mark.parametrize("api_key", ["secret", "pb_live_short"])
def test_an_api_key_not_in_the_api_key_format_is_refused_naming_the_setting(
    tmp_path: Path, api_key: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        FixedCredentials.of(Settings(data_dir=tmp_path, sandbox_api_key=api_key))
    assert refused.value.first.field == "POSTBUD_SANDBOX_API_KEY"


def test_a_key_file_that_is_not_a_key_is_refused_naming_the_setting(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-key.pem"
    bad.write_text("hello")
    with pytest.raises(ValidationFailed) as refused:
        FixedCredentials.of(Settings(data_dir=tmp_path, sandbox_sender_key_file=bad))
    assert refused.value.first.field == "POSTBUD_SANDBOX_SENDER_KEY_FILE"

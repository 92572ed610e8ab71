"""``/metrics`` tells the volume of letters per channel: who may read it is a setting (POSTBUD_METRICS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.metrics_exposure import exposure

ADMIN = "test-admin-token"
LOOPBACK, LOOPBACK_V6, MAPPED, REMOTE = "127.0.0.1", "::1", "::ffff:127.0.0.1", "10.20.30.40"


def status(tmp_path: Path, peer: str, headers: dict[str, str] | None = None, **settings: Any) -> int:
    app = create_app(Settings(data_dir=tmp_path / "data", admin_token=ADMIN, workers=0, **settings))
    with TestClient(app, client=(peer, 40000)) as client:
        response = client.get("/metrics", headers=headers or {})
        if response.status_code == 200:
            assert "postbud_letters_accepted_total" in response.text
            assert "postbud_workers " in response.text
        else:
            assert "postbud_" not in response.text
        if response.status_code == 401:
            assert response.headers["www-authenticate"] == "Bearer"
        return response.status_code


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_by_default_a_server_on_loopback_serves_only_callers_on_this_host(tmp_path: Path) -> None:
    assert status(tmp_path, LOOPBACK) == 200
    assert status(tmp_path, LOOPBACK_V6) == 200
    assert status(tmp_path, MAPPED) == 200
    assert status(tmp_path, REMOTE) == 403
    assert status(tmp_path, REMOTE, bearer(ADMIN)) == 403, "loopback mode takes no token"
    # A proxy on this host forwards the world's requests from a loopback address.
    assert status(tmp_path, LOOPBACK, {"X-Forwarded-For": "203.0.113.9"}) == 403
    assert status(tmp_path, LOOPBACK, {"Forwarded": "for=203.0.113.9"}) == 403
    assert status(tmp_path, LOOPBACK, {"X-Real-IP": "203.0.113.9"}) == 403


def test_by_default_a_server_on_every_address_asks_for_the_admin_token(tmp_path: Path) -> None:
    assert status(tmp_path, REMOTE, host="0.0.0.0") == 401
    assert status(tmp_path, LOOPBACK, host="0.0.0.0") == 401
    assert status(tmp_path, REMOTE, bearer("wrong"), host="0.0.0.0") == 401
    assert status(tmp_path, REMOTE, {"Authorization": f"Basic {ADMIN}"}, host="0.0.0.0") == 401
    assert status(tmp_path, REMOTE, bearer(ADMIN), host="0.0.0.0") == 200


def test_token_mode_takes_the_metrics_token_when_one_is_set(tmp_path: Path) -> None:
    chosen = {"metrics": "token", "metrics_token": "scrape-me"}
    assert status(tmp_path, LOOPBACK, **chosen) == 401
    assert status(tmp_path, REMOTE, bearer("scrape-me"), **chosen) == 200
    assert status(tmp_path, REMOTE, bearer(ADMIN), **chosen) == 401, "not the admin token then"


def test_public_serves_everyone_and_off_no_one(tmp_path: Path) -> None:
    assert status(tmp_path, REMOTE, metrics="public", host="0.0.0.0") == 200
    assert status(tmp_path, LOOPBACK, metrics="off") == 404
    assert status(tmp_path, LOOPBACK, bearer(ADMIN), metrics="off") == 404


def test_loopback_mode_may_be_chosen_on_any_address(tmp_path: Path) -> None:
    assert status(tmp_path, LOOPBACK, metrics="loopback", host="0.0.0.0") == 200
    assert status(tmp_path, REMOTE, metrics="loopback", host="0.0.0.0") == 403


@pytest.mark.parametrize(
    ("host", "mode"),
    [("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("localhost", "loopback"), ("::1", "loopback"),
     ("0.0.0.0", "token"), ("::", "token"), ("192.0.2.1", "token"), ("postbud.example", "token")],
)  # fmt: skip
def test_auto_follows_the_listening_address(host: str, mode: str) -> None:
    assert exposure(Settings(host=host)) == mode


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTBUD_METRICS", "public")
    monkeypatch.setenv("POSTBUD_METRICS_TOKEN", "from-env")
    settings = Settings()
    assert (exposure(settings), settings.metrics_token) == ("public", "from-env")
    monkeypatch.setenv("POSTBUD_METRICS", "everyone")
    with pytest.raises(ValueError, match="metrics"):
        Settings()

"""The Altinn dialect's answers at its edges: the framework's 415, the Accept rule, and CORS for the
browser inbox's origins (§1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from tests.integration.altinn_api_fixtures import API, Altinn, altinn, correspondence

__all__ = ["altinn"]

ORIGIN = "https://af.altinn.example"


def test_a_json_endpoint_refuses_another_media_type_with_415_problem_details(altinn: Altinn) -> None:
    headers = altinn.as_sender() | {"content-type": "text/xml"}
    response = altinn.http.post(f"{API}/correspondence", content=b"<x/>", headers=headers)
    assert response.status_code == 415
    body = response.json()
    assert (body["status"], body["title"]) == (415, "Unsupported Media Type")
    assert body["traceId"].startswith("00-")


def test_accept_headers_that_name_json_or_anything_are_fine(altinn: Altinn) -> None:
    (cid,) = altinn.initialized(correspondence())
    for accept in ("application/json", "*/*", "application/json; q=0.1, text/html", "application/*"):
        headers = altinn.as_sender() | {"accept": accept}
        assert altinn.http.get(f"{API}/correspondence/{cid}", headers=headers).status_code == 200, accept
    headers = altinn.as_sender() | {"accept": "text/html"}
    assert altinn.http.get(f"{API}/correspondence/{cid}", headers=headers).status_code == 406


@pytest.fixture
def browser_inbox(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("POSTBUD_ALTINN_CORS_ORIGINS", f'["{ORIGIN}"]')
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0))
    with TestClient(app) as http:
        yield http


def test_cors_lets_the_configured_inbox_origin_call(browser_inbox: TestClient) -> None:
    preflight = browser_inbox.options(
        f"{API}/correspondence/0192d3a6-4b36-7a1c-9f1e-2c3b4d5e6f70/confirm",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, traceparent",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    other = browser_inbox.options(
        f"{API}/correspondence",
        headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
    )
    assert "access-control-allow-origin" not in other.headers
    unauthenticated = browser_inbox.get(f"{API}/correspondence", headers={"origin": ORIGIN})
    assert unauthenticated.status_code == 401
    assert unauthenticated.headers["access-control-allow-origin"] == ORIGIN

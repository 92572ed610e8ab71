"""The platform API's webhooks: add (Ekopost's format defaults to the campaign's end), test, remove,
each attempt's request and response; ``/webhooks/deliveries`` is never read as a webhook id."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from tests.integration.webhook_receiver import HookReceiver, hook_receiver

ADMIN = {"Authorization": "Bearer test-admin-token"}
ORGNR = "974761076"


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, admin_token="test-admin-token", workers=1
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def receiver() -> Iterator[HookReceiver]:
    with hook_receiver() as receiver:
        yield receiver


def _sender(client: TestClient) -> str:
    response = client.post(
        "/api/v1/senders", json={"name": "Skatteetaten", "organisation_number": ORGNR}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    return str(response.json()["sender"]["id"])


def _add(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/webhooks", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_the_deliveries_path_answers_405_naming_its_methods(client: TestClient) -> None:
    for method in ("PATCH", "DELETE", "POST", "PUT"):
        response = client.request(method, "/api/v1/webhooks/deliveries", headers=ADMIN, json={})
        assert response.status_code == 405, (method, response.text)
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert allowed - {"OPTIONS", "HEAD"} == {"GET"}, response.headers["allow"]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/webhooks/{webhook_id}"]) == {"get", "patch", "delete"}
    assert set(paths["/api/v1/webhooks/deliveries"]) == {"get"}
    assert not [p for p in paths if ":uuid" in p]


def test_an_ekopost_webhook_defaults_to_the_campaigns_end(client: TestClient) -> None:
    sender_id = _sender(client)
    ekopost = _add(client, sender_id=sender_id, url="https://example.com/eko", format="ekopost")
    assert ekopost["webhook"]["event_types"] == ["batch.cancelled", "batch.completed", "batch.failed"]
    standard = _add(client, sender_id=sender_id, url="https://example.com/std")
    assert standard["webhook"]["event_types"] == ["*"]


def test_a_test_event_is_delivered_and_its_exchange_logged_then_the_webhook_removed(
    client: TestClient, receiver: HookReceiver
) -> None:
    sender_id = _sender(client)
    created = _add(client, sender_id=sender_id, url=receiver.url("api"))
    webhook_id, secret = created["webhook"]["id"], created["secret"]
    receiver.fail_first["api"] = 0
    queued = client.post(f"/api/v1/webhooks/{webhook_id}/test", headers=ADMIN)
    assert queued.status_code == 202, queued.text
    delivery_id = queued.json()["id"]
    assert queued.json()["is_test"] is True

    deadline = time.monotonic() + 30
    while (status := client.get(f"/api/v1/webhooks/deliveries/{delivery_id}", headers=ADMIN).json())[
        "status"
    ] != "delivered":
        assert time.monotonic() < deadline, status
        time.sleep(0.05)
    [attempt] = client.get(f"/api/v1/webhooks/deliveries/{delivery_id}/attempts", headers=ADMIN).json()
    [arrival] = receiver.at("api")
    assert attempt["request"]["method"] == "POST"
    assert attempt["request"]["url"] == receiver.url("api")
    assert attempt["request"]["body"] == arrival.body.decode()
    assert attempt["request"]["headers"]["webhook-id"] == delivery_id
    assert attempt["request"]["headers"]["webhook-signature"] == arrival.headers["webhook-signature"]
    assert attempt["response"] == {
        "status_code": 204,
        "headers": attempt["response"]["headers"],
        "body": "",
        "body_truncated": False,
    }
    assert attempt["response"]["headers"]["x-receiver"] == "ok"
    assert secret not in str(attempt)

    removed = client.delete(f"/api/v1/webhooks/{webhook_id}", headers=ADMIN)
    assert removed.status_code == 204
    assert client.get(f"/api/v1/webhooks/{webhook_id}", headers=ADMIN).status_code == 404
    assert client.get(f"/api/v1/webhooks/deliveries/{delivery_id}", headers=ADMIN).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{webhook_id}", headers=ADMIN).status_code == 404


def test_an_api_key_reaches_only_its_own_senders_webhooks(client: TestClient) -> None:
    def sender(orgnr: str) -> tuple[str, dict[str, str]]:
        response = client.post(
            "/api/v1/senders", json={"name": f"Avsender {orgnr}", "organisation_number": orgnr}, headers=ADMIN
        )
        assert response.status_code == 201, response.text
        return response.json()["sender"]["id"], {"Authorization": f"Bearer {response.json()['api_key']}"}

    mine, my_key = sender(ORGNR)
    theirs, _ = sender("889640782")
    own = client.post("/api/v1/webhooks", json={"url": "https://example.com/mine"}, headers=my_key)
    assert own.status_code == 201, own.text
    other = _add(client, sender_id=theirs, url="https://example.com/theirs")["webhook"]["id"]
    queued = client.post(f"/api/v1/webhooks/{other}/test", headers=ADMIN).json()["id"]
    for method, path in (
        ("GET", f"/api/v1/webhooks/{other}"),
        ("POST", f"/api/v1/webhooks/{other}/test"),
        ("DELETE", f"/api/v1/webhooks/{other}"),
        ("GET", f"/api/v1/webhooks/deliveries/{queued}"),
        ("GET", f"/api/v1/webhooks/deliveries/{queued}/attempts"),
    ):
        assert client.request(method, path, headers=my_key).status_code == 404, (method, path)
    assert client.get(f"/api/v1/webhooks/{other}", headers=ADMIN).status_code == 200
    assert (
        client.get(f"/api/v1/webhooks/{own.json()['webhook']['id']}", headers=my_key).json()["sender_id"]
        == mine
    )


def test_the_admin_reads_the_request_bins(client: TestClient) -> None:
    assert client.post("/sandbox/bins/api-bin", content=b'{"n": 1}').status_code == 200
    assert client.put("/sandbox/bins/api-bin", content=b"two").status_code == 200
    [found] = [b for b in client.get("/api/v1/webhooks/bins", headers=ADMIN).json() if b["name"] == "api-bin"]
    assert found["requests"] == 2
    assert found["url"].endswith("/sandbox/bins/api-bin")
    received = client.get("/api/v1/webhooks/bins/api-bin", headers=ADMIN).json()
    assert [(r["method"], r["body"], r["signature"]) for r in received] == [
        ("PUT", "two", "no_subscription"),
        ("POST", '{"n": 1}', "no_subscription"),
    ]
    assert client.get("/api/v1/webhooks/bins/bad name", headers=ADMIN).status_code == 400
    key = client.post(
        "/api/v1/senders", json={"name": "Skatteetaten", "organisation_number": ORGNR}, headers=ADMIN
    ).json()["api_key"]
    assert client.get("/api/v1/webhooks/bins", headers={"Authorization": f"Bearer {key}"}).status_code == 403

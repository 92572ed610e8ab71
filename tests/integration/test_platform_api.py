"""The platform JSON API under /api/v1, with probes and metrics, through the real app and lifespan."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate
from tests.real_pdf import real_pdf_base64

ADMIN = {"Authorization": "Bearer test-admin-token"}
OLA = "15108695088"
KARI = "31129956715"
ORGNR = "974761076"


def pdf(text: str = "Hei") -> str:
    return real_pdf_base64(text)


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, admin_token="test-admin-token", workers=1
    )
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def add_sender(client: TestClient, orgnr: str = ORGNR, **extra: Any) -> dict[str, Any]:
    response = client.post(
        "/api/v1/senders", json={"name": "Skatteetaten", "organisation_number": orgnr, **extra}, headers=ADMIN
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def add_ola(client: TestClient) -> dict[str, Any]:
    response = client.put(
        "/api/v1/recipients",
        json={
            "id": OLA,
            "name": "Ola Nordmann",
            "mailbox": True,
            "email": "ola@example.com",
            "mobile": "912 34 567",
            "address": "Storgata 1|0150|Oslo",
        },
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()["recipient"]
    return body


def assert_problem(response: Any, status: int, *fields: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:postbud:problem:")
    named = {e["field"] for e in body.get("errors", [])}
    for field in fields:
        assert field in named, body
    assert all(e["rule"] for e in body.get("errors", []))
    return body


# --- Authentication -------------------------------------------------------------------------


def test_every_operation_needs_a_bearer_token(client: TestClient) -> None:
    for method, path in [
        ("GET", "/api/v1/senders"),
        ("POST", "/api/v1/senders"),
        ("GET", "/api/v1/recipients"),
        ("PUT", "/api/v1/recipients"),
        ("GET", "/api/v1/shipments"),
        ("POST", "/api/v1/shipments"),
        ("GET", "/api/v1/jobs"),
        ("GET", "/api/v1/webhooks"),
    ]:
        missing = client.request(method, path, json={})
        assert_problem(missing, 401)
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = client.request(method, path, json={}, headers={"Authorization": "Bearer nope"})
        assert_problem(wrong, 401)


def test_an_api_key_acts_only_as_its_sender(client: TestClient) -> None:
    mine = add_sender(client)
    other = add_sender(client, orgnr="889640782")
    add_ola(client)
    key = {"Authorization": f"Bearer {mine['api_key']}"}

    assert_problem(client.get("/api/v1/senders", headers=key), 403)
    sent = client.post(
        "/api/v1/shipments", json={"recipient": OLA, "documents": [{"content_base64": pdf()}]}, headers=key
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["shipment"]["sender_id"] == mine["sender"]["id"]

    as_other = {
        "sender_id": other["sender"]["id"],
        "recipient": OLA,
        "documents": [{"content_base64": pdf()}],
    }
    assert_problem(client.post("/api/v1/shipments", json=as_other, headers=key), 403)
    by_admin = client.post("/api/v1/shipments", json=as_other, headers=ADMIN)
    assert by_admin.status_code == 201
    hidden = by_admin.json()["shipment"]["id"]
    assert_problem(client.get(f"/api/v1/shipments/{hidden}", headers=key), 404)
    listed = client.get("/api/v1/shipments", headers=key).json()["items"]
    assert {s["sender_id"] for s in listed} == {mine["sender"]["id"]}


# --- Senders ----------------------------------------------------------------------------------


def test_register_a_sender_with_a_generated_key(client: TestClient) -> None:
    created = add_sender(client, generate_key=True, digipost_id=4242)
    assert created["api_key"].startswith("pb_live_")
    assert len(created["api_key"]) == len("pb_live_") + 32
    sender = created["sender"]
    assert sender["digipost_id"] == 4242
    assert sender["organisation_number"] == ORGNR
    key = serialization.load_pem_private_key(created["private_key_pem"].encode(), None)
    certificate = x509.load_pem_x509_certificate(sender["certificate_pem"].encode())
    assert certificate.public_key().public_numbers() == key.public_key().public_numbers()  # type: ignore[union-attr]

    shown = client.get(f"/api/v1/senders/{sender['id']}", headers=ADMIN).json()
    assert shown["certificate_pem"] == sender["certificate_pem"]
    assert "private_key_pem" not in shown
    assert [s["id"] for s in client.get("/api/v1/senders", headers=ADMIN).json()] == [sender["id"]]

    another = client.post(f"/api/v1/senders/{sender['id']}/api-keys", headers=ADMIN)
    assert another.status_code == 201
    assert another.json()["api_key"] != created["api_key"]


def test_register_a_sender_with_its_certificate_and_the_next_free_digipost_id(client: TestClient) -> None:
    _, certificate = generate_test_key_and_certificate("NAV")
    first = add_sender(client, certificate_pem=certificate.decode())
    second = add_sender(client, orgnr="889640782")
    assert first["sender"]["certificate_pem"].strip() == certificate.decode().strip()
    assert first["private_key_pem"] is None
    assert second["sender"]["digipost_id"] == first["sender"]["digipost_id"] + 1


def test_sender_errors_name_the_field_and_rule(client: TestClient) -> None:
    bad = client.post(
        "/api/v1/senders",
        json={"name": " ", "organisation_number": "974761077", "certificate_pem": "not a certificate"},
        headers=ADMIN,
    )
    assert_problem(bad, 400, "name", "organisation_number", "certificate")
    add_sender(client)
    body = assert_problem(
        client.post("/api/v1/senders", json={"name": "Again", "organisation_number": ORGNR}, headers=ADMIN),
        409,
    )
    assert body["errors"][0]["field"] == "organisation_number"
    assert_problem(client.get(f"/api/v1/senders/{uuid.uuid4()}", headers=ADMIN), 404)
    assert_problem(
        client.post("/api/v1/senders", json={"name": "x"}, headers=ADMIN), 400, "organisation_number"
    )


# --- Recipients -------------------------------------------------------------------------------


def test_register_update_and_list_recipients(client: TestClient) -> None:
    ola = add_ola(client)
    assert ola["party_id"] == f"no-person:{OLA}"
    assert ola["mobile"] == "+4791234567"
    assert ola["mailbox_address"].startswith("ola.nordmann#")
    assert ola["postal_address"] == {
        "lines": ["Storgata 1"],
        "postal_code": "0150",
        "city": "Oslo",
        "country": "NO",
    }

    again = client.put(
        "/api/v1/recipients",
        json={
            "id": OLA,
            "name": "Ola Nordmann",
            "mailbox": True,
            "reserved": True,
            "postal_address": {"lines": ["c/o Kari", "Lillegata 2"], "postal_code": "5003", "city": "Bergen"},
        },
        headers=ADMIN,
    )
    assert again.status_code == 200
    updated = again.json()
    assert updated["created"] is False
    assert updated["recipient"]["id"] == ola["id"]
    assert updated["recipient"]["mailbox_address"] == ola["mailbox_address"]
    assert updated["recipient"]["reserved"] is True
    assert updated["recipient"]["email"] is None
    assert updated["recipient"]["postal_address"]["lines"] == ["c/o Kari", "Lillegata 2"]

    org = client.post(
        "/api/v1/recipients", json={"id": ORGNR, "name": "Skatt AS", "mailbox": True}, headers=ADMIN
    )
    assert org.status_code == 201
    assert org.json()["recipient"]["business_inbox"] is True
    assert org.json()["recipient"]["digital_mailbox"] is False

    page = client.get("/api/v1/recipients", params={"limit": 1}, headers=ADMIN).json()
    assert page["total"] == 2
    assert len(page["items"]) == 1
    found = client.get("/api/v1/recipients", params={"q": "nordmann"}, headers=ADMIN).json()["items"]
    assert [r["identifier"] for r in found] == [OLA]
    assert client.get(f"/api/v1/recipients/{OLA}", headers=ADMIN).json()["name"] == "Ola Nordmann"
    assert_problem(client.get(f"/api/v1/recipients/{KARI}", headers=ADMIN), 404)


def test_recipient_errors_name_every_broken_field(client: TestClient) -> None:
    bad = client.put(
        "/api/v1/recipients",
        json={"id": "15108695089", "name": "", "email": "no-at-sign", "mobile": "12", "address": "only|two"},
        headers=ADMIN,
    )
    assert_problem(bad, 400, "id", "name", "email", "mobile", "address")
    zip_code = client.put(
        "/api/v1/recipients",
        json={"id": OLA, "name": "Ola", "address": "Storgata 1|01500|Oslo"},
        headers=ADMIN,
    )
    assert_problem(zip_code, 400, "address.postal_code")
    reserved_org = client.put(
        "/api/v1/recipients", json={"id": ORGNR, "name": "Org", "reserved": True}, headers=ADMIN
    )
    assert_problem(reserved_org, 400, "reserved")


def test_import_recipients_from_csv(client: TestClient) -> None:
    good = (
        "id,name,mailbox,reserved,email,mobile,address_line,postal_code,city\n"
        f"{OLA},Ola Nordmann,true,false,ola@example.com,91234567,Storgata 1,0150,Oslo\n"
        f"{KARI},Kari Nordmann,no,ja,,,Lillegata 2|Postboks 7,5003,Bergen\n"
    )
    bad = good + "15108695089,Feil,maybe,,,,,,\n"
    refused = client.post(
        "/api/v1/recipients/import", content=bad, headers={**ADMIN, "Content-Type": "text/csv"}
    )
    assert refused.status_code == 200
    assert refused.json()["created"] == 0
    assert [r["line"] for r in refused.json()["rejected"]] == [4]
    assert {e["field"] for e in refused.json()["rejected"][0]["errors"]} == {"id", "mailbox"}

    imported = client.post(
        "/api/v1/recipients/import",
        params={"skip_invalid": "true"},
        content=bad,
        headers={**ADMIN, "Content-Type": "text/csv"},
    ).json()
    assert (imported["created"], imported["updated"], len(imported["rejected"])) == (2, 0, 1)
    kari = client.get(f"/api/v1/recipients/{KARI}", headers=ADMIN).json()
    assert kari["reserved"] is True
    assert kari["postal_address"]["lines"] == ["Lillegata 2", "Postboks 7"]

    header = client.post("/api/v1/recipients/import", content="who,what\n", headers=ADMIN)
    assert_problem(header, 400, "header")


# --- Shipments --------------------------------------------------------------------------------


def test_send_a_letter_as_json_and_follow_its_events(client: TestClient) -> None:
    sender = add_sender(client)["sender"]
    ola = add_ola(client)
    letter = {
        "sender_id": sender["id"],
        "recipient": OLA,
        "external_id": "letter-1",
        "documents": [
            {"title": "Vedtak", "content_base64": pdf("vedtak"), "id": "doc-1"},
            {"title": "Vedlegg", "content_base64": base64.b64encode(b"hello").decode(), "file_type": "txt"},
        ],
    }
    response = client.post("/api/v1/shipments", json=letter, headers=ADMIN)
    assert response.status_code == 201, response.text
    accepted = response.json()
    shipment = accepted["shipment"]
    assert response.headers["location"] == f"/api/v1/shipments/{shipment['id']}"
    assert accepted["route"]["channel"] == "digital_mailbox"
    assert accepted["held"] is False
    assert shipment["status"] == "delivered"
    assert shipment["recipient_id"] == ola["id"]
    assert shipment["subject"] == "Vedtak"
    assert [d["mime"] for d in shipment["documents"]] == ["application/pdf", "text/plain"]
    assert [e["type"] for e in shipment["events"]] == ["created", "routed", "delivered"]

    shown = client.get(f"/api/v1/shipments/{shipment['id']}", headers=ADMIN).json()
    assert [e["type"] for e in shown["events"]] == ["created", "routed", "delivered"]
    assert shown["documents"][0]["external_id"] == "doc-1"

    by_mailbox = {**letter, "external_id": "letter-2", "recipient": ola["mailbox_address"]}
    by_mailbox["documents"] = [{"content_base64": pdf("two")}]
    second = client.post("/api/v1/shipments", json=by_mailbox, headers=ADMIN).json()["shipment"]
    assert second["status"] == "delivered"
    assert second["recipient_id"] == ola["id"]

    repeat = client.post("/api/v1/shipments", json=letter, headers=ADMIN)
    assert_problem(repeat, 409, "external_id")

    listed = client.get("/api/v1/shipments", params={"recipient": OLA, "limit": 1}, headers=ADMIN).json()
    assert len(listed["items"]) == 1
    assert listed["next_cursor"]
    rest = client.get("/api/v1/shipments", params={"cursor": listed["next_cursor"]}, headers=ADMIN).json()
    assert [listed["items"][0]["id"], rest["items"][0]["id"]] == [second["id"], shipment["id"]]
    assert rest["next_cursor"] is None
    assert client.get("/api/v1/shipments", params={"status": "delivered"}, headers=ADMIN).json()["items"]
    assert_problem(client.get("/api/v1/shipments", params={"status": "lost"}, headers=ADMIN), 400, "status")
    assert_problem(client.get("/api/v1/shipments", params={"cursor": "zzz"}, headers=ADMIN), 400, "cursor")
    assert_problem(client.get(f"/api/v1/shipments/{uuid.uuid4()}", headers=ADMIN), 404)


def test_letters_that_wait_go_to_print_or_go_nowhere(client: TestClient) -> None:
    sender_id = add_sender(client)["sender"]["id"]
    add_ola(client)
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    held = client.post(
        "/api/v1/shipments",
        json={
            "sender_id": sender_id,
            "recipient": OLA,
            "publish_at": later,
            "documents": [{"content_base64": pdf()}],
        },
        headers=ADMIN,
    ).json()
    assert held["held"] is True
    assert held["shipment"]["status"] == "scheduled"

    printed = client.post(
        "/api/v1/shipments",
        json={
            "sender_id": sender_id,
            "recipient": KARI,
            "recipient_name": "Kari Nordmann",
            "print_address": {"lines": ["Lillegata 2"], "postal_code": "5003", "city": "Bergen"},
            "documents": [{"content_base64": pdf()}],
        },
        headers=ADMIN,
    ).json()
    assert printed["route"]["channel"] == "print"
    assert "recipient is not registered" in printed["route"]["considered"][0]

    nowhere = client.post(
        "/api/v1/shipments",
        json={"sender_id": sender_id, "recipient": KARI, "documents": [{"content_base64": pdf()}]},
        headers=ADMIN,
    ).json()
    assert nowhere["shipment"]["status"] == "not_delivered"
    rejected = client.post(
        "/api/v1/shipments",
        json={
            "sender_id": sender_id,
            "recipient": KARI,
            "reject_if_undeliverable": True,
            "documents": [{"content_base64": pdf()}],
        },
        headers=ADMIN,
    )
    assert_problem(rejected, 404)


def test_bad_letters_are_problems_naming_the_field(client: TestClient) -> None:
    sender_id = add_sender(client)["sender"]["id"]

    def send(**letter: Any) -> Any:
        body = {"sender_id": sender_id, "recipient": OLA, "documents": [{"content_base64": pdf()}], **letter}
        return client.post("/api/v1/shipments", json=body, headers=ADMIN)

    assert_problem(send(documents=[{"content_base64": "%%% not base64"}]), 400, "documents[0].content_base64")
    assert_problem(send(documents=[]), 400, "documents")
    assert_problem(send(documents=[{"title": "no content"}]), 400, "documents[0].content_base64")
    assert_problem(send(recipient="15108695089"), 400, "recipient")
    assert_problem(send(publish_at="tomorrow"), 400, "publish_at")
    assert_problem(send(channels=["pigeon"]), 400, "channels[0]")
    assert_problem(send(sender_id=None), 400, "sender_id")
    assert_problem(send(sender_id=str(uuid.uuid4())), 404)
    assert_problem(send(documents=[{"content_base64": ""}]), 400, "documents[0]")
    malformed = client.post(
        "/api/v1/shipments", content=b"{not json", headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert_problem(malformed, 400)


# --- Webhooks and jobs -------------------------------------------------------------------------


def test_webhooks_and_jobs(client: TestClient) -> None:
    sender_id = add_sender(client)["sender"]["id"]
    add_ola(client)
    created = client.post(
        "/api/v1/webhooks",
        json={"sender_id": sender_id, "url": "http://127.0.0.1:9/hook", "event_types": ["delivered"]},
        headers=ADMIN,
    )
    assert created.status_code == 201, created.text
    webhook = created.json()["webhook"]
    assert created.json()["secret"]
    assert webhook["event_types"] == ["delivered"]
    assert_problem(
        client.post("/api/v1/webhooks", json={"sender_id": sender_id, "url": "ftp://x"}, headers=ADMIN),
        400,
        "url",
    )
    client.post(
        "/api/v1/shipments",
        json={"sender_id": sender_id, "recipient": OLA, "documents": [{"content_base64": pdf()}]},
        headers=ADMIN,
    )
    deliveries = client.get(
        "/api/v1/webhooks/deliveries", params={"sender_id": sender_id}, headers=ADMIN
    ).json()
    assert len(deliveries) == 1
    assert deliveries[0]["webhook_id"] == webhook["id"]
    paused = client.patch(f"/api/v1/webhooks/{webhook['id']}", json={"active": False}, headers=ADMIN)
    assert paused.json()["active"] is False
    assert [w["id"] for w in client.get("/api/v1/webhooks", headers=ADMIN).json()] == [webhook["id"]]

    counts = client.get("/api/v1/jobs", headers=ADMIN).json()["counts"]
    assert sum(counts.values()) >= 1
    assert client.get("/api/v1/jobs/dead", headers=ADMIN).json() == []
    assert client.post("/api/v1/jobs/dead/requeue", headers=ADMIN).json() == {"requeued": 0}


# --- OpenAPI, probes, metrics, logs ------------------------------------------------------------


def test_openapi_describes_the_platform_operations(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operations = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    for expected in [
        ("POST", "/api/v1/senders"),
        ("GET", "/api/v1/senders"),
        ("PUT", "/api/v1/recipients"),
        ("POST", "/api/v1/recipients/import"),
        ("GET", "/api/v1/recipients"),
        ("POST", "/api/v1/shipments"),
        ("GET", "/api/v1/shipments"),
        ("GET", "/api/v1/shipments/{shipment_id}"),
        ("POST", "/api/v1/webhooks"),
        ("GET", "/api/v1/jobs"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
    ]:
        assert expected in operations
    send = spec["paths"]["/api/v1/shipments"]["post"]
    assert "application/problem+json" in send["responses"]["400"]["content"]
    assert any(s.get("scheme") == "bearer" for s in spec["components"]["securitySchemes"].values())
    assert client.get("/api/v1/docs").status_code == 200


def test_probes_metrics_and_request_ids(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"

    sender_id = add_sender(client)["sender"]["id"]
    add_ola(client)
    client.post(
        "/api/v1/shipments",
        json={"sender_id": sender_id, "recipient": OLA, "documents": [{"content_base64": pdf()}]},
        headers={**ADMIN, "X-Request-ID": "trace-me-123"},
    )
    client.get(f"/api/v1/shipments/{uuid.uuid4()}", headers=ADMIN)
    echoed = client.get("/healthz", headers={"X-Request-ID": "trace-me-123"})
    assert echoed.headers["x-request-id"] == "trace-me-123"
    assert (
        len(client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"}).headers["x-request-id"])
        == 32
    )

    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'postbud_http_requests_total{method="POST",route="/api/v1/shipments",status="201"}' in text
    assert 'route="/api/v1/shipments/{shipment_id}",status="404"' in text
    assert "postbud_http_request_duration_seconds_bucket" in text
    assert 'postbud_letters_accepted_total{channel="digital_mailbox",dialect="platform"}' in text
    assert 'postbud_jobs{status="ready"}' in text

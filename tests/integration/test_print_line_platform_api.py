"""``/api/v1/senders/{id}/print-limits``: a sender's print quotas read and set by the admin; bad values
are a problem naming the field, another sender's API key may not."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.integration.test_platform_api import ADMIN, add_sender, client

__all__ = ["client"]


def test_the_admin_reads_and_sets_a_senders_print_limits(client: TestClient) -> None:
    created = add_sender(client)
    sender = {"id": created["sender"]["id"], "api_key": created["api_key"]}
    path = f"/api/v1/senders/{sender['id']}/print-limits"
    got = client.get(path, headers=ADMIN)
    assert got.status_code == 200, got.text
    assert got.json() == {
        "sender_id": sender["id"],
        "letters_per_month": None,
        "large_documents_per_day": 50,
        "large_document_bytes": 8 * 1024 * 1024,
    }
    body = {"letters_per_month": 1000, "large_documents_per_day": None, "large_document_bytes": 1_000_000}
    put = client.put(path, json=body, headers=ADMIN)
    assert put.status_code == 200, put.text
    assert client.get(path, headers=ADMIN).json() == {"sender_id": sender["id"], **body}
    refused = client.put(path, json={"letters_per_month": -1}, headers=ADMIN)
    assert refused.status_code == 400
    assert "letters_per_month" in refused.text
    assert client.get(path, headers=ADMIN).json()["letters_per_month"] == 1000
    own_key = {"Authorization": f"Bearer {sender['api_key']}"}
    assert client.put(path, json=body, headers=own_key).status_code in (401, 403)
    missing = client.get("/api/v1/senders/00000000-0000-0000-0000-000000000000/print-limits", headers=ADMIN)
    assert missing.status_code == 404

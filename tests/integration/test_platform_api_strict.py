"""Issue 12, defects 8 and 12: the platform API refuses what it does not know, says where JSON
breaks, never answers a 5xx for a number too large, and answers OPTIONS and wrong methods with the
methods its OpenAPI description gives the path."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.test_platform_api import ADMIN, ORGNR, assert_problem, client

__all__ = ["client"]


def test_an_unknown_field_is_refused_by_name(client: TestClient) -> None:
    letter = {"recipent": "15108695088", "sender_id": None, "documents": [{"content_base64": "JVBERi0="}]}
    body = assert_problem(client.post("/api/v1/shipments", json=letter, headers=ADMIN), 400, "recipent")
    assert {"field": "recipent", "rule": "is not a field of this request"} in body["errors"]


def test_an_unknown_field_inside_a_list_is_named_with_its_place(client: TestClient) -> None:
    letter = {"recipient": "15108695088", "documents": [{"content_base64": "JVBERi0=", "titel": "Hei"}]}
    assert_problem(client.post("/api/v1/shipments", json=letter, headers=ADMIN), 400, "documents[0].titel")


def test_broken_json_is_answered_with_its_line_and_column(client: TestClient) -> None:
    broken = '{\n  "name": "Skatteetaten",\n  "organisation_number": "974761076"\n  "digipost_id": 5\n}'
    response = client.post(
        "/api/v1/senders", content=broken, headers={**ADMIN, "content-type": "application/json"}
    )
    body = assert_problem(response, 400, "body")
    (error,) = body["errors"]
    assert error["rule"] == "is not valid JSON: Expecting ',' delimiter at line 4, column 3"
    assert "[" not in body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/recipients?offset=100000000000000000000",
        "/api/v1/recipients?limit=100000000000000000000",
        "/api/v1/jobs/dead?limit=100000000000000000000",
        "/api/v1/jobs/dead?limit=-1",
        "/api/v1/shipments?limit=100000000000000000000",
    ],
)
def test_huge_and_negative_page_numbers_are_refused_not_a_server_error(client: TestClient, path: str) -> None:
    field = path.split("?")[1].split("=")[0]
    assert_problem(client.get(path, headers=ADMIN), 400, field)


def test_options_names_every_method_of_the_path(client: TestClient) -> None:
    response = client.options("/api/v1/recipients", headers=ADMIN)
    assert response.status_code == 204, response.text
    assert response.headers["allow"] == "GET, OPTIONS, POST, PUT"


def test_a_method_the_path_does_not_take_is_a_405_naming_every_method(client: TestClient) -> None:
    response = client.delete("/api/v1/recipients", headers=ADMIN)
    body = assert_problem(response, 405)
    assert response.headers["allow"] == "GET, OPTIONS, POST, PUT"
    assert "DELETE" in body["detail"]


def _documented_paths(client: TestClient) -> dict[str, set[str]]:
    schema: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return {
        path: {m.upper() for m in operations}
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/")
    }


def _concrete(path: str) -> str:
    """A path of the template, each parameter a UUID (any value matches a plain parameter)."""
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)


def test_every_documented_path_answers_options_with_its_documented_methods(client: TestClient) -> None:
    wrong = {}
    for path, methods in _documented_paths(client).items():
        response = client.options(_concrete(path), headers=ADMIN)
        expected = ", ".join(sorted(methods | {"OPTIONS"}))
        if response.status_code != 204 or response.headers.get("allow") != expected:
            wrong[path] = (response.status_code, response.headers.get("allow"), expected)
    assert wrong == {}


def test_the_schema_refuses_the_empty_strings_the_api_refuses(client: TestClient) -> None:
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for model, fields in {
        "SenderIn": ("name", "organisation_number"),
        "RecipientIn": ("id", "name"),
        "DocumentIn": ("content_base64",),
        "ResourceIn": ("id", "owner"),
    }.items():
        for field in fields:
            assert components[model]["properties"][field].get("minLength") == 1, (model, field)
    for model in ("SenderIn", "RecipientIn", "DocumentIn", "LetterIn", "ResourceIn", "FormattedWebhookIn"):
        assert components[model].get("additionalProperties") is False, model
    sender = {"name": "", "organisation_number": ORGNR}
    assert_problem(client.post("/api/v1/senders", json=sender, headers=ADMIN), 400, "name")


def test_patch_of_the_deliveries_list_is_a_405_not_a_webhook_id(client: TestClient) -> None:
    response = client.patch("/api/v1/webhooks/deliveries", json={"active": False}, headers=ADMIN)
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, OPTIONS"

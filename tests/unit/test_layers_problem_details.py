"""Problem details (RFC 9457) as every JSON API renders them: the platform API's shape and Altinn's."""

from __future__ import annotations

import json

import pytest
from fastapi import APIRouter, FastAPI, Response
from fastapi.testclient import TestClient

from postbud.domain.errors import FieldError, NotFound, RuleCode, ValidationFailed
from postbud.http.problem_details import PROBLEM_JSON, ProblemDetails, errors_as_list, errors_by_field
from postbud.http.problem_route import problem_route


def test_the_standard_members_and_no_empty_ones() -> None:
    problem = ProblemDetails(404, type="urn:x:not-found", detail="letter 7 not found", instance="/letters/7")
    assert problem.to_dict() == {
        "type": "urn:x:not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "letter 7 not found",
        "instance": "/letters/7",
    }
    assert ProblemDetails(409).to_dict() == {"type": "about:blank", "title": "Conflict", "status": 409}


def test_altinn_style_extension_members_sit_beside_the_standard_ones() -> None:
    errors = [
        FieldError("Recipients", "Recipients can contain at most 500 recipients", RuleCode.TOO_MANY),
        FieldError("Recipients", "The given Recipient national identity number is not valid"),
        FieldError("Content.MessageTitle", "The MessageTitle field is required.", RuleCode.REQUIRED),
    ]
    problem = ProblemDetails(
        400,
        type="https://tools.ietf.org/html/rfc9110#section-15.5.1",
        extensions={"code": "STD-00000", "errors": errors_by_field(errors)},
    )
    body = problem.to_dict()
    assert body["title"] == "Bad Request"
    assert body["code"] == "STD-00000"
    assert body["errors"] == {
        "Recipients": [
            "Recipients can contain at most 500 recipients",
            "The given Recipient national identity number is not valid",
        ],
        "Content.MessageTitle": ["The MessageTitle field is required."],
    }
    assert errors_as_list(errors[2:]) == [
        {"field": "Content.MessageTitle", "rule": "The MessageTitle field is required."}
    ]


def test_an_extension_may_not_replace_a_standard_member() -> None:
    with pytest.raises(ValueError, match="status"):
        ProblemDetails(400, extensions={"status": 200})


def test_the_response_has_the_problem_media_type_status_and_headers() -> None:
    response = ProblemDetails(401, detail="no token").response(headers={"WWW-Authenticate": "Bearer"})
    assert response.status_code == 401
    assert response.media_type == PROBLEM_JSON
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["www-authenticate"] == "Bearer"
    assert json.loads(bytes(response.body)) == {
        "type": "about:blank",
        "title": "Unauthorized",
        "status": 401,
        "detail": "no token",
    }


def _answer(exc: Exception) -> Response | None:
    if isinstance(exc, ValidationFailed):
        return ProblemDetails(400, extensions={"errors": errors_by_field(exc.errors)}).response()
    return None


def test_a_problem_route_answers_the_errors_its_api_knows_and_only_on_its_own_routes() -> None:
    api = APIRouter(route_class=problem_route(_answer))
    other = APIRouter()

    @api.get("/api/invalid")
    async def invalid() -> None:
        raise ValidationFailed.of("title", "required", RuleCode.REQUIRED)

    @api.get("/api/missing")
    async def missing() -> None:
        raise NotFound("letter", 1)

    @other.get("/other/invalid")
    async def other_invalid() -> None:
        raise ValidationFailed.of("title", "required", RuleCode.REQUIRED)

    app = FastAPI()
    app.include_router(api)
    app.include_router(other)
    client = TestClient(app, raise_server_exceptions=False)

    answered = client.get("/api/invalid")
    assert answered.status_code == 400
    assert answered.headers["content-type"] == PROBLEM_JSON
    assert answered.json()["errors"] == {"title": ["required"]}
    assert client.get("/api/missing").status_code == 500, "an error the API does not answer propagates"
    assert client.get("/other/invalid").status_code == 500, "another router keeps its own errors"

"""Problem details (RFC 9457) for the platform API: every error names the field and the rule.

Scoped to the platform API's routes by ``ProblemRoute``, so the dialects mounted on the same app
keep their own error formats. The rendering itself is shared with the JSON dialects
(``postbud.http.problem_details``); what is the platform API's own is its ``urn:postbud:problem:``
types and its list of ``{field, rule}`` errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from postbud.domain.errors import (
    Conflict,
    DomainError,
    FieldError,
    NotFound,
    NotPermitted,
    RuleCode,
    ValidationFailed,
)
from postbud.http.problem_details import PROBLEM_JSON, ProblemDetails, errors_as_list, reason_phrase
from postbud.http.problem_route import problem_route

_TYPE = "urn:postbud:problem:"


class Unauthenticated(Exception):
    """No bearer token, or one Postbud does not know."""


class FieldProblem(BaseModel):
    field: str
    rule: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldProblem] = []


def problem(
    status: int, kind: str, title: str, detail: str | None, errors: list[FieldError] | None = None
) -> JSONResponse:
    extensions = {"errors": errors_as_list(errors)} if errors else {}
    return ProblemDetails(status, title, _TYPE + kind, detail or None, extensions=extensions).response()


def domain_problem(exc: DomainError) -> JSONResponse:
    if isinstance(exc, ValidationFailed):
        return problem(400, "validation-failed", "The request is not valid", str(exc), exc.errors)
    if isinstance(exc, NotFound):
        return problem(404, "not-found", f"No such {exc.entity}", str(exc))
    if isinstance(exc, Conflict):
        clash = [FieldError(exc.field, exc.rule)]
        return problem(409, "conflict", "The request clashes with stored data", str(exc), clash)
    if isinstance(exc, NotPermitted):
        return problem(403, "not-permitted", "Not permitted", exc.rule)
    return problem(400, "rejected", "The request was rejected", str(exc))


def _field_of(location: tuple[int | str, ...]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


def _line_and_column(document: str, position: int) -> tuple[int, int]:
    line = document.count("\n", 0, position) + 1
    return line, position - (document.rfind("\n", 0, position) + 1) + 1


def _field_error(error: Mapping[str, Any], body: Any) -> FieldError:
    location = tuple(error.get("loc", ()))
    kind = error.get("type")
    if kind == "json_invalid":
        position = location[-1] if location and isinstance(location[-1], int) else 0
        reason = str(error.get("ctx", {}).get("error", "not JSON"))
        if isinstance(body, str):
            line, column = _line_and_column(body, position)
            return FieldError(
                "body", f"is not valid JSON: {reason} at line {line}, column {column}", RuleCode.WRONG_FORMAT
            )
        return FieldError(
            "body", f"is not valid JSON: {reason} at character {position}", RuleCode.WRONG_FORMAT
        )
    if kind == "extra_forbidden":
        return FieldError(_field_of(location), "is not a field of this request", RuleCode.INVALID)
    return FieldError(_field_of(location), str(error.get("msg", "invalid")), RuleCode.INVALID)


def validation_problem(exc: RequestValidationError) -> JSONResponse:
    errors = [_field_error(e, exc.body) for e in exc.errors()]
    return problem(400, "validation-failed", "The request is not valid", "; ".join(map(str, errors)), errors)


def unauthenticated(exc: Unauthenticated) -> JSONResponse:
    response = problem(401, "unauthenticated", "Authentication required", str(exc))
    response.headers["WWW-Authenticate"] = 'Bearer realm="postbud"'
    return response


def answer(exc: Exception) -> Response | None:
    """The platform API's answer to an error raised in one of its routes."""
    if isinstance(exc, DomainError):
        return domain_problem(exc)
    if isinstance(exc, RequestValidationError):
        return validation_problem(exc)
    if isinstance(exc, Unauthenticated):
        return unauthenticated(exc)
    if isinstance(exc, HTTPException):
        return problem(exc.status_code, "http", reason_phrase(exc.status_code), str(exc.detail))
    return None


ProblemRoute = problem_route(answer)
"""Turns the core's errors into problem details for the routes of one router."""


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": text, "content": {PROBLEM_JSON: {}}}
    for status, text in (
        (400, "Invalid input: `errors` names each field and the rule it broke"),
        (401, "Missing or unknown bearer token"),
        (403, "The token may not do this"),
        (404, "Not found"),
        (409, "Clashes with stored data"),
    )
}

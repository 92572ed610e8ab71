"""Problem details for HTTP APIs (RFC 9457), for every JSON API to render its errors with.

Each API keeps its own vocabulary: the platform API a ``urn:postbud:problem:`` type and a list of
field errors, Altinn the RFC 9110 section as type and ``code``/``errorCode``/``errors`` keyed by
field name. What they share is here: the standard members, extension members beside them, and the
``application/problem+json`` media type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Final

from starlette.responses import JSONResponse

from postbud.domain.errors import FieldError

PROBLEM_JSON: Final = "application/problem+json"
ABOUT_BLANK: Final = "about:blank"
"""RFC 9457 §4.2.1: the problem has no meaning beyond its HTTP status code."""

STANDARD_MEMBERS: Final = frozenset({"type", "title", "status", "detail", "instance"})


@dataclass(frozen=True, slots=True)
class ProblemDetails:
    """One problem: the five members of RFC 9457 §3.1 and any extension members (§3.2)."""

    status: int
    title: str | None = None
    """Left out: the status code's reason phrase ("Bad Request")."""
    type: str = ABOUT_BLANK
    detail: str | None = None
    instance: str | None = None
    extensions: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clash = STANDARD_MEMBERS & self.extensions.keys()
        if clash:
            raise ValueError(f"extension members may not replace standard ones: {sorted(clash)}")

    def to_dict(self) -> dict[str, Any]:
        """The JSON object; members without a value are left out, as the RFC allows."""
        body: dict[str, Any] = {"type": self.type, "title": self.title or reason_phrase(self.status)}
        body["status"] = self.status
        if self.detail is not None:
            body["detail"] = self.detail
        if self.instance is not None:
            body["instance"] = self.instance
        body.update(self.extensions)
        return body

    def response(self, headers: Mapping[str, str] | None = None) -> JSONResponse:
        return JSONResponse(self.to_dict(), status_code=self.status, headers=headers, media_type=PROBLEM_JSON)


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def errors_by_field(errors: Iterable[FieldError]) -> dict[str, list[str]]:
    """Field errors as ``{"field": ["rule", …]}``, the classic ASP.NET ``errors`` member."""
    grouped: dict[str, list[str]] = {}
    for error in errors:
        grouped.setdefault(error.field, []).append(error.rule)
    return grouped


def errors_as_list(errors: Iterable[FieldError]) -> list[dict[str, str]]:
    """Field errors as ``[{"field": …, "rule": …}]``, in the order they were found."""
    return [{"field": error.field, "rule": error.rule} for error in errors]

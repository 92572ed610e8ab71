"""Everything the Altinn SDK raises.

Catch :class:`AltinnClientError` for any failure. :class:`AltinnApiError` is a non-2xx answer; when
the server sent ProblemDetails it carries Altinn's ``code`` (``CORR-01006``), the number
(``error_code`` = 1006), the ``detail`` and, for model validation, the messages by field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "AltinnApiError",
    "AltinnClientError",
    "AltinnConnectionError",
    "TokenError",
    "UnexpectedResponseError",
]


class AltinnClientError(Exception):
    """Base class of every SDK error."""


class AltinnConnectionError(AltinnClientError):
    """The server could not be reached, or the connection broke."""


class TokenError(AltinnClientError):
    """The token provider could not give a token."""


class UnexpectedResponseError(AltinnClientError):
    """A 2xx answer the SDK cannot read as the endpoint's model."""


class AltinnApiError(AltinnClientError):
    """The server answered with a non-2xx status."""

    def __init__(
        self,
        status: int,
        *,
        code: str | None = None,
        error_code: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        trace_id: str | None = None,
        errors: Mapping[str, Sequence[str]] | None = None,
        www_authenticate: str | None = None,
        body: bytes = b"",
    ) -> None:
        self.status = status
        self.code = code
        self.error_code = error_code
        self.title = title
        self.detail = detail
        self.trace_id = trace_id
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        self.www_authenticate = www_authenticate
        self.body = body
        words = detail or title or _first_error(self.errors) or body[:200].decode("utf-8", "replace") or ""
        super().__init__(f"{status} {code or ''} {words}".replace("  ", " ").strip())

    @classmethod
    def from_response(cls, status: int, headers: Mapping[str, str], body: bytes) -> AltinnApiError:
        """Read ProblemDetails when there are any (``application/problem+json`` or JSON with ``status``)."""
        www_authenticate = headers.get("www-authenticate")
        problem: Any = None
        try:
            problem = json.loads(body) if body else None
        except ValueError:
            problem = None
        if not isinstance(problem, dict):
            # A bare JSON string (e.g. "Invalid notification template") or plain text.
            detail = problem if isinstance(problem, str) else body.decode("utf-8", "replace") or None
            return cls(status, detail=detail, www_authenticate=www_authenticate, body=body)
        raw_errors = problem.get("errors")
        errors = (
            {
                str(k): [m for m in v if isinstance(m, str)]
                for k, v in raw_errors.items()
                if isinstance(v, list)
            }
            if isinstance(raw_errors, dict)
            else None
        )
        error_code = problem.get("errorCode")
        return cls(
            status,
            code=_text(problem.get("code")),
            error_code=error_code
            if isinstance(error_code, int) and not isinstance(error_code, bool)
            else None,
            title=_text(problem.get("title")),
            detail=_text(problem.get("detail")),
            trace_id=_text(problem.get("traceId")),
            errors=errors,
            www_authenticate=www_authenticate,
            body=body,
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _first_error(errors: Mapping[str, Sequence[str]]) -> str | None:
    for field, messages in errors.items():
        if messages:
            return f"{field}: {messages[0]}"
    return None

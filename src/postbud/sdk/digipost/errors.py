"""Everything the SDK raises, in Digipost's own vocabulary of error codes and types.

Catch :class:`DigipostClientError` for any failure; :class:`DigipostApiError` is an ``error`` element
the server answered with, :class:`ResponseSignatureError` a response that is not provably from the
server.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

__all__ = [
    "DigipostApiError",
    "DigipostClientError",
    "DigipostConnectionError",
    "ErrorType",
    "InvalidRequestError",
    "MissingLinkError",
    "ResponseSignatureError",
    "UnexpectedResponseError",
]


class ErrorType(StrEnum):
    """Who is to blame, as Digipost's ``error-type`` tells it."""

    SERVER = "SERVER"
    CLIENT_DATA = "CLIENT_DATA"
    CLIENT_TECHNICAL = "CLIENT_TECHNICAL"
    CONFIGURATION = "CONFIGURATION"
    NONE = "NONE"


class DigipostClientError(Exception):
    """Base class: every SDK error carries an ``error_code`` and an ``error_type``."""

    def __init__(self, error_code: str, message: str, error_type: ErrorType) -> None:
        super().__init__(f"{error_code}: {message}")
        self.error_code = error_code
        self.error_message = message
        self.error_type = error_type


class DigipostApiError(DigipostClientError):
    """The server answered with a non-2xx status and (usually) an ``error`` element."""

    def __init__(self, status: int, error_code: str, error_message: str, error_type: ErrorType) -> None:
        super().__init__(error_code, error_message, error_type)
        self.status = status

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.error_code} ({self.error_type}): {self.error_message}"


class ResponseSignatureError(DigipostClientError):
    """A response failed verification: Date, X-Content-SHA256 or X-Digipost-Signature (§2.5)."""

    def __init__(self, message: str) -> None:
        super().__init__("SERVER_SIGNATURE_ERROR", message, ErrorType.SERVER)


class DigipostConnectionError(DigipostClientError):
    """The server could not be reached or the connection broke."""

    def __init__(self, message: str) -> None:
        super().__init__("CONNECTION_ERROR", message, ErrorType.CLIENT_TECHNICAL)


class InvalidRequestError(DigipostClientError):
    """Caught before sending: the request would not be valid (schema, missing content, …)."""

    def __init__(self, error_code: str, problems: Sequence[str]) -> None:
        super().__init__(error_code, "; ".join(problems), ErrorType.CLIENT_TECHNICAL)
        self.problems = tuple(problems)


class UnexpectedResponseError(DigipostClientError):
    """A 2xx response whose body is not what the API promises."""

    def __init__(self, message: str) -> None:
        super().__init__("GENERAL_ERROR", message, ErrorType.SERVER)


class MissingLinkError(UnexpectedResponseError):
    """The entrypoint (or a resource) lacks the link relation an operation needs."""

    def __init__(self, relation: str, where: str) -> None:
        super().__init__(f"{where} has no link with relation {relation!r}")
        self.relation = relation

"""Everything the Ekopost SDK raises.

Catch :class:`EkopostClientError` for any failure. :class:`EkopostApiError` is an answer carrying
Ekopost's error object (``error_code``, ``error_message``, ``developer_message``) or any other
non-2xx answer; :class:`EkopostNotFoundError` is its 404 (an unknown campaign, envelope or content,
or another customer's). Postbud answers a route it does not serve yet with HTTP 501 and
``error_code`` ``"501"``; :attr:`EkopostApiError.not_implemented` tells it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = [
    "EkopostApiError",
    "EkopostClientError",
    "EkopostConnectionError",
    "EkopostNotFoundError",
    "UnexpectedResponseError",
    "WebhookSignatureError",
]


class EkopostClientError(Exception):
    """Base class of every SDK error."""


class EkopostConnectionError(EkopostClientError):
    """The server could not be reached, or the connection broke."""


class UnexpectedResponseError(EkopostClientError):
    """A successful answer the SDK cannot read as the call's object."""


class WebhookSignatureError(EkopostClientError):
    """A webhook whose ``X-Ekopost-Signature`` is missing or is not the HMAC of its body."""


class EkopostApiError(EkopostClientError):
    """The server refused the call: HTTP ``status`` and, when it sent one, Ekopost's error object.

    ``error_code`` is a string, as on the wire: ``"0"`` (authentication), ``"100A"``, ``"101"`` …
    ``"143"``.
    """

    def __init__(
        self,
        status: int,
        *,
        error_code: str | None = None,
        error_message: str | None = None,
        developer_message: str | None = None,
        body: bytes = b"",
    ) -> None:
        self.status = status
        self.error_code = error_code
        self.error_message = error_message
        self.developer_message = developer_message
        self.body = body
        words = developer_message or error_message or body[:200].decode("utf-8", "replace")
        code = f" [{error_code}]" if error_code is not None else ""
        super().__init__(f"HTTP {status}{code} {words}".strip())

    @property
    def not_implemented(self) -> bool:
        """Postbud's answer for a call its Ekopost dialect does not serve yet."""
        return self.status == 501

    @classmethod
    def from_response(cls, status: int, body: bytes) -> EkopostApiError:
        error = error_object(body)
        error_class = EkopostNotFoundError if status == 404 else EkopostApiError
        if error is None:
            return error_class(status, body=body)
        return error_class(
            status,
            error_code=_text(error.get("error_code")),
            error_message=_text(error.get("error_message")),
            developer_message=_text(error.get("developer_message")),
            body=body,
        )


class EkopostNotFoundError(EkopostApiError):
    """404: the campaign, envelope or content does not exist for this customer (or, on a
    ``reachable`` call that is not answered as ``None``, the recipient was not found)."""


def error_object(body: bytes) -> Mapping[str, Any] | None:
    """Ekopost's error object in ``body``, if it is one (a JSON object with ``error_code``)."""
    try:
        parsed = json.loads(body) if body else None
    except ValueError:
        return None
    if isinstance(parsed, dict) and "error_code" in parsed:
        return parsed
    return None


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)

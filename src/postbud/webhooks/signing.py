"""Standard Webhooks signatures: HMAC-SHA256 over ``{id}.{timestamp}.{body}``.

Receivers check a delivery with ``verify``; see https://www.standardwebhooks.com.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

SECRET_PREFIX = "whsec_"
ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
VERSION = "v1"
DEFAULT_TOLERANCE = timedelta(minutes=5)


class InvalidWebhookSignature(Exception):
    """The request is not signed with the secret, is malformed, or is too old or too new."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def _key(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a webhook secret is 'whsec_' followed by base64") from exc


def _digest(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: ``v1,<base64 HMAC-SHA256>``."""
    return f"{VERSION},{_digest(_key(secret), msg_id, timestamp, body)}"


def signed_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        ID_HEADER: msg_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, msg_id, timestamp, body),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    # Plain dicts are case-sensitive; HTTP header names are not.
    for key, value in headers.items():
        if key.lower() == name:
            return value
    raise InvalidWebhookSignature(f"missing {name} header")


def verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance: timedelta = DEFAULT_TOLERANCE,
    now: datetime | None = None,
) -> None:
    """Raise ``InvalidWebhookSignature`` unless one of the ``v1`` signatures matches ``body``."""
    msg_id = _header(headers, ID_HEADER)
    raw_timestamp = _header(headers, TIMESTAMP_HEADER)
    signatures = _header(headers, SIGNATURE_HEADER)
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise InvalidWebhookSignature("webhook-timestamp is not a whole number of seconds") from None
    current = (now or datetime.now(UTC)).timestamp()
    # Both directions: an old timestamp is a replay, a far-future one would stay valid too long.
    if abs(current - timestamp) > tolerance.total_seconds():
        raise InvalidWebhookSignature("webhook-timestamp is outside the tolerance")
    expected = _digest(_key(secret), msg_id, timestamp, body).encode("ascii")
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == VERSION and hmac.compare_digest(value.encode("ascii", "replace"), expected):
            return
    raise InvalidWebhookSignature("no matching signature")

"""Ekopost's webhook signature: ``X-Ekopost-Signature``, the hex HMAC-SHA1 of the body.

The key is the subscription's secret as text (UTF-8), as Ekopost documents it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Ekopost-Signature"


def new_secret() -> str:
    return secrets.token_hex(32)


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def is_valid(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body), signature.strip().lower())

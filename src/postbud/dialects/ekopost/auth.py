"""Who is calling: ``Authorization: api-key KEY`` or ``Authorization: Basic base64(user:password)``.

Basic takes the sender's organisation number as user and its Ekopost API key as password, or a
Basic login set for the sender (``postbud senders ekopost-login``). Anything else is error 0.
"""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request

from postbud.dialects.ekopost.errors import EkopostError
from postbud.domain.parties import Sender
from postbud.services.parties.credentials import (
    EKOPOST,
    sender_by_basic_login,
    sender_by_dialect_api_key,
)
from postbud.services.runtime import Runtime

_MAX_CREDENTIAL = 512


def _refused(why: str) -> EkopostError:
    return EkopostError("0", f"Authorization: {why}")


def _basic(value: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise _refused("the Basic token is not base64 of UTF-8 'user:password'") from None
    user, colon, password = decoded.partition(":")
    if not colon or not user or not password:
        raise _refused("the Basic token must be base64 of 'user:password'")
    return user.strip(), password


async def _by_basic(runtime: Runtime, user: str, password: str) -> Sender | None:
    sender = await sender_by_basic_login(runtime, EKOPOST, user, password)
    if sender is not None:
        return sender
    by_key = await sender_by_dialect_api_key(runtime, EKOPOST, password)
    compact = user.replace("-", "").replace(" ", "")
    if len(compact) == 12 and compact.startswith("16"):
        compact = compact[2:]  # a Swedish organisation number written with its "16" century prefix
    if by_key is not None and by_key.organisation_number.replace("-", "") == compact:
        return by_key
    return None


async def authenticate(runtime: Runtime, request: Request) -> Sender:
    header = request.headers.get("authorization", "").strip()
    if not header:
        raise _refused("missing; send 'api-key KEY' or 'Basic base64(user:password)'")
    if len(header) > _MAX_CREDENTIAL:
        raise _refused("the header is too long")
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    if scheme in {"api-key", "apikey"}:
        sender = await sender_by_dialect_api_key(runtime, EKOPOST, value.strip()) if value.strip() else None
    elif scheme == "basic":
        user, password = _basic(value)
        sender = await _by_basic(runtime, user, password)
    else:
        raise _refused(f"unknown scheme {scheme!r}; send 'api-key KEY' or 'Basic base64(user:password)'")
    if sender is None:
        raise _refused("unknown or revoked credentials")
    return sender

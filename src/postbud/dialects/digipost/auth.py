"""Authenticating a request: the body is read (and hashed) first, then headers and signature."""

from __future__ import annotations

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from starlette.requests import Request

from postbud.dialects.digipost.context import Broker, DigipostDialect
from postbud.dialects.digipost.errors import DigipostError
from postbud.dialects.digipost.multipart import MultipartReader
from postbud.dialects.digipost.responses import remember_signed_path_form, request_path
from postbud.dialects.digipost.signing import RequestCheckFailed, UnknownBroker, check_signed_request
from postbud.http.request_target import query_as_sent


async def read_body(request: Request, limit: int, reader: MultipartReader | None = None) -> tuple[bytes, str]:
    """The raw body (or, when ``reader`` is given, feed it there instead of keeping it) and its hash."""
    digest = hashlib.sha256()
    kept = bytearray()
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit:
            raise DigipostError("REQUEST_TOO_LARGE", f"the request body is larger than {limit} bytes", 413)
        digest.update(chunk)
        if reader is None:
            kept += chunk
        else:
            reader.feed(chunk)
    return bytes(kept), base64.b64encode(digest.digest()).decode()


async def authenticate(dialect: DigipostDialect, request: Request, body_sha256: str | None) -> Broker:
    raw_id = request.headers.get("x-digipost-userid", "").strip()
    broker = await dialect.broker(int(raw_id)) if raw_id.isdigit() and len(raw_id) <= 18 else None

    def public_key_for(_: int) -> RSAPublicKey | None:
        if broker is None or broker.sender is None:
            raise UnknownBroker
        return broker.public_key

    try:
        checked = check_signed_request(
            method=request.method,
            raw_path=request_path(request),
            query=query_as_sent(request.scope) or request.url.query,  # as received (§2.3)
            headers=request.headers,
            body_sha256_b64=body_sha256,
            public_key_for=public_key_for,
            now=dialect.runtime.wall_clock.now(),  # the client's clock, not the sandbox's
        )
    except RequestCheckFailed as exc:
        raise DigipostError(exc.code, exc.message, exc.http_status) from exc
    remember_signed_path_form(request, signed_decoded_path=checked.signed_decoded_path)
    assert broker is not None
    return broker

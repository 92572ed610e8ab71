"""Signed HTTP: every request is signed (§2.2) and every response verified (§2.5).

`prepare` and `verified` hold all the protocol; `SyncTransport` and `AsyncTransport` only move bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

import httpx2
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from postbud.dialects.digipost.signing import (
    ResponseVerificationFailed,
    content_sha256,
    http_date,
    request_string_to_sign,
    sign,
    verify_response,
)

from . import xml_in
from .config import DigipostConfig
from .errors import DigipostConnectionError, ResponseSignatureError
from .multipart import XML_V8

__all__ = ["ApiRequest", "ApiResponse", "AsyncTransport", "SyncTransport", "prepare", "verified"]


@dataclass(frozen=True, slots=True)
class ApiRequest:
    method: str
    url: str
    body: bytes = b""
    content_type: str | None = None
    accept: str = XML_V8
    extra_headers: Mapping[str, str] = field(default_factory=dict)
    follow_redirect: bool = False
    """Follow one redirect (the inbox's one-time content link), signing and verifying both hops."""


@dataclass(frozen=True, slots=True)
class ApiResponse:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True, slots=True)
class Verification:
    """How to check the answer: with the server's key, or (first root entrypoint only) without one."""

    server_key: RSAPublicKey | None
    expect_signature: bool = True


def prepare(
    http: httpx2.Client | httpx2.AsyncClient, config: DigipostConfig, call: ApiRequest
) -> httpx2.Request:
    headers = {
        "Accept": call.accept,
        "Accept-Encoding": "identity",
        "User-Agent": config.user_agent,
        "Date": http_date(config.clock()),
        "X-Digipost-UserId": str(config.broker_id),
        **call.extra_headers,
    }
    if call.body:
        headers["Content-Type"] = call.content_type or "application/octet-stream"
        headers["X-Content-SHA256"] = content_sha256(call.body)
    request = http.build_request(call.method, call.url, content=call.body or None, headers=headers)
    # Like the official Java client (from 16.4.3): the decoded path and the query as it goes on the
    # wire; the response is then verified over the raw path (reference §2.3).
    path, _, query = request.url.raw_path.decode("ascii").partition("?")
    canonical = request_string_to_sign(call.method, unquote(path), headers, query)
    request.headers["X-Digipost-Signature"] = sign(config.private_key, canonical)
    return request


_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def redirect_target(
    call: ApiRequest, request: httpx2.Request, response: httpx2.Response
) -> ApiRequest | None:
    """The next hop of a call that follows a redirect, if this response is one."""
    location = response.headers.get("location")
    if not call.follow_redirect or response.status_code not in _REDIRECTS or not location:
        return None
    return replace(call, url=str(request.url.join(location)), follow_redirect=False)


def verified(
    config: DigipostConfig,
    request: httpx2.Request,
    response: httpx2.Response,
    verification: Verification,
    *,
    redirect: bool = False,
) -> ApiResponse:
    """The response if authentic and 2xx (or, with ``redirect``, a redirect); ResponseSignatureError
    or DigipostApiError otherwise."""
    body = response.content
    try:
        verify_response(
            status=response.status_code,
            request_path=request.url.raw_path.decode("ascii").partition("?")[0],
            headers=response.headers,
            body=body,
            public_key=verification.server_key,
            now=config.clock(),
            max_skew=config.max_clock_skew,
            expect_signature=verification.expect_signature,
        )
    except ResponseVerificationFailed as exc:
        raise ResponseSignatureError(f"{request.method} {request.url}: {exc.message}") from None
    if not (200 <= response.status_code < 300 or (redirect and response.status_code in _REDIRECTS)):
        raise xml_in.api_error(response.status_code, body)
    return ApiResponse(response.status_code, dict(response.headers.items()), body)


class SyncTransport:
    def __init__(self, config: DigipostConfig, transport: httpx2.BaseTransport | None = None) -> None:
        self._config = config
        self._http = httpx2.Client(transport=transport, timeout=config.timeout, follow_redirects=False)

    def send(self, call: ApiRequest, verification: Verification) -> ApiResponse:
        request = prepare(self._http, self._config, call)
        try:
            response = self._http.send(request)
        except httpx2.TransportError as exc:
            raise DigipostConnectionError(f"{call.method} {call.url}: {exc}") from exc
        target = redirect_target(call, request, response)
        if target is not None:
            verified(self._config, request, response, verification, redirect=True)
            return self.send(target, verification)
        return verified(self._config, request, response, verification)

    def close(self) -> None:
        self._http.close()


class AsyncTransport:
    def __init__(self, config: DigipostConfig, transport: httpx2.AsyncBaseTransport | None = None) -> None:
        self._config = config
        self._http = httpx2.AsyncClient(transport=transport, timeout=config.timeout, follow_redirects=False)

    async def send(self, call: ApiRequest, verification: Verification) -> ApiResponse:
        request = prepare(self._http, self._config, call)
        try:
            response = await self._http.send(request)
        except httpx2.TransportError as exc:
            raise DigipostConnectionError(f"{call.method} {call.url}: {exc}") from exc
        target = redirect_target(call, request, response)
        if target is not None:
            verified(self._config, request, response, verification, redirect=True)
            return await self.send(target, verification)
        return verified(self._config, request, response, verification)

    async def aclose(self) -> None:
        await self._http.aclose()

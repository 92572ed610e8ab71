"""One delivery attempt on the wire: POST the signed body, and keep the request as sent and the
response as received, each body bounded in size, for the delivery log.

The request's headers are the ones sent (signature headers included: they are per request); the
subscription's secret is never among them.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

import httpx2

from postbud.storage.repos.webhooks import Exchange
from postbud.webhooks.formats import SignedBody

BODY_LIMIT = 64 * 1024
"""Bytes of each body the log keeps; the rest is cut and the cut noted."""
_ERROR_EXCERPT = 200


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    """None: no response (timeout, refused connection)."""
    error: str | None
    """None: the receiver answered 2xx."""
    exchange: Exchange


def bounded_text(data: bytes, limit: int = BODY_LIMIT) -> tuple[str, bool]:
    """The first ``limit`` bytes as text (undecodable bytes replaced), and whether any were cut."""
    return data[:limit].decode("utf-8", "replace"), len(data) > limit


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Headers as they went over the wire (their own spelling); a repeated one joined with commas."""
    found: dict[str, str] = {}
    for name_bytes, value_bytes in raw:
        name, value = name_bytes.decode("latin-1"), value_bytes.decode("latin-1")
        found[name] = f"{found[name]}, {value}" if name in found else value
    return found


def request_exchange(method: str, url: str, headers: dict[str, str], body: bytes) -> Exchange:
    text, truncated = bounded_text(body)
    return Exchange(
        request_method=method,
        request_url=url,
        request_headers=headers,
        request_body=text,
        request_body_truncated=truncated,
    )


async def _read_into(response: httpx2.Response, data: bytearray) -> None:
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) > BODY_LIMIT:
            return


async def post(client: httpx2.AsyncClient, url: str, signed: SignedBody, request_timeout: float) -> Outcome:
    """POST within ``request_timeout`` for the whole exchange: a receiver trickling bytes cannot hold
    a worker."""
    request = client.build_request(
        "POST", url, content=signed.body, headers=signed.headers, timeout=request_timeout
    )
    sent = request_exchange("POST", url, _headers(request.headers.raw), signed.body)
    deadline = asyncio.get_running_loop().time() + request_timeout
    try:
        async with asyncio.timeout_at(deadline):
            response = await client.send(request, stream=True)
    except (TimeoutError, httpx2.TimeoutException):
        return Outcome(None, f"timeout: no answer within {request_timeout:g} s", sent)
    except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}", sent)

    data = bytearray()
    try:
        # The status is known: a body that is slow or breaks off is kept as far as it came.
        async with asyncio.timeout_at(deadline):
            await _read_into(response, data)
    except (TimeoutError, httpx2.HTTPError):
        pass
    finally:
        await response.aclose()
    text, truncated = bounded_text(bytes(data))
    exchange = replace(
        sent,
        response_headers=_headers(response.headers.raw),
        response_body=text,
        response_body_truncated=truncated,
    )
    if response.is_success:
        return Outcome(response.status_code, None, exchange)
    excerpt = text[:_ERROR_EXCERPT].strip()
    error = f"HTTP {response.status_code}" + (f": {excerpt}" if excerpt else "")
    return Outcome(response.status_code, error, exchange)

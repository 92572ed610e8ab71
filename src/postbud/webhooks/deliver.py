"""The ``webhook.deliver`` job: POST one signed event to one webhook, and log the attempt.

At-least-once: a failed attempt raises, so the worker retries with backoff (30 attempts span
more than a day). A delivery already marked delivered is never sent again by a stray job.
"""

from __future__ import annotations

import asyncio
import time
import uuid
import weakref
from datetime import timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx2
from sqlalchemy import update

from postbud.domain.errors import NotFound
from postbud.jobs.backoff import minimum_total
from postbud.jobs.registry import JobHandler
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.repos.jobs import Job
from postbud.storage.repos.webhooks import Webhook
from postbud.webhooks.formats import CORE_FORMATS, RenderContext, SignedBody, WebhookFormats
from postbud.webhooks.notices import load_notice

MAX_ATTEMPTS = 30
TIMEOUT = 10.0
USER_AGENT = "Postbud-Webhooks/0.1"
_ERROR_BODY_BYTES = 200

PENDING, RETRYING, DELIVERED, FAILED, CANCELLED = "pending", "retrying", "delivered", "failed", "cancelled"
SETTLED = (DELIVERED, FAILED, CANCELLED)


class DeliveryFailed(Exception):
    """The receiver did not answer 2xx in time; raised so the worker retries."""


class _NoCookies(DefaultCookiePolicy):
    # The client is shared by every sender's webhooks: one receiver's cookies must not reach another.
    def set_ok(self, cookie: object, request: object) -> bool:
        return False


# One client per event loop: its pooled connections belong to the loop that opened them.
_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx2.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


def http_client() -> httpx2.AsyncClient:
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None or client.is_closed:
        client = httpx2.AsyncClient(
            timeout=TIMEOUT,
            headers={"user-agent": USER_AGENT},
            cookies=CookieJar(policy=_NoCookies()),
            follow_redirects=False,
        )
        _clients[loop] = client
    return client


async def close_http_client() -> None:
    """Close this event loop's client (call on shutdown); the next delivery opens a new one."""
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


def delivery_id_of(job: Job) -> uuid.UUID:
    return uuid.UUID(job.payload["delivery_id"])


async def run(job: Job, runtime: Runtime, formats: WebhookFormats = CORE_FORMATS) -> None:
    await deliver(
        delivery_id_of(job), runtime, attempt=job.attempts, max_attempts=job.max_attempts, formats=formats
    )


async def give_up(job: Job, runtime: Runtime, error: str) -> None:
    await settle(runtime, delivery_id_of(job), FAILED, error)


def job_handler(formats: WebhookFormats) -> JobHandler:
    """The ``webhook.deliver`` job, rendering with ``formats`` (the core's and the dialects' renderers)."""

    async def run_with_formats(job: Job, runtime: Runtime) -> None:
        await run(job, runtime, formats)

    return JobHandler(run_with_formats, give_up)


async def settle(runtime: Runtime, delivery_id: uuid.UUID, status: str, error: str) -> None:
    """Close a delivery without an attempt (cancelled, or failed outside an attempt)."""
    d = schema.webhook_deliveries.c
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(
            update(schema.webhook_deliveries)
            .where(d.id == delivery_id, d.status.not_in(SETTLED))
            .values(status=status, last_error=error, next_attempt_at=None)
        )


async def deliver(
    delivery_id: uuid.UUID,
    runtime: Runtime,
    *,
    attempt: int = 1,
    max_attempts: int = MAX_ATTEMPTS,
    request_timeout: float = TIMEOUT,
    formats: WebhookFormats = CORE_FORMATS,
) -> None:
    async with runtime.reader() as uow:
        delivery = await uow.webhooks.delivery(delivery_id)
        webhook = await uow.webhooks.get(delivery.webhook_id) if delivery else None
    if delivery is None or webhook is None or delivery.status == DELIVERED:
        return
    if not webhook.active:
        await settle(runtime, delivery_id, CANCELLED, "the webhook is inactive")
        return
    try:
        notice = await load_notice(runtime, delivery.event_id)
    except NotFound as exc:
        # Nothing to send: the shipment was deleted, or a concurrent writer won the event's
        # dedup key and this delivery's event row was never inserted.
        await settle(runtime, delivery_id, CANCELLED, str(exc))
        return

    at = runtime.clock.now()
    started = time.perf_counter()
    if fault := runtime.faults.should_fail_webhook(webhook.url):
        status_code, error = fault.outcome(request_timeout)  # a sandbox fault: the target seems down
    else:
        # Wall-clock time, not the runtime clock: receivers compare it with their own clocks.
        about = RenderContext(delivery_id, runtime.settings.resolved_public_url)
        signed = formats.signed(webhook.format, webhook.secret, notice, about, int(time.time()))
        status_code, error = await _post(webhook, signed, request_timeout)
    duration_ms = round((time.perf_counter() - started) * 1000)

    if error is None:
        outcome, next_attempt_at = DELIVERED, None
    elif attempt >= max_attempts:
        outcome, next_attempt_at = FAILED, None
    else:
        outcome, next_attempt_at = RETRYING, at + _earliest_retry(attempt)
    async with runtime.unit_of_work() as uow:
        await uow.webhooks.record_attempt(
            delivery_id,
            at=at,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
            outcome=outcome,
            next_attempt_at=next_attempt_at,
        )
    if error is not None:
        raise DeliveryFailed(error)


def _earliest_retry(attempt: int) -> timedelta:
    # The worker adds jitter to the delay, so the log can only say "not before".
    return minimum_total(attempt) - minimum_total(attempt - 1)


async def _post(
    webhook: Webhook, signed: SignedBody, request_timeout: float
) -> tuple[int | None, str | None]:
    """POST the signed body; returns the status code (None without a response) and an error, if any."""
    try:
        # httpx's timeout bounds each read; this bounds the whole exchange, so a receiver
        # trickling bytes cannot hold a worker.
        async with (
            asyncio.timeout(request_timeout),
            http_client().stream(
                "POST", webhook.url, content=signed.body, headers=signed.headers, timeout=request_timeout
            ) as response,
        ):
            if response.is_success:
                return response.status_code, None
            return response.status_code, f"HTTP {response.status_code}{await _excerpt(response)}"
    except (TimeoutError, httpx2.TimeoutException):
        return None, f"timeout: no answer within {request_timeout:g} s"
    except (httpx2.HTTPError, httpx2.InvalidURL) as exc:
        return None, f"{type(exc).__name__}: {exc}"


async def _excerpt(response: httpx2.Response) -> str:
    """The start of an error response, which often says why; never the whole body."""
    data = bytearray()
    try:
        async for chunk in response.aiter_bytes():
            data += chunk
            if len(data) >= _ERROR_BODY_BYTES:
                break
    except httpx2.HTTPError:
        pass
    text = data[:_ERROR_BODY_BYTES].decode("utf-8", "replace").strip()
    return f": {text}" if text else ""

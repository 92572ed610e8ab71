"""The ``webhook.deliver`` job: POST one signed event to one webhook, and log the attempt.

At-least-once: a failed attempt raises, so the worker retries with backoff (30 attempts span
more than a day). A delivery already marked delivered is never sent again by a stray job. The
deliveries of one letter (or batch) to one subscription keep their events' order (``ordering``):
one waits while an earlier one is unsettled, and is released when that one settles.
"""

from __future__ import annotations

import asyncio
import time
import uuid
import weakref
from datetime import timedelta
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx2

from postbud.domain.errors import NotFound
from postbud.domain.resources import LETTER_RESOURCE_PROPERTY
from postbud.jobs.backoff import minimum_total
from postbud.jobs.registry import JobHandler
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job
from postbud.storage.repos.webhooks import (
    CANCELLED,
    DELIVERED,
    FAILED,
    PENDING,
    RETRYING,
    SETTLED,
    STATUSES,
    WAITING,
    Delivery,
    Webhook,
)
from postbud.webhooks import events_api_delivery, exchange, ordering
from postbud.webhooks.formats import CORE_FORMATS, RenderContext, WebhookFormats
from postbud.webhooks.notices import AttachmentNotice, LetterNotice, Notice, ProbeNotice, load_notice

__all__ = [
    "CANCELLED",
    "DELIVERED",
    "FAILED",
    "MAX_ATTEMPTS",
    "PENDING",
    "RETRYING",
    "SETTLED",
    "STATUSES",
    "WAITING",
    "deliver",
    "give_up",
    "job_handler",
    "run",
    "settle",
]

MAX_ATTEMPTS = ordering.MAX_ATTEMPTS
TIMEOUT = 10.0
USER_AGENT = "Postbud-Webhooks/0.1"


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
    """Close a delivery without an attempt (cancelled, or failed outside an attempt); the next one
    of its letter, if it waits, goes out."""
    released = False
    async with runtime.unit_of_work() as uow:
        delivery = await uow.webhooks.settle(delivery_id, status=status, error=error)
        if delivery is not None:
            released = await ordering.release_next(uow, delivery, now=runtime.clock.now())
    if released:
        runtime.jobs_available()


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
    notice: Notice | ProbeNotice
    media_type: str | None = None
    if delivery.is_test:
        notice = ProbeNotice(delivery.event_id, webhook.id, webhook.sender_id, delivery.created_at)
    else:
        if await ordering.waits_behind_earlier(runtime, delivery):
            return  # released, with a job of its own, when the earlier one settles
        try:
            notice = await load_notice(runtime, delivery.event_id)
        except NotFound as exc:
            # Nothing to send: the shipment was deleted, or a concurrent writer won the event's
            # dedup key and this delivery's event row was never inserted.
            await settle(runtime, delivery_id, CANCELLED, str(exc))
            return
        if webhook.resource_id is not None:
            verdict = (
                events_api_delivery.Verdict("not a letter of the webhook's resource")
                if not _of_resource(notice, webhook.resource_id)
                else await events_api_delivery.verdict(runtime, webhook, delivery, notice, formats)
            )
            if verdict.refusal is not None:
                await settle(runtime, delivery_id, CANCELLED, verdict.refusal)
                return
            media_type = verdict.media_type
    await _attempt(
        runtime, webhook, delivery, notice, attempt, max_attempts, request_timeout, formats, media_type
    )


def _of_resource(notice: Notice, resource_id: str) -> bool:
    """Whether a webhook limited to one resource (Altinn's resource registry) wants this notice."""
    if isinstance(notice, AttachmentNotice):
        return notice.attachment.properties.get(LETTER_RESOURCE_PROPERTY) == resource_id
    return isinstance(notice, LetterNotice) and (
        notice.shipment.properties.get(LETTER_RESOURCE_PROPERTY) == resource_id
    )


async def _attempt(
    runtime: Runtime,
    webhook: Webhook,
    delivery: Delivery,
    notice: Notice | ProbeNotice,
    attempt: int,
    max_attempts: int,
    request_timeout: float,
    formats: WebhookFormats,
    media_type: str | None = None,
) -> None:
    """One attempt; ``media_type``: the content type to send, when not the format's own."""
    at = runtime.clock.now()
    started = time.perf_counter()
    # Wall-clock time, not the runtime clock: receivers compare it with their own clocks.
    about = RenderContext(delivery.id, runtime.settings.resolved_public_url)
    signed = formats.signed(webhook.format, webhook.secret, notice, about, int(time.time()))
    if media_type is not None:
        signed.headers["content-type"] = media_type
    if fault := runtime.faults.should_fail_webhook(webhook.url):
        status_code, error = fault.outcome(request_timeout)  # a sandbox fault: the target seems down
        result = exchange.Outcome(
            status_code,
            error,
            exchange.request_exchange("POST", webhook.url, signed.headers, signed.body),
        )
    else:
        result = await exchange.post(http_client(), webhook.url, signed, request_timeout)
    duration_ms = round((time.perf_counter() - started) * 1000)

    if result.error is None:
        outcome, next_attempt_at = DELIVERED, None
    elif attempt >= max_attempts:
        outcome, next_attempt_at = FAILED, None
    else:
        outcome, next_attempt_at = RETRYING, at + _earliest_retry(attempt)
    released = False
    async with runtime.unit_of_work() as uow:
        await uow.webhooks.record_attempt(
            delivery.id,
            at=at,
            status_code=result.status_code,
            error=result.error,
            duration_ms=duration_ms,
            outcome=outcome,
            next_attempt_at=next_attempt_at,
            exchange=result.exchange,
        )
        if outcome in SETTLED:
            released = await ordering.release_next(uow, delivery, now=runtime.clock.now())
    if released:
        runtime.jobs_available()
    if result.error is not None:
        raise DeliveryFailed(result.error)


def _earliest_retry(attempt: int) -> timedelta:
    # The worker adds jitter to the delay, so the log can only say "not before".
    return minimum_total(attempt) - minimum_total(attempt - 1)

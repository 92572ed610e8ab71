"""The sandbox's request bins: Postbud as a webhook receiver, so an integrator sees events without
running a server of their own.

A bin is a name in a URL (``/sandbox/bins/{name}`` on Postbud's own port); it exists once something
is sent to it. Each request is kept as it came (headers; body up to 64 KiB), with whether it carries
a valid signature of a subscription that posts to the bin, checked in that subscription's format.
Storage is bounded: the newest ``KEEP_PER_BIN`` requests of a bin, the ``MAX_BINS`` bins that
received last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from postbud.domain.errors import NotPermitted, PermissionCode, RuleCode, ValidationFailed
from postbud.domain.ids import new_id
from postbud.domain.webhook_formats import WebhookFormat
from postbud.services.runtime import Runtime
from postbud.storage.repos.request_bins import BinRequest, BinSummary
from postbud.storage.repos.webhooks import Webhook
from postbud.webhooks import hmac_sha1, signing
from postbud.webhooks.exchange import bounded_text

__all__ = [
    "BIN_PATH",
    "KEEP_PER_BIN",
    "MAX_BINS",
    "MAX_BODY_BYTES",
    "BinRequest",
    "BinSummary",
    "bin_requests",
    "bin_url",
    "clear_bin",
    "list_bins",
    "receive",
    "subscriptions_of",
]

BIN_PATH: Final = "/sandbox/bins"
KEEP_PER_BIN: Final = 100
MAX_BINS: Final = 50
MAX_BODY_BYTES: Final = 8 * 1024 * 1024
"""A bin reads at most this much of a request (a campaign's end lists every envelope)."""
_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")

VALID, INVALID, UNSIGNED, NO_SUBSCRIPTION = "valid", "invalid", "unsigned", "no_subscription"


def _checked_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValidationFailed.of(
            "name",
            "1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit",
            RuleCode.WRONG_FORMAT,
        )
    return name


def _sandbox_only(runtime: Runtime) -> None:
    if not runtime.settings.sandbox:
        raise NotPermitted("request bins exist in sandbox mode only", PermissionCode.NOT_APPROVED)


def bin_url(runtime: Runtime, name: str) -> str:
    return f"{runtime.settings.resolved_public_url}{BIN_PATH}/{_checked_name(name)}"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def _verdict(webhook: Webhook, headers: Mapping[str, str], body: bytes) -> tuple[str, str | None]:
    if webhook.format is WebhookFormat.EKOPOST:
        signature = _header(headers, hmac_sha1.SIGNATURE_HEADER)
        if signature is None:
            return UNSIGNED, f"no {hmac_sha1.SIGNATURE_HEADER} header"
        if hmac_sha1.is_valid(webhook.secret, body, signature):
            return VALID, None
        return INVALID, f"{hmac_sha1.SIGNATURE_HEADER} is not the HMAC-SHA1 of the body with the secret"
    if _header(headers, signing.SIGNATURE_HEADER) is None:
        return UNSIGNED, f"no {signing.SIGNATURE_HEADER} header"
    try:
        signing.verify(webhook.secret, headers, body)
    except signing.InvalidWebhookSignature as exc:
        return INVALID, str(exc)
    return VALID, None


def _signature(
    subscriptions: list[Webhook], headers: Mapping[str, str], body: bytes
) -> tuple[str, str | None, Webhook | None]:
    """The verdict of the first subscription whose signature holds, else of the newest one."""
    if not subscriptions:
        return NO_SUBSCRIPTION, "no webhook subscription posts to this bin", None
    verdicts = [(*_verdict(webhook, headers, body), webhook) for webhook in subscriptions]
    return next((v for v in verdicts if v[0] == VALID), verdicts[0])


async def subscriptions_of(runtime: Runtime, name: str) -> list[Webhook]:
    """The webhook subscriptions whose URL is this bin (on any host Postbud is reached by)."""
    async with runtime.reader() as uow:
        return await uow.webhooks.with_url_path(f"{BIN_PATH}/{_checked_name(name)}")


async def receive(
    runtime: Runtime, name: str, *, method: str, url: str, headers: Mapping[str, str], body: bytes
) -> BinRequest:
    """Keep one request sent to the bin ``name``."""
    _sandbox_only(runtime)
    subscriptions = await subscriptions_of(runtime, name)
    verdict, detail, webhook = _signature(subscriptions, headers, body)
    text, truncated = bounded_text(body)
    request = BinRequest(
        id=new_id(),
        bin=name,
        received_at=runtime.clock.now(),
        method=method[:10],
        url=url[:2000],
        headers=dict(headers),
        body=text,
        body_size=len(body),
        body_truncated=truncated,
        webhook_id=webhook.id if webhook else None,
        signature=verdict,
        signature_detail=detail[:500] if detail else None,
    )
    async with runtime.unit_of_work() as uow:
        await uow.request_bins.add(request, keep=KEEP_PER_BIN)
        for stale in (await uow.request_bins.bins(limit=MAX_BINS + 10))[MAX_BINS:]:
            await uow.request_bins.clear(stale.name)
    return request


async def bin_requests(runtime: Runtime, name: str) -> list[BinRequest]:
    """Newest first."""
    async with runtime.reader() as uow:
        return await uow.request_bins.requests(_checked_name(name), limit=KEEP_PER_BIN)


async def list_bins(runtime: Runtime) -> list[BinSummary]:
    async with runtime.reader() as uow:
        return await uow.request_bins.bins(limit=MAX_BINS)


async def clear_bin(runtime: Runtime, name: str) -> None:
    async with runtime.unit_of_work() as uow:
        await uow.request_bins.clear(_checked_name(name))

"""Fault injection (sandbox): per channel and per webhook target, a probability and the error."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.channels.faults import DEFAULT_ERRORS
from postbud.domain.channels import Channel
from postbud.domain.errors import NotPermitted, ValidationFailed
from postbud.services.console.webhook_log import webhook_targets
from postbud.services.sandbox.faults import (
    DEFAULT_WEBHOOK_ERROR,
    DEFAULT_WEBHOOK_STATUS,
    FAULT_CHANNELS,
    MAX_ERROR_LENGTH,
    clear_faults,
    fault_settings,
    set_channel_fault,
    set_webhook_fault,
)
from postbud.web.console import paths
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.forms import text_field
from postbud.web.navigation import see_other

TIMEOUT: Final = "timeout"


def _probability(form: FormData) -> float | None:
    """The "percent" field (0–100, decimals allowed) as a probability; None when it is not a number."""
    text = (text_field(form, "percent", max_length=10) or "0").replace(",", ".")
    try:
        percent = Decimal(text)
    except InvalidOperation:
        return None
    if not percent.is_finite() or not 0 <= percent <= 100:
        return None
    return float(percent / 100)


async def faults_page(request: Request) -> Response:
    runtime = web_context(request).runtime
    settings = await fault_settings(runtime)
    targets = await webhook_targets(runtime)
    context = {
        "section": "faults",
        "channels": FAULT_CHANNELS,
        "channel_faults": settings.channels,
        "default_errors": {c: DEFAULT_ERRORS.get(c, "") for c in FAULT_CHANNELS},
        "webhook_faults": settings.webhooks,
        "targets": sorted(set(targets) | set(settings.webhooks)),
        "default_webhook_error": DEFAULT_WEBHOOK_ERROR,
        "default_webhook_status": DEFAULT_WEBHOOK_STATUS,
        "max_error": MAX_ERROR_LENGTH,
    }
    return page(request, "console/faults.html", context)


async def set_channel(request: Request, form: FormData) -> Response:
    probability = _probability(form)
    try:
        channel = Channel(text_field(form, "channel", max_length=40) or "")
    except ValueError:
        channel = None
    if probability is None or channel is None:
        flash(request, "console.fault_invalid", error=True)
        return see_other(paths.FAULTS)
    error = text_field(form, "error", max_length=MAX_ERROR_LENGTH)
    try:
        await set_channel_fault(web_context(request).runtime, channel, probability, error)
    except NotPermitted:
        flash(request, "console.sandbox_only", error=True)
    except ValidationFailed:
        flash(request, "console.fault_invalid", error=True)
    else:
        key = "console.fault_set" if probability else "console.fault_removed"
        flash(request, key, target=channel.value)
    return see_other(paths.FAULTS)


def _status_code(form: FormData) -> int | str | None:
    """The status to answer with, None for a timeout, or the field's text when it is not a number."""
    if text_field(form, "mode", max_length=20) == TIMEOUT:
        return None
    text = text_field(form, "status_code", max_length=3) or str(DEFAULT_WEBHOOK_STATUS)
    return int(text) if text.isdigit() else text


async def set_webhook(request: Request, form: FormData) -> Response:
    probability = _probability(form)
    url = text_field(form, "url", max_length=2000)
    status_code = _status_code(form)
    if probability is None or url is None or isinstance(status_code, str):
        flash(request, "console.fault_invalid", error=True)
        return see_other(paths.FAULTS)
    error = text_field(form, "error", max_length=MAX_ERROR_LENGTH)
    try:
        await set_webhook_fault(
            web_context(request).runtime, url, probability, status_code=status_code, error=error
        )
    except NotPermitted:
        flash(request, "console.sandbox_only", error=True)
    except ValidationFailed:
        flash(request, "console.fault_invalid", error=True)
    else:
        flash(request, "console.fault_set" if probability else "console.fault_removed", target=url)
    return see_other(paths.FAULTS)


async def clear(request: Request, form: FormData) -> Response:
    try:
        removed = await clear_faults(web_context(request).runtime)
    except NotPermitted:
        flash(request, "console.sandbox_only", error=True)
    else:
        flash(request, "console.faults_cleared", count=str(removed))
    return see_other(paths.FAULTS)

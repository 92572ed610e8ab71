"""The console's request bins: which bins received something, and each bin's requests with their
headers, body and whether the signature holds for the subscription that posts there."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import ValidationFailed
from postbud.domain.webhook_formats import WebhookFormat
from postbud.services.parties.senders import list_senders
from postbud.web.console import webhook_paths
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.navigation import see_other
from postbud.webhooks.exchange import BODY_LIMIT
from postbud.webhooks.request_bin import (
    BIN_PATH,
    KEEP_PER_BIN,
    bin_requests,
    bin_url,
    clear_bin,
    list_bins,
    subscriptions_of,
)


def _context(request: Request, **values: Any) -> dict[str, Any]:
    runtime = web_context(request).runtime
    return {
        "section": "webhooks",
        "tab": "bins",
        "hooks": webhook_paths,
        "bins_url": f"{runtime.settings.resolved_public_url}{BIN_PATH}/…",
        "invalid_name": None,
        **values,
    }


async def bins_page(request: Request) -> Response:
    runtime = web_context(request).runtime
    return page(request, "console/request_bins.html", _context(request, bins=await list_bins(runtime)))


async def open_bin(request: Request) -> Response:
    name = request.query_params.get("name", "").strip()
    try:
        bin_url(web_context(request).runtime, name)
    except ValidationFailed:
        runtime = web_context(request).runtime
        context = _context(request, bins=await list_bins(runtime), invalid_name=name)
        return page(request, "console/request_bins.html", context, status=400)
    return see_other(webhook_paths.request_bin(name))


async def bin_page(request: Request) -> Response:
    runtime = web_context(request).runtime
    name = request.path_params["name"]
    try:
        url = bin_url(runtime, name)
    except ValidationFailed:
        context = _context(request, bins=await list_bins(runtime), invalid_name=name)
        return page(request, "console/request_bins.html", context, status=404)
    subscriptions = await subscriptions_of(runtime, name)
    senders = await list_senders(runtime)
    context = _context(
        request,
        name=name,
        url=url,
        requests=await bin_requests(runtime, name),
        subscriptions=subscriptions,
        subscription_urls={s.id: s.url for s in subscriptions},
        senders=senders,
        sender_names={s.id: s.name for s in senders},
        formats=[f.value for f in WebhookFormat],
        keeps=KEEP_PER_BIN,
        body_kib=BODY_LIMIT // 1024,
    )
    return page(request, "console/request_bin.html", context)


async def clear(request: Request, form: FormData) -> Response:
    name = request.path_params["name"]
    try:
        await clear_bin(web_context(request).runtime, name)
    except ValidationFailed:
        return see_other(webhook_paths.BINS)
    flash(request, "console.bin_cleared")
    return see_other(webhook_paths.request_bin(name))

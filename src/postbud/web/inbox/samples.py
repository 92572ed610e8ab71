"""Sandbox only: "send me sample letters" — one of each kind, to see every card at work."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.services.sandbox.sample_letters import send_sample_letters
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.inbox import paths
from postbud.web.inbox.render import flash
from postbud.web.navigation import see_other
from postbud.web.signin import Identity


async def send_samples(request: Request, form: FormData, identity: Identity) -> Response:
    web = web_context(request)
    if not web.settings.sandbox:
        return error_page(request, 404)
    await send_sample_letters(web.runtime, identity.recipient_id)
    flash(request, "samples.sent")
    return see_other(paths.HOME)

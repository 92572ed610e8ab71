"""A business inbox letter's own actions: confirm it (when the sender asks) and delete it."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import Conflict
from postbud.services.inbox.confirm_and_delete import confirm_in_inbox, delete_in_inbox
from postbud.services.inbox.query import get_letter
from postbud.web.context import web_context
from postbud.web.inbox import paths
from postbud.web.inbox.cards import Problems
from postbud.web.inbox.letter import letter_id_of, render_letter
from postbud.web.inbox.render import flash
from postbud.web.navigation import see_other
from postbud.web.signin import Identity


async def _refused(request: Request, identity: Identity, key: str, exc: Conflict) -> Response:
    web = web_context(request)
    letter = await get_letter(web.runtime, identity.recipient_id, letter_id_of(request))
    problems = Problems(web.pages.text(request, key, reason=str(exc)))
    return await render_letter(request, identity, letter, problems=problems, status=409)


async def confirm(request: Request, form: FormData, identity: Identity) -> Response:
    letter_id = letter_id_of(request)
    try:
        await confirm_in_inbox(web_context(request).runtime, identity.recipient_id, letter_id)
    except Conflict as exc:
        return await _refused(request, identity, "business.confirm_refused", exc)
    flash(request, "business.confirmed_now")
    return see_other(paths.letter(letter_id))


async def delete(request: Request, form: FormData, identity: Identity) -> Response:
    letter_id = letter_id_of(request)
    try:
        await delete_in_inbox(web_context(request).runtime, identity.recipient_id, letter_id)
    except Conflict as exc:
        return await _refused(request, identity, "business.delete_refused", exc)
    flash(request, "business.deleted")
    return see_other(paths.home("inbox"))

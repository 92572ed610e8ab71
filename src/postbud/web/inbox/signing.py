"""Documents to sign in the inbox: the list, one document with its signers, the file, and "Sign".

Signing asks for the highest e-ID level (the sandbox e-ID steps the session up, as a bank e-ID
would); only the document's signers see it, anyone else gets the inbox's 404.
"""

from __future__ import annotations

import uuid
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.documents import AuthenticationLevel
from postbud.domain.errors import Conflict, NotFound, NotPermitted
from postbud.services.signing.invite import SIGNING_PAGE
from postbud.services.signing.query import SigningTask, document_of, task_of, tasks_of
from postbud.services.signing.sign import sign_document
from postbud.web.context import web_context
from postbud.web.errors import error_page
from postbud.web.inbox import paths
from postbud.web.inbox.files import attachment_disposition
from postbud.web.inbox.render import flash, page
from postbud.web.navigation import see_other
from postbud.web.signin import Identity

SIGNING_LEVEL: Final = AuthenticationLevel.IDPORTEN_4
LIST: Final = f"{paths.ROOT}/signing"
ONE: Final = SIGNING_PAGE.replace("{request_id}", "{request_id:uuid}")


def one(request_id: uuid.UUID) -> str:
    return SIGNING_PAGE.format(request_id=request_id)


def request_id_of(request: Request) -> uuid.UUID:
    """The signing request a signing page's path names."""
    value = request.path_params["request_id"]
    assert isinstance(value, uuid.UUID)
    return value


async def list_page(request: Request, identity: Identity) -> Response:
    tasks = await tasks_of(web_context(request).runtime, identity.recipient_id)
    return page(request, "inbox/signing_list.html", {"tasks": tasks, "one": one})


async def signing_page(request: Request, identity: Identity) -> Response:
    try:
        task = await task_of(web_context(request).runtime, request_id_of(request), identity.recipient_id)
    except NotFound:
        return error_page(request, 404)
    context = {
        "task": task,
        "one": one,
        "in_inbox": True,
        "needs_step_up": identity.level.rank < SIGNING_LEVEL.rank,
        "step_up_url": paths.step_up(SIGNING_LEVEL, one(task.request.id)),
    }
    return page(request, "inbox/signing.html", context)


async def download(request: Request, identity: Identity) -> Response:
    signed = request.query_params.get("signed") == "1"
    try:
        content, task = await document_of(
            web_context(request).runtime, request_id_of(request), identity.recipient_id, signed=signed
        )
    except NotFound:
        return error_page(request, 404)
    return document_response(content, task, signed=signed)


def document_response(content: bytes, task: SigningTask, *, signed: bool) -> Response:
    """The document to sign (or the signed one) as a PDF download named after the letter."""
    stem = (task.subject or "document").strip().replace("/", "-")[:100] or "document"
    name = f"{stem} (signed).pdf" if signed else f"{stem}.pdf"
    headers = {"Content-Disposition": attachment_disposition(name), "Cache-Control": "private, no-store"}
    return Response(content, media_type="application/pdf", headers=headers)


async def sign(request: Request, form: FormData, identity: Identity) -> Response:
    request_id = request_id_of(request)
    if identity.level.rank < SIGNING_LEVEL.rank:
        return see_other(paths.step_up(SIGNING_LEVEL, one(request_id)))
    try:
        await sign_document(web_context(request).runtime, request_id, identity.recipient_id)
    except (NotFound, NotPermitted):
        return error_page(request, 404)
    except Conflict:
        flash(request, "signing.not_now")
        return see_other(one(request_id))
    flash(request, "signing.signed_now")
    return see_other(one(request_id))

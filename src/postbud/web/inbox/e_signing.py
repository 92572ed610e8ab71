"""Signing without an inbox: the page a signer's invitation links to, behind an e-ID login.

The e-ID proves the person's national identity number (the sandbox's stands in for a test BankID);
the page then shows the document to the signer it names and lets them sign, as the inbox does for a
signer with an inbox. Anyone the e-ID proved to be someone else gets the login again, with the
same answer whether or not the document exists.
"""

from __future__ import annotations

import uuid
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.errors import Conflict, NotFound, NotPermitted
from postbud.services.signing.invite import E_ID_SIGNING_PAGE
from postbud.services.signing.query import SigningTask, document_of, task_of
from postbud.services.signing.sign import sign_document
from postbud.web.context import web_context
from postbud.web.csrf import rotate_csrf_token
from postbud.web.e_id import EIdFailed, ProvenPerson, forget_proof, proven, remember_proof
from postbud.web.inbox.render import flash, page
from postbud.web.inbox.signing import document_response, request_id_of
from postbud.web.navigation import see_other

ONE: Final = E_ID_SIGNING_PAGE.replace("{request_id}", "{request_id:uuid}")


def one(request_id: uuid.UUID) -> str:
    return E_ID_SIGNING_PAGE.format(request_id=request_id)


async def _login(request: Request, problem: str | None = None, *, status: int | None = None) -> Response:
    action = one(request_id_of(request)) + "/e-id"
    response = await web_context(request).e_id.begin(request, action=action, problem=problem)
    if status is not None and response.status_code < 500:
        response.status_code = status
    return response


async def _not_a_signer(request: Request) -> Response:
    problem = web_context(request).pages.text(request, "e_signing.not_a_signer")
    return await _login(request, problem, status=404)


async def _task(request: Request, person: ProvenPerson) -> SigningTask | None:
    try:
        return await task_of(web_context(request).runtime, request_id_of(request), person.party)
    except NotFound:
        return None


async def signing_page(request: Request) -> Response:
    person = proven(request)
    if person is None:
        return await _login(request)
    task = await _task(request, person)
    if task is None:
        return await _not_a_signer(request)
    context = {"task": task, "one": one, "needs_step_up": False, "in_inbox": False, "person": person}
    return page(request, "inbox/signing.html", context)


async def prove(request: Request, form: FormData) -> Response:
    answer = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        person = await web_context(request).e_id.finish(request, answer)
    except EIdFailed as failed:
        return await _login(request, str(failed))
    remember_proof(request, person)
    rotate_csrf_token(request)
    return see_other(one(request_id_of(request)))


async def log_out(request: Request, form: FormData) -> Response:
    forget_proof(request)
    rotate_csrf_token(request)
    return see_other(one(request_id_of(request)))


async def download(request: Request) -> Response:
    person = proven(request)
    if person is None:
        return see_other(one(request_id_of(request)))
    signed = request.query_params.get("signed") == "1"
    try:
        content, task = await document_of(
            web_context(request).runtime, request_id_of(request), person.party, signed=signed
        )
    except NotFound:
        return await _not_a_signer(request)
    return document_response(content, task, signed=signed)


async def sign(request: Request, form: FormData) -> Response:
    request_id = request_id_of(request)
    person = proven(request)
    if person is None:
        return see_other(one(request_id))
    try:
        await sign_document(web_context(request).runtime, request_id, person.party, proven_name=person.name)
    except (NotFound, NotPermitted):
        return await _not_a_signer(request)
    except Conflict:
        flash(request, "signing.not_now")
        return see_other(one(request_id))
    flash(request, "signing.signed_now")
    return see_other(one(request_id))

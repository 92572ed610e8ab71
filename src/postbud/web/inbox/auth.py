"""Signing in and out of the inbox, and stepping up to a higher authentication level."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from postbud.domain.documents import AuthenticationLevel
from postbud.web.context import web_context
from postbud.web.csrf import rotate_csrf_token
from postbud.web.i18n import SESSION_KEY as LANGUAGE_KEY
from postbud.web.inbox import paths
from postbud.web.navigation import see_other
from postbud.web.sandbox_signin import STEP_UP_FIELD
from postbud.web.signin import Identity, SignInFailed, remember, signed_in


def _level(raw: str | None) -> AuthenticationLevel:
    try:
        return AuthenticationLevel(raw or AuthenticationLevel.PASSWORD.value)
    except ValueError:
        return AuthenticationLevel.PASSWORD


def _fresh_session(request: Request, identity: Identity | None) -> None:
    """A new session for a new person: only the language survives; a new CSRF token is issued."""
    language = request.session.get(LANGUAGE_KEY)
    request.session.clear()
    if language is not None:
        request.session[LANGUAGE_KEY] = language
    if identity is not None:
        remember(request, identity)
    rotate_csrf_token(request)


async def sign_in_page(request: Request) -> Response:
    next_url = paths.safe_next(request.query_params.get("next"))
    if signed_in(request) is not None:
        return see_other(next_url)
    return await web_context(request).sign_in.begin(
        request, next_url=next_url, level=AuthenticationLevel.PASSWORD
    )


async def sign_in(request: Request, form: FormData) -> Response:
    web = web_context(request)
    next_url = paths.safe_next(str(form.get("next") or ""))
    answer = {key: value for key, value in form.items() if isinstance(value, str) and key != STEP_UP_FIELD}
    try:
        identity = await web.sign_in.finish(request, answer)
    except SignInFailed:
        problem = web.pages.text(request, "signin.failed")
        return await web.sign_in.begin(
            request, next_url=next_url, level=AuthenticationLevel.PASSWORD, problem=problem
        )
    _fresh_session(request, identity)
    return see_other(next_url)


async def step_up_page(request: Request) -> Response:
    next_url = paths.safe_next(request.query_params.get("next"))
    if signed_in(request) is None:
        return see_other(paths.sign_in(next_url))
    level = _level(request.query_params.get("level"))
    return await web_context(request).sign_in.begin(request, next_url=next_url, level=level)


async def step_up(request: Request, form: FormData) -> Response:
    web = web_context(request)
    next_url = paths.safe_next(str(form.get("next") or ""))
    current = signed_in(request)
    if current is None:
        return see_other(paths.sign_in(next_url))
    answer = {key: value for key, value in form.items() if isinstance(value, str)}
    answer[STEP_UP_FIELD] = "1"
    try:
        identity = await web.sign_in.finish(request, answer)
    except SignInFailed:
        problem = web.pages.text(request, "signin.failed")
        return await web.sign_in.begin(
            request, next_url=next_url, level=_level(answer.get("level")), problem=problem
        )
    if identity.recipient_id != current.recipient_id:
        return await web.sign_in.begin(request, next_url=next_url, level=identity.level)
    _fresh_session(request, identity)
    return see_other(next_url)


async def sign_out(request: Request, form: FormData) -> Response:
    _fresh_session(request, None)
    return see_other(paths.SIGN_IN)

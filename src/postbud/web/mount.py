"""Mounting the web pages on Postbud's app: the home page at /, static files at /static, the
recipient inbox at /inbox, the operator console at /console."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.routing import Route

from postbud.config import Settings
from postbud.services.runtime import Runtime
from postbud.web.console.app import create_console_app
from postbud.web.console.capture_texts import CAPTURE_TEXTS
from postbud.web.console.edi_texts import EDI_TEXTS
from postbud.web.console.reset_texts import RESET_TEXTS
from postbud.web.console.texts import CONSOLE_TEXTS
from postbud.web.console.webhook_texts import WEBHOOK_TEXTS
from postbud.web.context import WebContext
from postbud.web.e_id import EId, SandboxEId, UnavailableEId
from postbud.web.home import create_home_app
from postbud.web.home_facts import Deployment
from postbud.web.home_texts import HOME_TEXTS
from postbud.web.i18n import Catalogue
from postbud.web.inbox.app import create_inbox_app
from postbud.web.inbox.texts import INBOX_TEXTS
from postbud.web.request_bin import BIN_PATH, request_bin_app
from postbud.web.sandbox_signin import SandboxSignIn, UnavailableSignIn
from postbud.web.signin import SignIn
from postbud.web.templating import Pages
from postbud.web.texts import COMMON_TEXTS
from postbud.web.webapp import static_app


def build_web_context(settings: Settings, runtime_of: Callable[[], Runtime]) -> WebContext:
    sign_in: SignIn = SandboxSignIn() if settings.sandbox else UnavailableSignIn()
    e_id: EId = SandboxEId() if settings.sandbox else UnavailableEId()
    pages = Pages(
        Catalogue(
            COMMON_TEXTS,
            INBOX_TEXTS,
            CONSOLE_TEXTS,
            WEBHOOK_TEXTS,
            CAPTURE_TEXTS,
            RESET_TEXTS,
            HOME_TEXTS,
            EDI_TEXTS,
        ),
        zone=settings.regional().zone,
    )
    return WebContext(settings=settings, runtime_of=runtime_of, pages=pages, sign_in=sign_in, e_id=e_id)


def mount_web(
    app: Starlette,
    settings: Settings,
    runtime_of: Callable[[], Runtime],
    deployment: Deployment | None = None,
) -> WebContext:
    """``deployment``: what the home page at ``/`` shows; without it there is no home page."""
    context = build_web_context(settings, runtime_of)
    if deployment is not None:
        # One route, not a mount at "/": every other path stays the app's (an API's 404 stays JSON).
        app.router.routes.append(Route("/", create_home_app(context, deployment), methods=["GET"]))
    app.mount("/static", static_app(), name="static")
    app.mount("/inbox", create_inbox_app(context), name="inbox")
    app.mount("/console", create_console_app(context), name="console")
    if settings.sandbox:
        app.mount(BIN_PATH, request_bin_app(runtime_of), name="request_bins")
    return context

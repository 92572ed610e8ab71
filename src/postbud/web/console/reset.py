"""Resetting the sandbox from the console: one form, confirmed by a tick, CSRF-checked like every post.

It calls ``services/sandbox/reset.py`` (as ``postbud reset`` and ``POST /api/v1/sandbox/reset`` do):
every letter and its history go; the population and the sandbox credentials stay unless asked.
"""

from __future__ import annotations

from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from postbud.domain.errors import NotPermitted
from postbud.services.sandbox.reset import Population, reset_sandbox
from postbud.web.console import paths
from postbud.web.console.guard import admin_action, admin_page
from postbud.web.console.render import flash, page
from postbud.web.context import web_context
from postbud.web.forms import form_route, text_field
from postbud.web.navigation import see_other

CONFIRMED: Final = "yes"
_TICKED: Final = "on"


async def reset_page(request: Request) -> Response:
    return page(request, "console/reset.html", {"section": "reset"})


async def reset(request: Request, form: FormData) -> Response:
    if text_field(form, "confirm", max_length=10) != CONFIRMED:
        flash(request, "console.reset_unconfirmed", error=True)
        return see_other(paths.RESET)
    reseed = text_field(form, "reseed", max_length=10) == _TICKED
    new_credentials = text_field(form, "new_credentials", max_length=10) == _TICKED
    try:
        outcome = await reset_sandbox(
            web_context(request).runtime,
            population=Population.RESEED if reseed else Population.KEEP,
            keep_credentials=not new_credentials,
        )
    except NotPermitted:
        flash(request, "console.sandbox_only", error=True)
        return see_other(paths.RESET)
    flash(
        request,
        "console.reset_done",
        letters=str(outcome.letters_deleted),
        files=str(outcome.blobs_deleted),
        population=web_context(request).pages.text(
            request, "console.reset_population_reseeded" if reseed else "console.reset_population_kept"
        ),
        credentials=web_context(request).pages.text(
            request,
            "console.reset_credentials_kept" if outcome.credentials_kept else "console.reset_credentials_new",
        ),
    )
    return see_other(paths.RESET)


def reset_routes() -> list[BaseRoute]:
    """Relative to the console's root, like its other routes."""
    return [
        Route("/reset", admin_page(reset_page), methods=["GET"]),
        form_route("/reset", admin_action(reset)),
    ]

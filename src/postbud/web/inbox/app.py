"""The inbox's routes. Every POST is a ``form_route`` (CSRF-checked); letter routes need sign-in."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route

from postbud.web.context import WebContext
from postbud.web.forms import form_route, upload_limit
from postbud.web.inbox import (
    auth,
    business,
    e_signing,
    files,
    letter,
    listing,
    paths,
    payment,
    samples,
    sharing,
    signing,
)
from postbud.web.inbox.guard import signed_in_action, signed_in_page
from postbud.web.webapp import web_app

_LETTER = "/letters/{letter_id:uuid}"
_DOCUMENT = _LETTER + "/documents/{document_id:uuid}"


def inbox_routes() -> list[BaseRoute]:
    return [
        Route("/", signed_in_page(listing.inbox_page), methods=["GET"]),
        Route("/sign-in", auth.sign_in_page, methods=["GET"]),
        form_route("/sign-in", auth.sign_in),
        form_route("/sign-out", auth.sign_out),
        Route("/step-up", auth.step_up_page, methods=["GET"]),
        form_route("/step-up", auth.step_up),
        Route(_LETTER, signed_in_page(letter.letter_page), methods=["GET"]),
        form_route(_LETTER + "/open", signed_in_action(letter.accept_receipt)),
        form_route(_LETTER + "/archive", signed_in_action(letter.archive)),
        form_route(_LETTER + "/unarchive", signed_in_action(letter.unarchive)),
        form_route(_LETTER + "/confirm", signed_in_action(business.confirm)),
        form_route(_LETTER + "/delete", signed_in_action(business.delete)),
        form_route(_LETTER + "/pay", signed_in_action(payment.pay)),
        form_route(_LETTER + "/share", signed_in_action(sharing.share), max_bytes=upload_limit),
        form_route(_LETTER + "/withdraw", signed_in_action(sharing.withdraw)),
        Route(_LETTER + "/calendar.ics", signed_in_page(files.calendar_download), methods=["GET"]),
        Route(_DOCUMENT, signed_in_page(files.download), methods=["GET"]),
        Route(_DOCUMENT + "/pages/{page:int}.png", signed_in_page(files.page_png), methods=["GET"]),
        form_route("/sandbox/sample-letters", signed_in_action(samples.send_samples)),
        Route("/signing", signed_in_page(signing.list_page), methods=["GET"]),
        Route(signing.ONE.removeprefix(paths.ROOT), signed_in_page(signing.signing_page), methods=["GET"]),
        Route(
            signing.ONE.removeprefix(paths.ROOT) + "/document",
            signed_in_page(signing.download),
            methods=["GET"],
        ),
        form_route(signing.ONE.removeprefix(paths.ROOT) + "/sign", signed_in_action(signing.sign)),
        Route(e_signing.ONE.removeprefix(paths.ROOT), e_signing.signing_page, methods=["GET"]),
        form_route(e_signing.ONE.removeprefix(paths.ROOT) + "/e-id", e_signing.prove),
        form_route(e_signing.ONE.removeprefix(paths.ROOT) + "/log-out", e_signing.log_out),
        Route(e_signing.ONE.removeprefix(paths.ROOT) + "/document", e_signing.download, methods=["GET"]),
        form_route(e_signing.ONE.removeprefix(paths.ROOT) + "/sign", e_signing.sign),
    ]


def create_inbox_app(context: WebContext) -> Starlette:
    return web_app(context, inbox_routes())

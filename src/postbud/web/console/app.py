"""The console's routes. Every page needs the admin; every POST is a ``form_route`` (CSRF-checked)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route

from postbud.web.console import auth, clock, dashboard, faults, feed, letters, printing, webhooks
from postbud.web.console.captures import capture_routes
from postbud.web.console.edi import edi_routes
from postbud.web.console.guard import admin_action, admin_data, admin_page
from postbud.web.console.reset import reset_routes
from postbud.web.console.state import ConsoleState
from postbud.web.context import WebContext
from postbud.web.forms import form_route
from postbud.web.webapp import web_app

_LETTER = "/letters/{shipment_id:uuid}"
_PRINT = "/print/{shipment_id:uuid}"


def console_routes() -> list[BaseRoute]:
    return [
        Route("/", admin_page(dashboard.dashboard), methods=["GET"]),
        Route("/sign-in", auth.sign_in_page, methods=["GET"]),
        form_route("/sign-in", auth.sign_in),
        form_route("/sign-out", auth.sign_out),
        Route("/feed/stream", admin_data(feed.feed_stream), methods=["GET"]),
        Route("/activity", admin_data(dashboard.activity_fragment), methods=["GET"]),
        Route("/letters", admin_page(letters.search), methods=["GET"]),
        Route(_LETTER, admin_page(letters.letter_page), methods=["GET"]),
        form_route(_LETTER + "/run-now", admin_action(letters.run_now)),
        form_route(_LETTER + "/print-again", admin_action(letters.print_again)),
        Route("/print", admin_page(printing.queue), methods=["GET"]),
        Route(_PRINT, admin_page(printing.letter), methods=["GET"]),
        Route(_PRINT + "/print.pdf", admin_data(printing.pdf), methods=["GET"]),
        Route(_PRINT + "/pages/{page:int}.png", admin_data(printing.page_png), methods=["GET"]),
        *webhooks.webhook_routes(),
        Route("/faults", admin_page(faults.faults_page), methods=["GET"]),
        form_route("/faults/channel", admin_action(faults.set_channel)),
        form_route("/faults/webhook", admin_action(faults.set_webhook)),
        form_route("/faults/clear", admin_action(faults.clear)),
        *capture_routes(),
        *edi_routes(),
        *reset_routes(),
        Route("/clock", admin_page(clock.clock_page), methods=["GET"]),
        form_route("/clock/advance", admin_action(clock.advance)),
        form_route("/clock/reset", admin_action(clock.reset)),
    ]


def create_console_app(context: WebContext) -> Starlette:
    app = web_app(context, console_routes())
    app.state.console = ConsoleState(admin_token=context.settings.resolved_admin_token())
    return app

"""The Ekopost dialect as an ASGI app: mounted at ``/ekopost`` and, for clients with hard-coded
root paths, at the root of a port of its own (``postbud serve --ekopost-port``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from postbud.dialects.ekopost import campaigns, content, directory, edi, envelopes, reachable, sms
from postbud.dialects.ekopost.auth import authenticate
from postbud.dialects.ekopost.collapsed_slashes import CollapsedSlashes
from postbud.dialects.ekopost.context import Call, RuntimeOf
from postbud.dialects.ekopost.errors import EkopostError, from_domain, not_implemented
from postbud.dialects.ekopost.render import error_response
from postbud.dialects.ekopost.wire_in import refuse_nul_in_query
from postbud.domain.errors import DomainError

log = structlog.get_logger(__name__)
Handler = Callable[[Call, Request], Awaitable[Response]]


def _guarded(runtime_of: RuntimeOf, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Authenticate, then answer every failure in Ekopost's error format; never a 500 for a client's
    mistake (a 500 only for Postbud's own, logged)."""

    async def endpoint(request: Request) -> Response:
        try:
            runtime = runtime_of()
            sender = await authenticate(runtime, request)
            refuse_nul_in_query(request)
            return await handler(Call(runtime, sender), request)
        except EkopostError as exc:
            return error_response(exc)
        except DomainError as exc:
            return error_response(from_domain(exc))
        except Exception:
            log.exception("ekopost request failed")
            error = EkopostError("127", "an unexpected error occurred in Postbud; see the server log", 500)
            return error_response(error)

    return endpoint


async def _not_implemented(call: Call, request: Request) -> Response:
    raise not_implemented(f"{request.method} {request.url.path}")


_CAMPAIGN = "/campaigns/{campaign_id}"
_ENVELOPE = _CAMPAIGN + "/envelopes/{envelope_id}"


def create_ekopost_app(runtime_of: RuntimeOf) -> Starlette:
    def route(path: str, handler: Handler, method: str) -> Route:
        return Route(path, _guarded(runtime_of, handler), methods=[method])

    # Guarded (every failure answered in Ekopost's format) and body-limited: fit for a direct lane.
    direct = [
        route(_CAMPAIGN + "/envelopes", envelopes.create, "POST"),
        route(_ENVELOPE + "/close", envelopes.close, "POST"),
        route(_ENVELOPE + "/content", content.create, "POST"),
    ]
    routes = [
        route("/campaigns", campaigns.create, "POST"),
        route("/campaigns", campaigns.list_, "GET"),
        route(_CAMPAIGN, campaigns.get, "GET"),
        route(_CAMPAIGN + "/close", campaigns.close, "POST"),
        route(_CAMPAIGN + "/cancel", campaigns.cancel, "POST"),
        direct[0],
        route(_CAMPAIGN + "/envelopes", envelopes.list_, "GET"),
        route(_CAMPAIGN + "/envelopes/failed", envelopes.list_failed, "GET"),
        route(_CAMPAIGN + "/failedenvelopes", envelopes.list_failed, "GET"),
        route(_ENVELOPE, envelopes.get, "GET"),
        direct[1],
        route(_ENVELOPE + "/cancel", envelopes.cancel, "POST"),
        direct[2],
        route(_ENVELOPE + "/content/{content_id}", content.get, "GET"),
        route("/reachable/einvoiceready", reachable.einvoice_ready, "POST"),
        *(
            route(path, handler, method)
            for path, handler in (
                ("/reachable/peppol", directory.peppol_lookup),
                ("/reachable/peppollookup", directory.peppol_lookup),
                ("/reachable/ebank/list", directory.ebank_receivers),
                ("/reachable/ebanklist", directory.ebank_receivers),
            )
            for method in ("GET", "POST")
        ),
        route("/sms", sms.send, "POST"),
        route("/sms/{sms_id}", sms.poll, "GET"),
        route("/edi/sender", edi.create_sender, "POST"),
        route("/edi/senders", edi.create_sender, "POST"),
        route("/edi/invitations", edi.invitations, "GET"),
        route("/edi/invitations", edi.update_invitations, "POST"),
        route("/edi/invitations/update", edi.update_invitations, "POST"),
        route("/edi/invitations", edi.update_invitations, "PUT"),
        route("/reachable/{type}", reachable.reachable, "POST"),
        route("/reachable/{type}", reachable.reachable, "GET"),
        Route(
            "/{rest:path}",
            _guarded(runtime_of, _not_implemented),
            methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
        ),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(CollapsedSlashes)])
    app.state.direct_routes = direct
    return app

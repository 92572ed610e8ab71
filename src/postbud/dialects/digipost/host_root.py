"""Digipost paths the real clients send to the host root, whatever path their base URL has.

The Java client resolves ``/``, ``/{senderId}``, ``/documents/{senderId}/{uuid}/status`` and (before
the entrypoint had a ``create_or_activate_user_account`` link) ``/{senderId}/user-accounts`` against
its base URL; .NET's entrypoint URI is the relative ``/`` or ``/{senderId}``, which its HttpClient
combines with the base address the same way. An absolute path replaces the base URL's own path, so
with the dialect mounted at ``/digipost`` these requests arrive at the host root. They go to the
dialect app, which signs each answer over the path the client requested; the links in its entrypoint
still point at the mounted ``/digipost/...`` URLs.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Scope

_USER_ID_HEADER = b"x-digipost-userid"


class DigipostApiRoute(Route):
    """Matches only requests that carry ``X-Digipost-UserId``, as every Java and .NET request does;
    anything else (a browser asking for ``/``) goes on to the routes after it."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not any(name == _USER_ID_HEADER for name, _ in scope["headers"]):
            return Match.NONE, {}
        return super().matches(scope)


def host_root_routes(digipost: ASGIApp) -> list[BaseRoute]:
    return [
        Route("/documents/{sender_id}/{uuid}/status", digipost, methods=["GET"]),
        DigipostApiRoute("/", digipost, methods=["GET"]),
        DigipostApiRoute("/{sender_id:int}", digipost, methods=["GET"]),
        DigipostApiRoute("/{sender_id:int}/user-accounts", digipost, methods=["POST"]),
    ]

"""Empty path segments dropped before routing: a client that joins a base URL ending in ``/`` with
``/campaigns`` sends ``//campaigns`` (eduID's client does, through Hammock, when its configured
Ekopost URL ends in a slash). Accepting it is in the spirit of the rest of the dialect: liberal in what
it takes, as published clients send it."""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

_RUNS_OF_SLASHES = re.compile(r"/{2,}")
_RUNS_OF_SLASHES_BYTES = re.compile(rb"/{2,}")


class CollapsedSlashes:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "//" in scope["path"]:
            scope = dict(scope)
            scope["path"] = _RUNS_OF_SLASHES.sub("/", scope["path"])
            raw_path = scope.get("raw_path")
            if isinstance(raw_path, bytes):
                scope["raw_path"] = _RUNS_OF_SLASHES_BYTES.sub(b"/", raw_path)
        await self.app(scope, receive, send)

"""Before a request is handled, adopt the sandbox clock and faults that any process stored.

The refresh reads the database at most once a second per process (``Runtime.refresh_shared_settings``),
so a letter sent right after an operator moved the clock or injected a fault sees the change,
on whichever node it arrives.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from postbud.services.runtime import Runtime


class SharedSettingsMiddleware:
    def __init__(self, app: ASGIApp, runtime_of: Callable[[], Runtime | None]) -> None:
        self.app = app
        self.runtime_of = runtime_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (runtime := self.runtime_of()) is not None:
            await runtime.refresh_shared_settings()
        await self.app(scope, receive, send)

"""A real HTTP receiver for webhook tests: records each request as it came (checking nothing
itself), answers 500 to the first ``fail_first[hook]`` requests of a hook, and can answer with a
large body, so a test sees what Postbud logs of a response."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.integration.sdk_live_server import loopback_listener, serving

FAILURE_TEXT = "down for a moment"


@dataclass(frozen=True)
class Arrival:
    hook: str
    headers: dict[str, str]
    """Lower-case names."""
    body: bytes
    failed: bool
    """Answered 500 (the receiver was "down")."""


@dataclass
class HookReceiver:
    base_url: str = ""
    arrivals: list[Arrival] = field(default_factory=list)
    fail_first: dict[str, int] = field(default_factory=dict)
    answer_bytes: int = 0
    """Answer each successful request with a body of this many bytes ("x" repeated)."""

    def url(self, hook: str) -> str:
        return f"{self.base_url}/hooks/{hook}"

    def at(self, hook: str) -> list[Arrival]:
        return [a for a in self.arrivals if a.hook == hook]

    async def endpoint(self, request: Request) -> Response:
        hook = request.path_params["hook"]
        body = await request.body()
        failing = self.fail_first.get(hook, 0) > 0
        self.arrivals.append(Arrival(hook, {k.lower(): v for k, v in request.headers.items()}, body, failing))
        if failing:
            self.fail_first[hook] -= 1
            return Response(FAILURE_TEXT, status_code=500, headers={"x-receiver": "failing"})
        if self.answer_bytes:
            return Response(b"x" * self.answer_bytes, status_code=200, media_type="text/plain")
        return Response(status_code=204, headers={"x-receiver": "ok"})


@contextmanager
def hook_receiver() -> Iterator[HookReceiver]:
    receiver = HookReceiver()
    app = Starlette(routes=[Route("/hooks/{hook}", receiver.endpoint, methods=["POST"])])
    listener, receiver.base_url = loopback_listener()
    with serving(app, listener, lifespan="off", timeout_graceful_shutdown=1):
        yield receiver

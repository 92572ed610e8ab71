"""A real HTTP receiver for webhook tests that checks nothing itself: it records each request as it
came, so a test verifies the signature independently of Postbud's own signing code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.integration.sdk_live_server import loopback_listener, serving


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingReceiver:
    base_url: str = ""
    received: list[ReceivedRequest] = field(default_factory=list)
    fail_next: int = 0
    """Answer 500 to this many requests first."""

    def url(self, hook: str) -> str:
        return f"{self.base_url}/hooks/{hook}"

    def at(self, hook: str) -> list[ReceivedRequest]:
        return [r for r in self.received if r.path == f"/hooks/{hook}"]

    async def endpoint(self, request: Request) -> Response:
        body = await request.body()
        self.received.append(
            ReceivedRequest(request.url.path, {k.lower(): v for k, v in request.headers.items()}, body)
        )
        if self.fail_next > 0:
            self.fail_next -= 1
            return Response("down for a moment", status_code=500)
        return Response(status_code=204)


@contextmanager
def recording_receiver() -> Iterator[RecordingReceiver]:
    receiver = RecordingReceiver()
    app = Starlette(routes=[Route("/hooks/{hook}", receiver.endpoint, methods=["POST"])])
    listener, receiver.base_url = loopback_listener()
    with serving(app, listener, lifespan="off", timeout_graceful_shutdown=1):
        yield receiver

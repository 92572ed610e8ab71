"""The whole Postbud app on a loopback port (uvicorn, one job worker, SQLite and PostgreSQL) for the
Ekopost SDK's tests: real HTTP, as a customer's program would reach it.

The customer, the other customer and the recipients are the Ekopost dialect's own test set
(``test_ekopost_fixtures``). ``live.run`` awaits a core service on the server's event loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from postbud.app import create_app
from postbud.config import Settings
from postbud.sdk.ekopost import EkopostClient, Envelope
from postbud.services.runtime import Runtime
from tests.integration.sdk_live_server import loopback_listener, run_on_loop, run_with_runtime, serving
from tests.integration.test_ekopost_fixtures import CUSTOMER_ORGNR, _prepare

T = TypeVar("T")
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class _LoopRecorder:
    """The app, noting the event loop it runs on (the lifespan call comes first)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.loop = asyncio.get_running_loop()
        await self.app(scope, receive, send)


@dataclass
class LiveEkopost:
    root_url: str
    api_key: str
    other_api_key: str
    app: _LoopRecorder
    orgnr: str = CUSTOMER_ORGNR

    @property
    def base_url(self) -> str:
        """Where the dialect is mounted: ``http://127.0.0.1:PORT/ekopost/``."""
        return self.root_url + "/ekopost/"

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.app.state.runtime
        return runtime

    def client(self, api_key: str | None = None) -> EkopostClient:
        return EkopostClient(self.base_url, api_key or self.api_key, timeout=30)

    def run(self, function: Callable[[], Awaitable[T]]) -> T:
        """``await function()`` on the server's own event loop, from the test thread."""
        assert self.app.loop is not None
        return run_on_loop(self.app.loop, function)


@pytest.fixture
def live(tmp_path: Path, database_url: str) -> Iterator[LiveEkopost]:
    listener, url = loopback_listener()
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, workers=1, public_url=url)
    api_key, other_api_key = run_with_runtime(settings, _prepare)
    app = _LoopRecorder(create_app(settings))
    with serving(app, listener, lifespan="on"):
        yield LiveEkopost(url, api_key, other_api_key, app)


def wait_for_state(
    client: EkopostClient, campaign_id: str, envelope_id: str, *states: str, timeout: float = 60.0
) -> Envelope:
    """The envelope, once it is in one of ``states`` (the job worker moves it)."""
    deadline = time.monotonic() + timeout
    while True:
        envelope = client.get_envelope(campaign_id, envelope_id)
        if envelope.state in states:
            return envelope
        assert time.monotonic() < deadline, f"the envelope stayed {envelope.state}"
        time.sleep(0.1)


def test_the_live_dialect_answers_the_sdk(live: LiveEkopost) -> None:
    with live.client() as client:
        assert client.list_campaigns() == []

"""A real Postbud on a loopback port, for the tests that reach it as a client would (real HTTP,
real uvicorn): ``loopback_listener`` and ``serving`` for any app, ``run_with_runtime`` to set up its
world, and ``live_digipost``, the Digipost
dialect alone, module-scoped (one server per test module, shared by its tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate
from postbud.dialects.digipost.app import create_digipost_app
from postbud.sdk.digipost import DigipostConfig
from postbud.services.runtime import Runtime
from tests.integration.digipost_fixtures import BROKER, _prepare

T = TypeVar("T")


@dataclass
class LiveDigipost:
    base_url: str
    broker_id: int
    key_pem: bytes
    certificate_pem: bytes
    _state: dict[str, Any] = field(default_factory=dict)

    def config(self, **options: Any) -> DigipostConfig:
        return DigipostConfig.from_pem(self.broker_id, self.key_pem, base_url=self.base_url, **options)

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self._state["runtime"]
        return runtime

    def run(self, function: Callable[..., Awaitable[T]], *args: Any) -> T:
        """``await function(*args)`` on the server's own event loop, from the test thread."""
        return run_on_loop(self._state["loop"], function, *args)


def run_on_loop(loop: asyncio.AbstractEventLoop, function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """``await function(*args)`` on ``loop`` (a live server's), from the test thread."""

    async def call() -> T:
        return await function(*args)

    return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout=30)


def loopback_listener() -> tuple[socket.socket, str]:
    """A socket bound to a free loopback port, and the root URL a server on it answers at."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}"


@contextlib.contextmanager
def serving(app: Any, listener: socket.socket, **options: Any) -> Iterator[None]:
    """``app`` served by uvicorn on ``listener`` (in a thread) until the block ends; ``options`` go to
    ``uvicorn.Config``. The listener is closed after the server stops."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


def run_with_runtime(settings: Settings, work: Callable[[Runtime], Awaitable[T]]) -> T:
    """``await work(runtime)`` on a runtime of its own, built from ``settings`` and closed after, in a
    fresh event loop (not a live server's): to set up its world or change it from the test thread."""

    async def run() -> T:
        runtime = await build_runtime(settings)
        try:
            return await work(runtime)
        finally:
            await runtime.close()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def live_digipost(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDigipost]:
    listener, root_url = loopback_listener()

    key_pem, cert_pem = generate_test_key_and_certificate("Testkommune")
    settings = Settings(data_dir=tmp_path_factory.mktemp("live") / "data", workers=0, public_url=root_url)
    asyncio.run(_prepare(settings, cert_pem.decode()))
    live = LiveDigipost(root_url + "/digipost", BROKER, key_pem, cert_pem)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        live._state["runtime"] = await build_runtime(settings)
        live._state["loop"] = asyncio.get_running_loop()
        yield
        await live._state["runtime"].close()

    app = Starlette(lifespan=lifespan, routes=[Mount("/digipost", create_digipost_app(lambda: live.runtime))])
    # The dialect signs its own Date header; a second one from uvicorn would break verification.
    with serving(app, listener, date_header=False, server_header=False, lifespan="on"):
        yield live

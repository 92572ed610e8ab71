"""The dialect registry: Digipost is wired through it, and a dialect registered in a test (not in
app.py) gets its routes mounted, its startup run and its job kind run by the application's workers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount as StarletteMount
from starlette.routing import Route

from postbud.app import create_app, job_handlers
from postbud.config import Settings
from postbud.dialects.digipost.plugin import DigipostPlugin
from postbud.domain.sender_credentials import CredentialKind
from postbud.domain.webhook_formats import WebhookFormat
from postbud.jobs.handlers import core_handlers
from postbud.jobs.registry import JobHandler
from postbud.plugins.protocol import Credentials, Dialect, DialectRoutes, Mount, RuntimeOf
from postbud.plugins.registry import DIALECTS, DialectRegistry, default_dialects
from postbud.services.runtime import Runtime
from postbud.storage.job_kinds import WEBHOOK_DELIVER
from postbud.storage.repos.jobs import Job
from postbud.webhooks.formats import Renderer

ADMIN = {"Authorization": "Bearer test-admin-token"}


class ToyDialect:
    """A dialect of a few lines: one mounted app, one root route, a startup and one job kind."""

    name = "toy"
    credentials = Credentials(frozenset({CredentialKind.API_KEY}), "Authorization: toy-key KEY")

    def __init__(self, job_kind: str = "toy.ping") -> None:
        self.job_kind = job_kind
        self.started = False
        self.pings: list[str] = []

    def routes(self, runtime_of: RuntimeOf) -> DialectRoutes:
        async def ping(request: Request) -> Response:
            runtime = runtime_of()  # the running app's runtime reaches the dialect
            return JSONResponse({"dialect": self.name, "sandbox": runtime.settings.sandbox})

        async def root(request: Request) -> Response:
            return JSONResponse({"at": "root"})

        async def startup() -> None:
            self.started = True

        toy = Starlette(routes=[Route("/ping", ping)])
        return DialectRoutes(
            mounts=(Mount("/toy", toy),),
            root_routes=(Route("/toy-root", root),),
            own_port_app=toy,
            startup=startup,
        )

    def job_handlers(self) -> Mapping[str, JobHandler]:
        async def ping(job: Job, runtime: Runtime) -> None:
            self.pings.append(job.payload["text"])

        return {self.job_kind: JobHandler(ping)}

    def webhook_renderers(self) -> Mapping[WebhookFormat, Renderer]:
        return {}


def test_the_toy_satisfies_the_protocol() -> None:
    dialect: Dialect = ToyDialect()  # mypy checks the structural match
    assert dialect.name == "toy"


def test_digipost_is_registered_and_its_routes_are_mounted(tmp_path: Path, database_url: str) -> None:
    assert DigipostPlugin in DIALECTS
    assert "digipost" in [d.name for d in default_dialects().dialects]
    app = create_app(Settings(data_dir=tmp_path, database_url=database_url, admin_token="test-admin-token"))
    mounts = [r.path for r in app.router.routes if isinstance(r, StarletteMount)]
    assert "/digipost" in mounts
    # The send goes through the direct lane; the Java/.NET entrypoints answer at the host root.
    assert app._direct_routes.match("POST", "/digipost/messages") is not None  # type: ignore[attr-defined]
    root_paths = {getattr(r, "path", None) for r in app.router.routes}
    assert {"/", "/{sender_id:int}", "/documents/{sender_id}/{uuid}/status"} <= root_paths
    with TestClient(app) as client:
        for path in ("/digipost/", "/"):  # mounted, and at the host root for the Java/.NET clients
            entrypoint = client.get(path, headers={"X-Digipost-UserId": "100000"})
            assert entrypoint.status_code == 200, entrypoint.text
            assert entrypoint.headers["content-type"].startswith("application/vnd.digipost-v8+xml")


def test_a_registered_dialect_is_mounted_started_and_its_jobs_run(tmp_path: Path, database_url: str) -> None:
    toy = ToyDialect()
    registry = DialectRegistry([DigipostPlugin(), toy])
    settings = Settings(
        data_dir=tmp_path, database_url=database_url, admin_token="test-admin-token", workers=1
    )
    app = create_app(settings, dialects=registry)
    with TestClient(app) as client:
        assert toy.started
        assert client.get("/toy/ping").json() == {"dialect": "toy", "sandbox": settings.sandbox}
        assert client.get("/toy-root").json() == {"at": "root"}
        # The same app for a port of its own (as Ekopost's --ekopost-port serves it), at its root.
        with TestClient(app.state.dialect_port_apps["toy"]) as own_port:
            assert own_port.get("/ping").json()["dialect"] == "toy"
        assert client.get("/api/v1/senders", headers=ADMIN).status_code == 200  # the platform API still
        runtime: Runtime = app.state.runtime

        async def enqueue() -> None:
            async with runtime.unit_of_work() as uow:
                await uow.jobs.enqueue("toy.ping", {"text": "hei"}, now=runtime.clock.now(), max_attempts=3)
            runtime.jobs_available()

        client.portal.call(enqueue)  # type: ignore[union-attr]
        deadline = time.monotonic() + 30
        while not toy.pings:
            assert time.monotonic() < deadline, "the app's worker never ran the toy's job"
            client.portal.call(asyncio.sleep, 0.05)  # type: ignore[union-attr]
        assert toy.pings == ["hei"]


def test_a_dialect_answers_at_the_root_of_its_own_port(tmp_path: Path, database_url: str) -> None:
    toy = ToyDialect()
    settings = Settings(data_dir=tmp_path, database_url=database_url, admin_token="test-admin-token")
    app = create_app(settings, dialects=DialectRegistry([DigipostPlugin(), toy]), dialect_ports={"toy": 9099})
    own_port = "http://testserver:9099"
    with TestClient(app) as client:
        assert client.get(f"{own_port}/ping").json()["dialect"] == "toy"  # at the root, not under /toy
        assert client.get(f"{own_port}/api/v1/senders", headers=ADMIN).status_code == 404  # only the dialect
        answer = client.get(f"{own_port}/ping")
        assert {"date", "x-request-id"} <= answer.headers.keys()  # the application's middleware ran
        assert client.get("/toy/ping").json()["dialect"] == "toy"
        assert client.get("/api/v1/senders", headers=ADMIN).status_code == 200
    with pytest.raises(ValueError, match="no app for a port"):
        create_app(settings, dialect_ports={"digipost": 9098})


def test_job_handlers_hold_the_core_kinds_the_dialects_kinds_and_a_formatting_webhook_job() -> None:
    handlers = DialectRegistry([ToyDialect()]).job_handlers()
    assert set(core_handlers()) | {"toy.ping"} == set(handlers)
    assert handlers[WEBHOOK_DELIVER] is not core_handlers()[WEBHOOK_DELIVER]
    assert set(core_handlers()) <= set(job_handlers())  # what serve and worker run: the core's and more
    assert DialectRegistry([DigipostPlugin()]).job_handlers().keys() == core_handlers().keys()


def test_a_dialect_may_not_take_a_core_job_kind_or_a_name_twice() -> None:
    with pytest.raises(ValueError, match="is taken"):
        DialectRegistry([ToyDialect(job_kind="shipment.deliver")]).job_handlers()
    with pytest.raises(ValueError, match="registered twice"):
        DialectRegistry([ToyDialect(), ToyDialect()])

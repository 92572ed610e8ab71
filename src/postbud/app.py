"""The ASGI application: platform API, probes and metrics, with job workers in the same process.

The dialects (``postbud.plugins.registry``) and the web UIs mount their routes on the app this
factory returns; they reach storage and channels through ``app.state.runtime``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from importlib.metadata import PackageNotFoundError, version

import structlog
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.date_header import DateHeaderMiddleware
from postbud.direct_lane import PostbudApp
from postbud.jobs.pool import worker_pool
from postbud.jobs.registry import JobHandler
from postbud.jobs.worker import Worker
from postbud.observability import RequestContextMiddleware, configure_logging, ops_router
from postbud.platform_api import PREFIX, platform_router
from postbud.platform_api import resources as resources_api
from postbud.plugins.ports import DialectPorts, ports_to_apps
from postbud.plugins.registry import DialectRegistry, default_dialects
from postbud.services.retention.event_feed import schedule_event_feed_pruning
from postbud.services.runtime import Runtime
from postbud.shared_settings import SharedSettingsMiddleware
from postbud.web.api_docs import ApiDocs
from postbud.web.home_facts import Deployment, DialectDoor
from postbud.web.mount import mount_web

log = structlog.get_logger(__name__)


def _version() -> str:
    try:
        return version("postbud")
    except PackageNotFoundError:
        return "0+unknown"


def job_handlers(dialects: DialectRegistry | None = None) -> dict[str, JobHandler]:
    """Every job kind this deployment runs, the core's and the dialects': the one list ``serve`` and
    ``worker`` share."""
    return (dialects or default_dialects()).job_handlers()


async def is_empty(runtime: Runtime) -> bool:
    async with runtime.reader() as uow:
        return not await uow.senders.list() and await uow.recipients.count() == 0


async def seed_if_empty(runtime: Runtime) -> None:
    from postbud.services.sandbox.seed import FixedCredentials, sandbox_sender, seed

    if not await is_empty(runtime):
        if FixedCredentials.of(runtime.settings).any:  # configured after the folder was first seeded
            await sandbox_sender(runtime)
        return
    try:
        result = await seed(runtime)
    except IntegrityError:  # another node seeded the same folder at the same moment
        log.info("sandbox data was seeded by another process")
        return
    log.info(
        "seeded sandbox data",
        people=result.people_created,
        organisations=result.organisations_created,
        sender_credentials=str(runtime.settings.resolved_data_dir / "sandbox" / "sender.json"),
    )


@contextlib.asynccontextmanager
async def running_workers(
    runtime: Runtime, count: int, dialects: DialectRegistry | None = None
) -> AsyncIterator[list[Worker]]:
    """Run ``count`` workers until the block ends, then let each finish its current job
    (``jobs/pool.py``: with their entry in the worker registry)."""
    if count > 0:
        await schedule_event_feed_pruning(runtime)  # once a day whoever asks; each run queues the next
    async with worker_pool(runtime, job_handlers(dialects), count) as workers:
        yield workers


def create_app(
    settings: Settings | None = None,
    *,
    seed: bool = False,
    dialects: DialectRegistry | None = None,
    dialect_ports: Mapping[str, int] | None = None,
) -> FastAPI:
    """The app; ``seed`` fills an empty sandbox with synthetic data at startup. ``dialects``: the
    dialects to serve (default: every registered one). ``dialect_ports``: dialect name → a port the
    server also listens on, where that dialect answers at the root (``postbud serve --ekopost-port``)."""
    settings = settings or Settings()
    dialects = dialects or default_dialects()
    configure_logging(json_logs=settings.log_json)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await build_runtime(settings)
        app.state.runtime = runtime
        for startup in installed.startups:
            await startup()
        app.state.admin_token = settings.resolved_admin_token()
        try:
            await runtime.writer.start()
            if seed and settings.sandbox:
                await seed_if_empty(runtime)
            async with running_workers(runtime, settings.workers, dialects):
                log.info("postbud started", url=settings.resolved_public_url, workers=settings.workers)
                yield
        finally:
            await runtime.close()
            log.info("postbud stopped")

    def runtime_of() -> Runtime | None:
        return getattr(app.state, "runtime", None)  # None before the lifespan has started

    app = PostbudApp(
        runtime_of=runtime_of,
        title="Postbud",
        version=_version(),
        description="Postbud's platform API: senders, recipients, shipments and their events, jobs.",
        lifespan=lifespan,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,  # served by ApiDocs below, from the package rather than a CDN
        redoc_url=None,
    )
    # Mounted before the API routers: a send is routed at once, without matching every API route.
    installed = dialects.install(app, lambda: app.state.runtime)
    app.state.dialect_port_apps = installed.own_port_apps
    if dialect_ports:
        # Innermost, so the request context, shared settings and Date header apply on those ports too.
        app.add_middleware(DialectPorts, by_port=ports_to_apps(dialect_ports, installed.own_port_apps))
        for name, port in dialect_ports.items():
            app.add_direct_port(port, installed.own_port_direct_routes.get(name, ()))
    app.add_middleware(RequestContextMiddleware)
    app.include_router(ops_router)
    api_docs = ApiDocs(
        title=app.title,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=f"{PREFIX}/redoc",
    )
    app.router.routes.extend(api_docs.routes())
    app.include_router(platform_router())
    app.include_router(resources_api.router)  # the resource registry (Altinn), beside the platform API
    app.state.deployment = Deployment(
        version=app.version,
        doors=tuple(
            DialectDoor(
                d.name,
                installed.mount_paths.get(d.name, ()),
                (dialect_ports or {}).get(d.name),
                d.credentials.description,
            )
            for d in dialects.dialects
        ),
        docs_path=api_docs.docs_url,
        reference_path=api_docs.redoc_url,
        openapi_path=api_docs.openapi_url,
        api_path=PREFIX,
    )
    mount_web(app, settings, lambda: app.state.runtime, app.state.deployment)
    app.add_middleware(SharedSettingsMiddleware, runtime_of=runtime_of)
    app.add_middleware(DateHeaderMiddleware)
    return app

"""``postbud serve``: the whole post office (API, dialects, workers) in one or more processes."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from postbud.cli.options import DatabaseUrl, DataDir, console, make_settings

if TYPE_CHECKING:
    from postbud.config import Settings
    from postbud.services.sandbox.clock import ClockView
    from postbud.web.home_facts import Deployment


def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Interface to listen on.", show_default="127.0.0.1")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Port to listen on.", show_default="8080")
    ] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Job workers in this process.", show_default="2")
    ] = None,
    http_workers: Annotated[
        int,
        typer.Option(
            "--http-workers",
            min=1,
            help="HTTP server processes sharing the port (each with its own job workers).",
        ),
    ] = 1,
    public_url: Annotated[
        str | None, typer.Option("--public-url", help="The URL clients reach Postbud on.")
    ] = None,
    ekopost_port: Annotated[
        int | None,
        typer.Option("--ekopost-port", help="Also serve the Ekopost dialect at the root of this port."),
    ] = None,
    dialect_port: Annotated[
        list[str] | None,
        typer.Option(
            "--dialect-port",
            help="NAME=PORT: also serve the dialect NAME at the root of PORT (repeatable).",
        ),
    ] = None,
    no_seed: Annotated[bool, typer.Option("--no-seed", help="Do not seed an empty sandbox.")] = False,
    json_logs: Annotated[
        bool, typer.Option("--json", help="Log JSON lines instead of console text.")
    ] = False,
) -> None:
    """Run Postbud. An empty data folder is created, migrated and seeded with sandbox data."""
    import uvicorn

    from postbud.app import create_app
    from postbud.cli.http_processes import serve_in_processes
    from postbud.http.lenient_target_protocol import LenientTargetH11Protocol

    settings = make_settings(
        data_dir,
        database_url,
        host=host,
        port=port,
        workers=workers,
        public_url=public_url,
        log_json=True if json_logs else None,
    )
    ports = _dialect_ports(dialect_port or [], ekopost_port)
    if settings.port in ports.values():
        raise typer.BadParameter(f"port {settings.port} is the main port", param_hint="--dialect-port")
    options: dict[str, Any] = {
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "date_header": False,  # one Date only: see postbud.date_header
        "timeout_graceful_shutdown": 10,
        # httptools stops parsing at any "Upgrade" header and uvicorn then drops the request's body
        # (a POST with "Upgrade: h2c", as curl --http2 sends it, arrived empty); h11 ignores an
        # upgrade it does not take and reads the body. This protocol is h11's, also reading a request
        # target with letters outside ASCII (as Digipost's Java client sends a search for "Åse").
        "http": LenientTargetH11Protocol,
    }
    # Migrate and seed once, here, rather than racing in every process; the banner can then name
    # the sandbox sender's credentials even on the first start.
    clock = asyncio.run(_prepare(settings, seed=not no_seed))
    app = create_app(settings, seed=not no_seed, dialect_ports=ports)
    if not settings.log_json:
        _banner(settings, app.state.deployment, clock)
    if http_workers == 1 and not ports:
        config = uvicorn.Config(app, host=settings.host, port=settings.port, **options)
        uvicorn.Server(config).run()
        return
    code = serve_in_processes(
        partial(create_app, settings, dialect_ports=ports),
        host=settings.host,
        port=settings.port,
        processes=http_workers,
        options=options,
        more_ports=tuple(ports.values()),
    )
    raise typer.Exit(code)


def _dialect_ports(pairs: list[str], ekopost_port: int | None) -> dict[str, int]:
    """``--dialect-port NAME=PORT`` and ``--ekopost-port PORT`` as one name → port map."""
    ports: dict[str, int] = {}
    for pair in pairs:
        name, _, number = pair.partition("=")
        if not name.strip() or not number.strip().isdigit():
            raise typer.BadParameter(f"{pair!r} is not NAME=PORT", param_hint="--dialect-port")
        ports[name.strip()] = int(number)
    if ekopost_port is not None:
        ports["ekopost"] = ekopost_port
    if len(set(ports.values())) != len(ports):
        raise typer.BadParameter("each dialect needs a port of its own", param_hint="--dialect-port")
    return ports


async def _prepare(settings: Settings, *, seed: bool) -> ClockView:
    """Migrate, seed an empty sandbox, and read the sandbox clock for the banner."""
    from postbud.app import seed_if_empty
    from postbud.bootstrap import build_runtime
    from postbud.services.sandbox.clock import clock_view

    settings.resolved_admin_token()  # created once, before the processes read it
    runtime = await build_runtime(settings)
    try:
        if seed and settings.sandbox:
            await seed_if_empty(runtime)
        return await clock_view(runtime)
    finally:
        await runtime.close()


def _banner(settings: Settings, deployment: Deployment, clock: ClockView) -> None:
    from postbud.cli.banner import banner_lines
    from postbud.services.sandbox.shown_credentials import shown_credentials

    out = console(stderr=True)
    lines = banner_lines(settings, deployment, shown_credentials(settings), clock)
    out.print(f"[bold]{escape(lines[0])}[/]")
    for line in lines[1:]:
        out.print(escape(line))

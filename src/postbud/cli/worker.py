"""``postbud worker``: job workers without the API, to scale delivery out over more processes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from postbud.cli.options import DatabaseUrl, DataDir, make_settings

if TYPE_CHECKING:
    from postbud.config import Settings


def worker(
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, help="Workers in this process.")
    ] = 2,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    json_logs: Annotated[
        bool, typer.Option("--json", help="Log JSON lines instead of console text.")
    ] = False,
) -> None:
    """Run job workers until SIGTERM or SIGINT; each finishes its current job first."""
    import asyncio

    settings = make_settings(data_dir, database_url, log_json=True if json_logs else None)
    asyncio.run(_run(settings, concurrency))


async def _run(settings: Settings, concurrency: int) -> None:
    import asyncio
    import signal

    import structlog

    from postbud.app import running_workers
    from postbud.bootstrap import build_runtime
    from postbud.observability import configure_logging

    configure_logging(json_logs=settings.log_json)
    log = structlog.get_logger("postbud.worker")
    runtime = await build_runtime(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await runtime.writer.start()
        async with running_workers(runtime, concurrency):
            log.info(
                "workers started", count=concurrency, database=settings.resolved_database_url.split("@")[-1]
            )
            await stop.wait()
            log.info("stopping workers")
    finally:
        await runtime.close()

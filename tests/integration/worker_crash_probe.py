"""A ``postbud`` worker process for crash tests: its probe jobs mark when they start and when they end.

``python -m tests.integration.worker_crash_probe DATABASE_URL DATA_DIR LOG SECONDS`` runs two
workers with their entry in the worker registry until it is killed; each probe job appends
``start N PID`` to LOG, sleeps SECONDS, then appends ``done N PID``.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from pathlib import Path

from postbud.jobs.registry import JobHandler
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job

SLOW = "test.slow"


def _append(log_file: Path, line: str) -> None:
    fd = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def slow_handlers(log_file: Path, seconds: float) -> dict[str, JobHandler]:
    async def run(job: Job, runtime: Runtime) -> None:
        _append(log_file, f"start {job.payload['n']} {os.getpid()}\n")
        await asyncio.sleep(seconds)
        _append(log_file, f"done {job.payload['n']} {os.getpid()}\n")

    return {SLOW: JobHandler(run)}


def marks(log_file: Path, what: str) -> Counter[int]:
    """How often each job reached ``what`` (``start`` or ``done``)."""
    if not log_file.exists():
        return Counter()
    return Counter(
        int(line.split()[1]) for line in log_file.read_text().splitlines() if line.startswith(what + " ")
    )


async def _work(database_url: str, data_dir: str, log_file: str, seconds: float) -> None:
    from postbud.bootstrap import build_runtime
    from postbud.config import Settings
    from postbud.jobs.pool import worker_pool

    runtime = await build_runtime(Settings(data_dir=Path(data_dir), database_url=database_url, workers=0))
    async with worker_pool(runtime, slow_handlers(Path(log_file), seconds), 2):
        await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(_work(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))

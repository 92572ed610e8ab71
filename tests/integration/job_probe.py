"""A job handler whose every run leaves a visible mark: a line in a file, and a row."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from postbud.jobs.registry import JobHandler
from postbud.services.runtime import Runtime
from postbud.storage.repos.jobs import Job

PROBE = "test.probe"


def probe_handlers(log_file: Path, *, delay: float = 0.0) -> dict[str, JobHandler]:
    async def run(job: Job, runtime: Runtime) -> None:
        if delay:
            await asyncio.sleep(delay)
        line = f"{job.payload['n']} {os.getpid()}\n".encode()
        fd = os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    return {PROBE: JobHandler(run)}


WORKERS_PER_PROCESS = 2
BATCH = 5
MOST_IN_ONE_ROUND = WORKERS_PER_PROCESS * BATCH
"""A process may pass its share by this much less one: it checks its share between rounds."""


async def _work(database_url: str, data_dir: str, log_file: str, rounds: int, share: int) -> None:
    """Run probe jobs until ``rounds`` rounds in a row find none, or this process ran ``share``."""
    from postbud.bootstrap import build_runtime
    from postbud.config import Settings
    from postbud.jobs.worker import Worker

    runtime = await build_runtime(Settings(data_dir=Path(data_dir), database_url=database_url, workers=0))
    workers = [
        Worker(runtime, probe_handlers(Path(log_file)), batch=BATCH) for _ in range(WORKERS_PER_PROCESS)
    ]
    idle = ran = 0
    while idle < rounds and ran < share:
        claimed = sum(await asyncio.gather(*(w.run_once() for w in workers)))
        ran += claimed
        idle = 0 if claimed else idle + 1
        if not claimed:
            await asyncio.sleep(0.05)
    await runtime.close()


if __name__ == "__main__":
    asyncio.run(_work(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))

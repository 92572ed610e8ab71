"""``postbud`` with tracemalloc on, for finding what a soak's RSS grows by.

``python -m bench.soak_tracemalloc DIR serve …`` runs the ``postbud`` command (one HTTP process: the
server is this process) with tracemalloc tracing 8 frames; each ``SIGUSR2`` writes a snapshot to
``DIR/<pid>-<n>.snap``. ``bench.soak_memory --tracemalloc DIR`` starts the server this way, signals it
at every sample, and at the end prints what grew most between the sample after the first minute and
the last (``compare``). Tracing slows the server several times over: its rates mean nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import tracemalloc
from itertools import count
from pathlib import Path
from types import FrameType

FRAMES = 8


def install(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    numbers = count()
    tracemalloc.start(FRAMES)

    def dump(_signum: int, _frame: FrameType | None) -> None:
        tracemalloc.take_snapshot().dump(str(directory / f"{os.getpid()}-{next(numbers):04d}.snap"))

    signal.signal(signal.SIGUSR2, dump)


def compare(first: Path, last: Path, top: int = 25) -> str:
    """What grew between two snapshots, by the allocating line (with its callers), biggest first."""
    ignore = [
        tracemalloc.Filter(False, tracemalloc.__file__),
        tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"),
        tracemalloc.Filter(False, "<unknown>"),
    ]
    before = tracemalloc.Snapshot.load(str(first)).filter_traces(ignore)
    after = tracemalloc.Snapshot.load(str(last)).filter_traces(ignore)
    total = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    lines = [f"Python objects grew {total / 1024:,.0f} KiB between {first.name} and {last.name}:"]
    for stat in after.compare_to(before, "traceback")[:top]:
        lines.append(f"{stat.size_diff / 1024:+10,.1f} KiB {stat.count_diff:+8,d} objects")
        lines.extend(f"      {line}" for line in stat.traceback.format(limit=FRAMES, most_recent_first=True))
    return "\n".join(lines)


def main() -> None:
    directory, *command = sys.argv[1:]
    install(Path(directory))
    from postbud.cli import main as postbud

    sys.argv = ["postbud", *command]
    postbud()


if __name__ == "__main__":
    main()

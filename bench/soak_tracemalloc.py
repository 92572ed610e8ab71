"""``postbud`` with its memory probed, for finding what a soak's RSS grows by.

``python -m bench.soak_tracemalloc DIR serve …`` runs the ``postbud`` command (one HTTP process: the
server is this process); each ``SIGUSR2`` appends one JSON line to ``DIR/<pid>.jsonl`` with where the
process's memory is: SQLite's own (``sqlite3_memory_used``: page caches, statements), the C heap
(glibc ``mallinfo2``: in use, free but kept, mmapped), Python's allocated blocks and objects.
With ``POSTBUD_TRACEMALLOC=1`` it also traces Python allocations (8 frames) and writes a snapshot to
``DIR/<pid>-<n>.snap`` each time; ``compare`` prints what grew most between two. ``bench.soak_memory
--memory-probe DIR`` (or ``--tracemalloc DIR``) starts the server this way and signals it at every
sample. Tracing slows the server several times over: its rates mean nothing.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import tracemalloc
from itertools import count
from pathlib import Path
from types import FrameType

FRAMES = 8


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
            "keepcost",
        )
    ]  # fmt: skip


def where_memory_is() -> dict[str, int]:
    """Bytes by owner: SQLite, the C heap (in use, free but kept, mmapped), and Python's counts."""
    sqlite = ctypes.CDLL("libsqlite3.so.0")
    sqlite.sqlite3_memory_used.restype = ctypes.c_int64
    sqlite.sqlite3_memory_highwater.restype = ctypes.c_int64
    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = _MallInfo2
    heap = libc.mallinfo2()
    return {
        "sqlite_used": sqlite.sqlite3_memory_used(),
        "sqlite_highwater": sqlite.sqlite3_memory_highwater(0),
        "heap_in_use": heap.uordblks,
        "heap_free_kept": heap.fordblks,
        "heap_mmapped": heap.hblkhd,
        "python_blocks": sys.getallocatedblocks(),
        "python_objects": len(gc.get_objects()),
    }


def install(directory: Path, *, trace: bool) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    numbers = count()
    if trace:
        tracemalloc.start(FRAMES)

    def dump(_signum: int, _frame: FrameType | None) -> None:
        with (directory / f"{os.getpid()}.jsonl").open("a") as out:
            out.write(json.dumps(where_memory_is()) + "\n")
        if trace:
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
    install(Path(directory), trace=os.environ.get("POSTBUD_TRACEMALLOC") == "1")
    from postbud.cli import main as postbud

    sys.argv = ["postbud", *command]
    postbud()


if __name__ == "__main__":
    main()

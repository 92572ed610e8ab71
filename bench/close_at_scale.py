"""The close of a big campaign, in-process: wall time, CPU time and SQL statements of what the Ekopost
close runs (the envelope count and ``complete_batch``), on a copy of a ``bench.print_line_100k`` data
folder (``--work DIR`` keeps it) whose campaign is set back to opened with every letter held.

``nice -n 19 .venv/bin/python -m bench.close_at_scale --data DIR/data`` (docs/benchmarks.md). With the
tree of an older commit on ``PYTHONPATH`` (``git archive``) it times that commit's close, on a data
folder that tree made (a newer one's migrations are unknown to it): before the close queued its
release, the route read every envelope and the close released them in its request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event


def reopened_copy(data: Path, into: Path, campaign: str | None) -> uuid.UUID:
    """A copy of the data folder's database and keys (no blobs: the close reads none) with the campaign
    opened again and its letters held; the campaign's batch id."""
    into.mkdir(parents=True)
    for name in ("keys", "admin-token", "web-session-secret"):
        source = data / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        elif source.exists():
            shutil.copy2(source, into / name)
    (into / "blobs").mkdir()
    with sqlite3.connect(data / "postbud.db") as source, sqlite3.connect(into / "postbud.db") as copy:
        source.backup(copy)
    with sqlite3.connect(into / "postbud.db") as db:
        query = "SELECT id FROM batches WHERE dialect = 'ekopost' AND (? IS NULL OR external_id = ?)"
        batch_id = db.execute(query, (campaign, campaign)).fetchone()[0]
        db.execute("UPDATE shipments SET status = 'scheduled' WHERE batch_id = ?", (batch_id,))
        db.execute("UPDATE batches SET status = 'open', state = 'opened' WHERE id = ?", (batch_id,))
        db.execute("DELETE FROM jobs")
        db.execute("DELETE FROM print_batches")
    return uuid.UUID(batch_id)


async def timed_close(data: Path, batch_id: uuid.UUID) -> dict[str, Any]:
    from postbud.bootstrap import build_runtime
    from postbud.config import Settings
    from postbud.services.letters import batches

    runtime = await build_runtime(Settings(data_dir=data, workers=0))
    statements: list[str] = []
    engines = {runtime.database.write_engine.sync_engine, runtime.database.read_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(str(a[2])))
    wall, cpu = time.perf_counter(), time.process_time()
    if hasattr(batches, "letters_by_status"):
        envelopes = sum((await batches.letters_by_status(runtime, batch_id)).values())
    else:  # before the close queued its release: the route read every envelope
        from postbud.services.letters.batch_state import batch_overview

        overview = await batch_overview(runtime, batch_id)
        envelopes = overview.letter_count if overview else 0
    await batches.complete_batch(runtime, batch_id)
    result = {
        "envelopes": envelopes,
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "statements": len(statements),
    }
    await runtime.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, required=True, help="a print_line_100k run's data folder")
    parser.add_argument("--campaign", default=None, help="its campaign's id (default: the only one)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="postbud-close-"))
    try:
        batch_id = reopened_copy(args.data, work / "data", args.campaign)
        print(json.dumps({"batch": str(batch_id), **asyncio.run(timed_close(work / "data", batch_id))}))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The console's job backlog (and the ``postbud_jobs`` gauge) costs the same however many jobs ever
ran (issue 13 item 7): what waits, runs or failed is counted exactly, each status a walk of
``ix_jobs_status_run_at`` over that status alone; done jobs, which are kept and only grow, are counted
up to a bound. Query plans on SQLite and PostgreSQL, and the counts on real rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.repos.jobs import DONE_COUNTED_UP_TO, JobQueue, job_row

pytestmark = pytest.mark.anyio

START = datetime(2026, 1, 1, tzinfo=UTC)


def _jobs(status: str, count: int) -> list[dict[str, Any]]:
    rows = []
    for n in range(count):
        row = job_row("probe", {"n": n}, now=START, run_at=START + timedelta(seconds=n))
        rows.append({**row, "status": status})
    return rows


async def test_each_status_is_counted_down_its_index_and_done_up_to_a_bound(database: Database) -> None:
    statements: list[tuple[str, Any]] = []
    async with database.transaction() as conn:
        await conn.execute(schema.jobs.insert(), _jobs("done", 3_000) + _jobs("ready", 40) + _jobs("dead", 2))
        await conn.exec_driver_sql("ANALYZE")

        def capture(_c: Any, _cursor: Any, statement: str, parameters: Any, _x: Any, _many: bool) -> None:
            statements.append((statement, parameters))

        event.listen(conn.sync_engine, "before_cursor_execute", capture)
        try:
            counted = await JobQueue(conn).counts(done_up_to=100)
        finally:
            event.remove(conn.sync_engine, "before_cursor_execute", capture)
        plans = []
        for statement, parameters in statements:
            if conn.dialect.name == "sqlite":
                rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans.append("\n".join(str(tuple(row)[3]) for row in rows))
            else:
                await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
                await conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
                rows = await conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)
                plans.append("\n".join(str(row[0]) for row in rows))
        everything = await JobQueue(conn).counts()
    assert counted == {"ready": 40, "dead": 2, "done": 101}, "done: more than the bound, read as 101"
    assert everything == {"ready": 40, "dead": 2, "done": 3_000}, "below the default bound: exact"
    assert DONE_COUNTED_UP_TO >= 10_000
    assert len(plans) == 4
    for plan in plans:
        assert "ix_jobs_status_run_at" in plan, plan
        assert "Seq Scan" not in plan, plan
        assert "GROUP BY" not in plan.upper(), plan
        for line in plan.splitlines():
            assert not line.startswith("SCAN jobs"), plan

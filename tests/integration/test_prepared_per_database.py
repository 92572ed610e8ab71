"""The hot reads' statement cache: compiled once per database, a database's own, names checked at import."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import bindparam, select

from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.prepared_per_database import prepared_per_database
from postbud.storage.prepared_select import PreparedSelect

pytestmark = pytest.mark.anyio

_SENDER = select(schema.senders.c.id).where(schema.senders.c.id == bindparam("sender_id"))
_JOB = select(schema.jobs.c.id).where(schema.jobs.c.id == bindparam("job_id"))


@dataclass(frozen=True, slots=True)
class _Statements:
    sender: PreparedSelect
    job: PreparedSelect


async def test_each_database_compiles_its_statements_once_and_keeps_them_while_it_lives(
    tmp_path: Path,
) -> None:
    statements_of = prepared_per_database(_Statements, sender=_SENDER, job=_JOB)
    first = Database(f"sqlite+aiosqlite:///{tmp_path / 'first.db'}")
    second = Database(f"sqlite+aiosqlite:///{tmp_path / 'second.db'}")
    try:
        prepared = statements_of(first)
        assert statements_of(first) is prepared
        assert statements_of(second) is not prepared
        assert prepared.sender.sql == PreparedSelect(_SENDER, first.write_engine.sync_engine.dialect).sql
        assert prepared.job.sql == PreparedSelect(_JOB, first.write_engine.sync_engine.dialect).sql
        assert prepared.sender.sql != prepared.job.sql
    finally:
        await first.dispose()
        await second.dispose()
    gone = weakref.ref(first)
    del first, prepared
    gc.collect()
    assert gone() is None, "the cache does not keep a database (nor its statements) alive"


def test_a_name_the_statements_class_does_not_take_fails_where_it_is_declared() -> None:
    with pytest.raises(TypeError):
        prepared_per_database(_Statements, sender=_SENDER, jobs=_JOB)
    with pytest.raises(TypeError):
        prepared_per_database(_Statements, sender=_SENDER)

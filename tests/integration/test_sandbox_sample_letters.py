"""The sandbox's sample letters (one of each kind) are sent and stored with core datatype names."""

from __future__ import annotations

from sqlalchemy import select

from postbud.domain.datatypes import datatype_from_dict
from postbud.services.sandbox.sample_letters import SAMPLES, send_sample_letters
from postbud.storage import schema
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]


def test_every_sample_is_sent_and_its_datatype_stored_under_core_names(world: World) -> None:
    sent = world.run(send_sample_letters, world.runtime, world.ola.id)
    assert sent == len(SAMPLES)

    async def stored() -> list[dict[str, object]]:
        async with world.runtime.reader() as uow:
            rows = await uow.conn.execute(select(schema.documents.c.datatype))
            return [row[0] for row in rows if row[0]]  # a document without one: JSON null

    datatypes = world.run(stored)
    assert sorted(d["kind"] for d in datatypes) == sorted(s.kind for s in SAMPLES if s.kind)
    for datatype in datatypes:
        datatype_from_dict(str(datatype["kind"]), datatype)  # the domain forbids any other name
    notice = next(d for d in datatypes if d["kind"] == "verifiable-credential-notice")
    assert notice["credential_id"] == "KB-2026-0042"

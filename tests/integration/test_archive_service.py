"""The core's archive use cases on both backends: filters, paging, reference ids, deletion time,
and that content an archive still holds survives a letter's blobs being released."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from postbud.domain.archives import DocumentFilter, NewArchiveDocument
from postbud.domain.errors import Conflict, ValidationFailed
from postbud.domain.parties import Sender
from postbud.services.archive import archiving, changing, finding
from tests.integration.core_helpers import runtime_for

pytestmark = pytest.mark.anyio


def doc(reference: str, **attributes: str) -> NewArchiveDocument:
    return NewArchiveDocument(
        str(uuid.uuid4()),
        "pdf",
        f"innhold {reference} {attributes}".encode(),
        "application/pdf",
        reference_id=reference,
        attributes=tuple(attributes.items()),
    )


async def test_archive_on_both_backends(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = Sender(uuid.uuid4(), "Arkivkommune", "974760673", digipost_id=424242)
        async with runtime.unit_of_work() as uow:
            await uow.senders.add(sender, now=runtime.clock.now())
        docs = [doc("a", kunde="1", type="x"), doc("a", kunde="1", type="y"), doc("b", kunde="2")]
        archived = await archiving.archive_documents(runtime, sender.id, None, docs)
        archive_id = archived.archive.id

        both = await finding.archive_page(runtime, sender.id, archive_id, DocumentFilter((("kunde", "1"),)))
        assert sorted(d.external_id for d in both.documents) == sorted(d.external_id for d in docs[:2])
        one = DocumentFilter((("kunde", "1"), ("type", "y")))
        found = await finding.archive_page(runtime, sender.id, archive_id, one)
        assert [d.external_id for d in found.documents] == [docs[1].external_id]
        now = runtime.clock.now()
        later = DocumentFilter(archived_from=now + timedelta(days=1))
        assert (await finding.archive_page(runtime, sender.id, archive_id, later)).documents == []

        first = await finding.archive_page(runtime, sender.id, archive_id, DocumentFilter(), limit=2)
        assert len(first.documents) == 2
        assert first.next_after is not None
        rest = await finding.archive_page(
            runtime, sender.id, archive_id, DocumentFilter(), after=first.next_after, limit=2
        )
        assert len(rest.documents) == 1
        assert rest.next_after is None
        assert {d.id for d in first.documents}.isdisjoint({d.id for d in rest.documents})

        grouped = await finding.by_reference_id(runtime, sender.id, "a")
        assert [len(documents) for _, documents in grouped] == [2]

        with pytest.raises(Conflict):
            await archiving.archive_documents(runtime, sender.id, "Annet", [docs[0]])
        many = {f"k{i}": "v" for i in range(16)}
        with pytest.raises(ValidationFailed):
            await archiving.archive_documents(runtime, sender.id, None, [doc("c", **many)])

        expiring = NewArchiveDocument(
            str(uuid.uuid4()), "pdf", b"snart borte", deletion_at=now - timedelta(seconds=1)
        )
        await archiving.archive_documents(runtime, sender.id, None, [expiring])
        with pytest.raises(Exception, match="not found"):
            await finding.archived_document(runtime, sender.id, expiring.external_id)

        async with runtime.reader() as uow:
            kept = await uow.documents.referenced([archived.documents[0].sha256])
        assert kept == {archived.documents[0].sha256}

        await changing.delete_document(runtime, sender.id, docs[2].external_id)
        with pytest.raises(Exception, match="not found"):
            await finding.archived_document(runtime, sender.id, docs[2].external_id)
    finally:
        await runtime.close()

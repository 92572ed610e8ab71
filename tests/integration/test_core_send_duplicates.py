"""Typed duplicates and rule codes of the send path, on real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.documents import DocumentIdScope
from postbud.domain.errors import Conflict, ConflictCode, RuleCode, ValidationFailed
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import PrintInstructions
from postbud.services.letters.letter_request import DocumentInput
from postbud.services.letters.send_letter import send_letter
from postbud.storage import schema
from postbud.storage.errors import DuplicateKey, duplicate_key
from postbud.storage.repos.shipments import DOCUMENT_ID_TAKEN, LETTER_ID_TAKEN
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    pdf_document,
    runtime_for,
)
from tests.integration.core_send_helpers import count
from tests.real_pdf import real_pdf

pytestmark = pytest.mark.anyio


async def test_a_reused_letter_id_is_a_typed_duplicate_mapped_to_its_conflict(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await send_letter(letter(sender, external_id="m-1"), runtime)
    with pytest.raises(Conflict) as caught:
        await send_letter(letter(sender, external_id="m-1"), runtime)
    assert (caught.value.field, caught.value.code) == ("external_id", ConflictCode.DUPLICATE)
    cause = caught.value.__cause__
    assert isinstance(cause, DuplicateKey)
    assert isinstance(cause, IntegrityError), "code that only knows IntegrityError keeps working"
    assert (cause.constraint, cause.table) == (LETTER_ID_TAKEN, "shipments")

    # Racing requests share one group commit; only the offending one fails, with the same type.
    racing = await asyncio.gather(
        *(send_letter(letter(sender, external_id="m-2"), runtime) for _ in range(3)), return_exceptions=True
    )
    conflicts = [r for r in racing if isinstance(r, Conflict)]
    assert len(conflicts) == 2, racing
    assert all(isinstance(c.__cause__, DuplicateKey) for c in conflicts)
    assert await count(runtime, schema.shipments, external_id="m-2") == 1
    await runtime.close()


async def test_document_ids_are_unique_in_their_scope(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await send_letter(letter(sender, documents=(pdf_document("a", external_id="doc-1"),)), runtime)
    with pytest.raises(Conflict) as caught:
        await send_letter(letter(sender, documents=(pdf_document("b", external_id="doc-1"),)), runtime)
    assert (caught.value.field, caught.value.code) == ("documents.id", ConflictCode.DUPLICATE_DOCUMENT)
    assert isinstance(caught.value.__cause__, DuplicateKey)
    assert caught.value.__cause__.constraint == DOCUMENT_ID_TAKEN

    in_letter = DocumentInput(
        pdf_document("c").content,
        "pdf",
        "application/pdf",
        external_id="doc-1",
        id_scope=DocumentIdScope.LETTER,
    )
    first = await send_letter(letter(sender, documents=(in_letter,)), runtime)
    second = await send_letter(letter(sender, documents=(in_letter,)), runtime)
    assert first.shipment.primary.external_id == second.shipment.primary.external_id == "doc-1"
    async with runtime.reader() as uow:
        found = await uow.shipments.by_document_external_id(sender, "doc-1")
        assert found is not None
        assert found.primary.id_scope is DocumentIdScope.SENDER, "lookups by document id stay sender-wide"
    await runtime.close()


async def test_duplicate_key_names_the_constraint_outside_the_writer(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    row = {
        "id": uuid.uuid4(),
        "sender_id": sender,
        "dialect": "altinn",
        "idempotency_key": "k",
        "shipment_ids": [],
        "created_at": runtime.clock.now(),
    }
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(insert(schema.send_requests).values(row))
    with pytest.raises(IntegrityError) as caught:
        async with runtime.unit_of_work() as uow:
            await uow.conn.execute(insert(schema.send_requests).values({**row, "id": uuid.uuid4()}))
    found = duplicate_key(caught.value)
    assert found is not None
    assert (found.constraint, found.table) == (
        "uq_send_requests_sender_id_dialect_idempotency_key",
        "send_requests",
    )
    with pytest.raises(IntegrityError) as caught:
        async with runtime.unit_of_work() as uow:
            await uow.conn.execute(insert(schema.send_requests).values({**row, "idempotency_key": "other"}))
    found = duplicate_key(caught.value)
    assert found is not None
    assert found.constraint == "pk_send_requests"
    await runtime.close()


async def test_every_refusal_of_the_send_path_carries_its_rule_code(
    tmp_path: Path, database_url: str
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        workers=0,
        max_document_bytes=2000,
        max_attachments=1,
    )
    runtime = await build_runtime(settings)
    sender = await add_sender(runtime)
    await add_recipients(runtime)

    async def refused(**changes: object) -> tuple[str, str, RuleCode]:
        with pytest.raises(ValidationFailed) as caught:
            await send_letter(letter(sender, **changes), runtime)
        first = caught.value.first
        return first.field, first.rule, first.code

    pdf = pdf_document()
    assert await refused(documents=()) == (
        "documents",
        "a letter needs a primary document",
        RuleCode.REQUIRED,
    )
    assert (await refused(documents=(pdf, pdf_document("2"), pdf_document("3"))))[::2] == (
        "documents",
        RuleCode.TOO_MANY,
    )
    big = DocumentInput(real_pdf("x" * 3000), "pdf", "application/pdf")
    assert await refused(documents=(big,)) == ("documents[0]", "larger than 2000 bytes", RuleCode.TOO_LARGE)
    empty = DocumentInput(b"", "pdf", "application/pdf")
    assert await refused(documents=(empty,)) == ("documents[0]", "document is empty", RuleCode.EMPTY)
    twice = (pdf_document("a", external_id="x"), pdf_document("b", external_id="x"))
    assert (await refused(documents=twice))[::2] == ("documents[1].id", RuleCode.NOT_UNIQUE)
    long_title = DocumentInput(pdf.content, "pdf", "application/pdf", title="t" * 256)
    assert await refused(documents=(long_title,)) == (
        "documents[0].title",
        "at most 255 characters",
        RuleCode.TOO_LONG,
    )
    assert await refused(external_id="m" * 101) == (
        "external_id",
        "at most 100 characters",
        RuleCode.TOO_LONG,
    )
    past = runtime.clock.now() - timedelta(days=1)
    assert await refused(publish_at=past) == ("publish_at", "must not be in the past", RuleCode.IN_PAST)
    text = DocumentInput(b"not a pdf", "txt", "text/plain")
    on_paper = {
        "recipient": parse_party_id(PERSON_WITHOUT_MAILBOX),
        "print_instructions": PrintInstructions(ADDRESS),
        "documents": (text,),
    }
    assert await refused(**on_paper) == (
        "documents[0].file_type",
        "print requires PDF documents",
        RuleCode.PRINT_NEEDS_PDF,
    )
    assert await count(runtime, schema.shipments) == 0
    await runtime.close()

"""Stand-alone attachments and blob lifetime on real SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert

from postbud.domain.attachments import Attachment, AttachmentStatus
from postbud.domain.errors import Conflict, ConflictCode, NotFound, RuleCode, ValidationFailed
from postbud.domain.identifiers import parse_party_id
from postbud.jobs.registry import JobHandler
from postbud.jobs.worker import Worker
from postbud.services.letters.attachments import (
    ATTACHMENT_EXPIRE,
    InitializeAttachment,
    get_attachment,
    initialize_attachment,
    purge_attachment,
    run_expire_job,
    upload_attachment,
)
from postbud.services.letters.blob_release import (
    QUARANTINE_GRACE,
    RELEASE_DELAY,
    confirm_deletion,
    delete_unreferenced_blobs,
    release_letter_blobs,
    run_blob_release_job,
)
from postbud.services.letters.send_letter import send_letter
from postbud.services.letters.send_to_many import LetterRecipient, SendToMany, send_to_many
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.blobs import compute_ref
from postbud.storage.job_kinds import BLOB_RELEASE
from postbud.storage.repos.page_images import PageImage
from postbud.storage.repos.shipments import document_row
from tests.integration.core_helpers import (
    add_recipients,
    add_sender,
    letter,
    pdf_document,
    runtime_for,
)
from tests.integration.core_send_helpers import MORE_PEOPLE, add_people_with_mailboxes, count
from tests.real_pdf import real_pdf

pytestmark = pytest.mark.anyio

REPORT = real_pdf("the annual report, shared by every letter")


async def _published(runtime: Runtime, sender: uuid.UUID, content: bytes = REPORT) -> Attachment:
    attachment = await initialize_attachment(
        InitializeAttachment(
            sender_id=sender,
            dialect="altinn",
            file_name="report.pdf",
            mime="application/pdf",
            name="Annual report",
            senders_reference="att-ref-1",
            md5=hashlib.md5(content, usedforsecurity=False).hexdigest(),
        ),
        runtime,
    )
    return await upload_attachment(sender, attachment.id, content, runtime)


async def _exists(runtime: Runtime, sha256: str) -> bool:
    return await runtime.blobs.exists(sha256)


async def test_an_attachment_is_initialized_uploaded_and_published_once(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    other = await add_sender(runtime, orgnr="984661185")
    attachment = await _published(runtime, sender)
    assert attachment.status is AttachmentStatus.PUBLISHED
    assert attachment.sha256 == compute_ref(REPORT).sha256
    assert attachment.md5 == hashlib.md5(REPORT, usedforsecurity=False).hexdigest()
    assert attachment.size == len(REPORT)
    assert attachment.file_type == "pdf"
    assert await runtime.blobs.get(attachment.sha256) == REPORT
    details = await get_attachment(sender, attachment.id, runtime)
    assert [step.status for step in details.history] == [
        AttachmentStatus.INITIALIZED,
        AttachmentStatus.UPLOAD_PROCESSING,
        AttachmentStatus.PUBLISHED,
    ]
    with pytest.raises(Conflict) as caught:
        await upload_attachment(sender, attachment.id, REPORT, runtime)
    assert caught.value.code is ConflictCode.WRONG_STATE
    with pytest.raises(NotFound):
        await get_attachment(other, attachment.id, runtime)
    with pytest.raises(NotFound):
        await upload_attachment(other, attachment.id, REPORT, runtime)
    await runtime.close()


async def test_a_checksum_that_does_not_match_fails_the_attachment(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    attachment = await initialize_attachment(
        InitializeAttachment(sender, "altinn", "report.pdf", md5=hashlib.md5(b"other").hexdigest()), runtime
    )
    with pytest.raises(ValidationFailed) as caught:
        await upload_attachment(sender, attachment.id, REPORT, runtime)
    assert caught.value.first.code is RuleCode.CHECKSUM_MISMATCH
    details = await get_attachment(sender, attachment.id, runtime)
    assert details.attachment.status is AttachmentStatus.FAILED
    assert details.history[-1].text == "checksum mismatch"
    assert not await _exists(runtime, compute_ref(REPORT).sha256), "a failed upload's content is not kept"
    with pytest.raises(Conflict):
        await upload_attachment(sender, attachment.id, REPORT, runtime)

    with pytest.raises(ValidationFailed) as caught:
        await initialize_attachment(InitializeAttachment(sender, "altinn", "a.pdf", md5="NOT-MD5"), runtime)
    assert caught.value.first.code is RuleCode.WRONG_FORMAT
    with pytest.raises(ValidationFailed) as caught:
        await initialize_attachment(InitializeAttachment(sender, "altinn", ""), runtime)
    assert caught.value.first.code is RuleCode.REQUIRED
    await runtime.close()


async def test_a_letter_names_only_published_attachments_of_its_sender(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    other = await add_sender(runtime, orgnr="984661185")
    await add_recipients(runtime)
    waiting = await initialize_attachment(InitializeAttachment(sender, "altinn", "later.pdf"), runtime)
    with pytest.raises(Conflict) as caught:
        await send_letter(letter(sender, attachment_ids=(waiting.id,)), runtime)
    assert caught.value.code is ConflictCode.WRONG_STATE
    foreign = await _published(runtime, other)
    with pytest.raises(NotFound):
        await send_letter(letter(sender, attachment_ids=(foreign.id,)), runtime)
    mine = await _published(runtime, sender)
    with pytest.raises(ValidationFailed) as twice:
        await send_letter(letter(sender, attachment_ids=(mine.id, mine.id)), runtime)
    assert twice.value.first.code is RuleCode.NOT_UNIQUE
    assert await count(runtime, schema.shipments) == 0

    accepted = await send_letter(letter(sender, attachment_ids=(mine.id,)), runtime)
    attached = accepted.shipment.documents[1]
    assert (attached.position, attached.attachment_id, attached.sha256) == (1, mine.id, mine.sha256)
    assert attached.title == "Annual report"
    await runtime.close()


async def test_a_shared_attachment_survives_until_its_last_letter_is_purged(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    await add_people_with_mailboxes(runtime)
    attachment = await _published(runtime, sender)
    assert attachment.sha256 is not None
    many = await send_to_many(
        SendToMany(
            letter(sender, attachment_ids=(attachment.id,)),
            tuple(LetterRecipient(recipient=parse_party_id(n)) for n in MORE_PEOPLE[:2]),
        ),
        runtime,
    )
    single = await send_letter(
        letter(sender, documents=(pdf_document("single"),), attachment_ids=(attachment.id,)), runtime
    )
    letters = [a.shipment.id for a in many.letters] + [single.shipment.id]
    shared_primary = many.letters[0].shipment.primary.sha256
    assert await count(runtime, schema.documents, attachment_id=attachment.id) == 3

    with pytest.raises(Conflict) as caught:
        await purge_attachment(sender, attachment.id, runtime)
    assert caught.value.code is ConflictCode.WRONG_STATE

    async def purge_letter(shipment_id: uuid.UUID) -> list[str]:
        # What a purge of a letter does about its blobs (the purge use case itself is ACTIONS').
        async with runtime.unit_of_work() as uow:
            return await release_letter_blobs(uow, shipment_id, now=runtime.clock.now())

    released = await purge_letter(letters[0])
    assert set(released) == {attachment.sha256, shared_primary}
    assert await delete_unreferenced_blobs(released, runtime) == []
    assert await _exists(runtime, attachment.sha256)
    assert await _exists(runtime, shared_primary), "the other letter of the request still has it"

    await purge_letter(letters[1])
    assert await delete_unreferenced_blobs([attachment.sha256, shared_primary], runtime) == [shared_primary]
    assert not await _exists(runtime, shared_primary)
    assert await _exists(runtime, attachment.sha256)
    with pytest.raises(Conflict):
        await purge_attachment(sender, attachment.id, runtime)  # the single letter still uses it

    await purge_letter(letters[2])
    assert await delete_unreferenced_blobs([attachment.sha256], runtime) == [], (
        "the attachment itself keeps it"
    )
    purged = await purge_attachment(sender, attachment.id, runtime)
    assert purged.status is AttachmentStatus.PURGED
    with pytest.raises(Conflict) as again:
        await purge_attachment(sender, attachment.id, runtime)
    assert again.value.code is ConflictCode.ALREADY_DONE

    # The purge wrote a durable blob.release job: due after the delay, it deletes the blob.
    worker = Worker(runtime, {BLOB_RELEASE: JobHandler(run_blob_release_job)})
    assert await worker.run_once() == 0
    assert await _exists(runtime, attachment.sha256)
    runtime.clock.advance(RELEASE_DELAY + timedelta(seconds=1))
    assert await worker.run_once() >= 1
    assert not await _exists(runtime, attachment.sha256)
    assert await count(runtime, schema.shipments) == 3, "purging blobs leaves the letters' records"
    await runtime.close()


async def test_the_same_content_sent_again_keeps_its_blob(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    first = await send_letter(letter(sender, documents=(pdf_document("same"),)), runtime)
    second = await send_letter(letter(sender, documents=(pdf_document("same"),)), runtime)
    sha256 = first.shipment.primary.sha256
    assert second.shipment.primary.sha256 == sha256
    async with runtime.unit_of_work() as uow:
        await release_letter_blobs(uow, first.shipment.id, now=runtime.clock.now())
    assert await delete_unreferenced_blobs([sha256], runtime) == []
    assert await runtime.blobs.get(sha256) == pdf_document("same").content
    await runtime.close()


async def test_an_attachment_expires_at_its_time_and_letters_keep_its_content(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    expires_at = runtime.clock.now() + timedelta(days=14)
    attachment = await initialize_attachment(
        InitializeAttachment(sender, "altinn", "terms.pdf", "application/pdf", expires_at=expires_at), runtime
    )
    attachment = await upload_attachment(sender, attachment.id, REPORT, runtime)
    assert attachment.sha256 is not None
    sent = await send_letter(letter(sender, attachment_ids=(attachment.id,)), runtime)

    worker = Worker(
        runtime,
        {ATTACHMENT_EXPIRE: JobHandler(run_expire_job), BLOB_RELEASE: JobHandler(run_blob_release_job)},
    )
    assert await worker.run_once() == 0, "not before its time"
    runtime.clock.advance(timedelta(days=14, seconds=1))
    assert await worker.run_once() == 1
    details = await get_attachment(sender, attachment.id, runtime)
    assert details.attachment.status is AttachmentStatus.EXPIRED
    assert details.history[-1].status is AttachmentStatus.EXPIRED
    with pytest.raises(Conflict) as caught:
        await send_letter(letter(sender, attachment_ids=(attachment.id,)), runtime)
    assert caught.value.code is ConflictCode.WRONG_STATE

    runtime.clock.advance(RELEASE_DELAY + timedelta(seconds=1))
    assert await worker.run_once() == 1  # the blob release the expiry wrote
    assert await _exists(runtime, attachment.sha256), "the letter sent with it still needs it"
    async with runtime.unit_of_work() as uow:
        await release_letter_blobs(uow, sent.shipment.id, now=runtime.clock.now())
    assert attachment.sha256 in await delete_unreferenced_blobs([attachment.sha256], runtime)
    await runtime.close()


async def test_a_released_document_takes_its_page_images_along(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    sent = await send_letter(letter(sender, documents=(pdf_document("with pictures"),)), runtime)
    sha256 = sent.shipment.primary.sha256
    picture = await runtime.blobs.put(b"\x89PNG page one")
    shared_picture = await runtime.blobs.put(b"\x89PNG the same picture as another document's page")
    other = await send_letter(letter(sender, documents=(pdf_document("other"),)), runtime)
    async with runtime.unit_of_work() as uow:
        now = runtime.clock.now()
        await uow.page_images.add(sha256, 1, 800, PageImage(picture.sha256, 2), now=now)
        await uow.page_images.add(sha256, 2, 800, PageImage(shared_picture.sha256, 2), now=now)
        await uow.page_images.add(
            other.shipment.primary.sha256, 1, 800, PageImage(shared_picture.sha256, 1), now=now
        )
        await release_letter_blobs(uow, sent.shipment.id, now=now)

    deleted = await delete_unreferenced_blobs([sha256], runtime)
    assert sorted(deleted) == sorted([sha256, picture.sha256])
    assert not await _exists(runtime, sha256)
    assert not await _exists(runtime, picture.sha256)
    assert await _exists(runtime, shared_picture.sha256), "another document's page shows it too"
    assert await count(runtime, schema.page_images, document_sha256=sha256) == 0
    assert await count(runtime, schema.page_images) == 1
    await runtime.close()


async def test_a_reference_written_while_its_blob_was_going_brings_the_blob_back(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    content = pdf_document("raced").content
    first = await send_letter(letter(sender, documents=(pdf_document("raced"),)), runtime)
    other = await send_letter(letter(sender, documents=(pdf_document("other"),)), runtime)
    sha256 = first.shipment.primary.sha256
    async with runtime.unit_of_work() as uow:
        await release_letter_blobs(uow, first.shipment.id, now=runtime.clock.now())
    assert await delete_unreferenced_blobs([sha256], runtime) == [sha256]
    assert not await _exists(runtime, sha256)

    # A send that found the blob present just before it went commits its row just after:
    # the row as that writer would have written it, with no new copy of the bytes.
    racing = replace(other.shipment.primary, id=uuid.uuid4(), position=1, sha256=sha256, size=len(content))
    async with runtime.unit_of_work() as uow:
        await uow.conn.execute(
            insert(schema.documents).values(document_row(racing, other.shipment.id, sender))
        )
    worker = Worker(runtime, {BLOB_RELEASE: JobHandler(run_blob_release_job)})
    runtime.clock.advance(QUARANTINE_GRACE + timedelta(seconds=1))
    while await worker.run_once():  # the confirming step (and the purge's own release job, a no-op now)
        pass
    assert await runtime.blobs.get(sha256) == content, "restored for the letter that names it"

    # Without a late reference the confirming step deletes for good.
    async with runtime.unit_of_work() as uow:
        await release_letter_blobs(uow, other.shipment.id, now=runtime.clock.now())
    assert sha256 in await delete_unreferenced_blobs([sha256], runtime)
    assert await confirm_deletion([sha256], runtime) == [sha256]
    await runtime.blobs.restore(sha256)
    assert not await _exists(runtime, sha256)
    await runtime.close()

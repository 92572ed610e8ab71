"""Blob lifetime: a blob is deleted only when nothing refers to it any more.

Blobs are shared by content: one attachment in 500 letters, the same PDF sent twice, a document
and the copy a recipient shared. A use case that drops references (a purge, an attachment's end)
calls `release_letter_blobs` or `release_blobs` inside its own transaction; that writes one
durable `blob.release` job with it. The job checks, in a write transaction, which of the hashes
nothing refers to now (documents.py's `referenced`), drops the page images rendered from them, and
quarantines those blobs; a second run of the same job kind, ``QUARANTINE_GRACE`` later, deletes
the quarantined ones still unreferenced and restores any that got a reference meanwhile. Both are
idempotent.

Why two steps: a send that stores the same bytes again finds the blob present (so does not write
it) a moment before the first step moves it aside, and commits its rows a moment after. A plain
delete would leave that letter naming a missing blob; the second step brings it back instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import structlog

from postbud.services.runtime import Runtime
from postbud.storage import job_kinds
from postbud.storage.repos.jobs import Job
from postbud.storage.unit_of_work import SqlUnitOfWork

log = structlog.get_logger(__name__)

RELEASE_DELAY = timedelta(minutes=5)
QUARANTINE_GRACE = timedelta(minutes=5)
"""How long a quarantined blob waits for a reference that was being written when it went."""


async def release_letter_blobs(uow: SqlUnitOfWork, shipment_id: uuid.UUID, *, now: datetime) -> list[str]:
    """In the caller's transaction: the letter no longer needs its documents' blobs (it was
    purged). Marks its documents released and writes the `blob.release` job; their hashes."""
    sha256s = await uow.documents.release_letter(shipment_id, now=now)
    await release_blobs(uow, sha256s, now=now)
    return sha256s


async def release_blobs(uow: SqlUnitOfWork, sha256s: Iterable[str], *, now: datetime) -> None:
    """In the caller's transaction, after it dropped references to ``sha256s``: write the job that
    deletes those of them nothing refers to any more."""
    wanted = sorted(set(sha256s))
    if wanted:
        await uow.jobs.enqueue(
            job_kinds.BLOB_RELEASE, {"sha256s": wanted}, now=now, run_at=now + RELEASE_DELAY
        )


async def delete_unreferenced_blobs(sha256s: Sequence[str], runtime: Runtime) -> list[str]:
    """First step: quarantine the blobs of ``sha256s`` nothing refers to, and the page images
    rendered from them (those images too, unless something else refers to them), and write the
    job that confirms the deletion; the hashes quarantined (readers no longer find them)."""
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        documents = uow.documents
        unreferenced = sorted(set(sha256s) - await documents.referenced(sha256s))
        images = await documents.drop_page_images(unreferenced)
        unreferenced_images = sorted(set(images) - await documents.referenced(images) - set(unreferenced))
        gone = [*unreferenced, *unreferenced_images]
        if gone:
            payload = {"sha256s": gone, "confirm": True}
            await uow.jobs.enqueue(job_kinds.BLOB_RELEASE, payload, now=now, run_at=now + QUARANTINE_GRACE)
        for sha256 in gone:
            await runtime.blobs.quarantine(sha256)
    if gone:
        log.info("blobs quarantined", count=len(gone))
    return gone


async def confirm_deletion(sha256s: Sequence[str], runtime: Runtime) -> list[str]:
    """Second step: delete the quarantined blobs nothing refers to still, restore the others;
    the hashes deleted."""
    async with runtime.unit_of_work() as uow:
        referenced = await uow.documents.referenced(sha256s)
        for sha256 in sorted(referenced):
            log.warning("a quarantined blob got a reference: restored", sha256=sha256)
            await runtime.blobs.restore(sha256)
        deleted = sorted(set(sha256s) - referenced)
        for sha256 in deleted:
            await runtime.blobs.discard(sha256)
    return deleted


async def run_blob_release_job(job: Job, runtime: Runtime) -> None:
    sha256s = list(job.payload["sha256s"])
    if job.payload.get("confirm"):
        await confirm_deletion(sha256s, runtime)
    else:
        await delete_unreferenced_blobs(sha256s, runtime)

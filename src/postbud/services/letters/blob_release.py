"""Blob lifetime: a blob is deleted only when nothing refers to it any more.

Blobs are shared by content: one attachment in 500 letters, the same PDF sent twice, a document
and the copy a recipient shared. A use case that drops references (a purge, an attachment's end)
calls `release_letter_blobs` or `release_blobs` inside its own transaction; that writes one
durable `blob.release` job with it. The job checks, in a write transaction, which of the hashes
nothing refers to now (documents.py's `referenced`) and deletes those blobs, with the page images
rendered from them. It is idempotent: run twice, it deletes nothing more.

One race is left open: a send that stores the same bytes again finds the blob present (so it does
not write it) a moment before this job deletes it, and commits its rows a moment after. Its letter
would then name a missing blob. The window is the writer's time between storing a batch's blobs
and committing it (milliseconds); the job runs ``RELEASE_DELAY`` after the purge, so the content
was unused for that long. Closing it needs a two-phase delete (move to a trash, delete only if
still unreferenced after a grace period, else restore), not built yet.
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
    """Delete the blobs of ``sha256s`` that nothing refers to, and the page images rendered from
    them (those images too, unless something else refers to them); the hashes deleted."""
    deleted: list[str] = []
    async with runtime.unit_of_work() as uow:
        documents = uow.documents
        unreferenced = sorted(set(sha256s) - await documents.referenced(sha256s))
        images = await documents.drop_page_images(unreferenced)
        unreferenced_images = sorted(set(images) - await documents.referenced(images) - set(unreferenced))
        for sha256 in [*unreferenced, *unreferenced_images]:
            await runtime.blobs.delete(sha256)  # deleting a missing blob is not an error
            deleted.append(sha256)
    if deleted:
        log.info("blobs released", count=len(deleted))
    return deleted


async def run_blob_release_job(job: Job, runtime: Runtime) -> None:
    await delete_unreferenced_blobs(list(job.payload["sha256s"]), runtime)

"""Submit planned letters: their write set made durable by the group-commit writer, atomically.

A unique key broken by the rows becomes the sender's conflict (a letter id, a document id or an
idempotency key used before), told apart by the constraint's name, never by the database's words.
"""

from __future__ import annotations

from postbud.domain.errors import Conflict, ConflictCode
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey
from postbud.storage.repos.shipments import DOCUMENT_ID_TAKEN, IDEMPOTENCY_KEY_TAKEN, LETTER_ID_TAKEN
from postbud.storage.writeset import WriteSet

_CONFLICTS = {
    LETTER_ID_TAKEN: Conflict(
        "external_id", "a letter with this id was already sent", ConflictCode.DUPLICATE
    ),
    DOCUMENT_ID_TAKEN: Conflict(
        "documents.id", "a document id of this letter was already used", ConflictCode.DUPLICATE_DOCUMENT
    ),
    IDEMPOTENCY_KEY_TAKEN: Conflict(
        "idempotency_key", "a request with this idempotency key was already made", ConflictCode.DUPLICATE
    ),
}


def conflict_of(duplicate: DuplicateKey) -> Conflict | None:
    """The sender's conflict a broken unique key means; None for a key no sender can reuse."""
    known = _CONFLICTS.get(duplicate.constraint)
    return Conflict(known.field, known.rule, known.code) if known else None


async def submit_letters(ws: WriteSet, runtime: Runtime) -> None:
    """Make ``ws`` durable (all of it or none of it) and wake the job workers if it holds jobs."""
    try:
        await runtime.writer.submit(ws)
    except DuplicateKey as exc:
        conflict = conflict_of(exc)
        if conflict is None:
            raise
        raise conflict from exc
    if ws.queues_jobs:  # waking idle workers for nothing costs them a write lock
        runtime.jobs_available()

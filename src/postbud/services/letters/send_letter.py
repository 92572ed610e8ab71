"""Use case: accept a letter, store it durably, route it, and start its delivery.

The hot path of every dialect: a few indexed reads, then `plan_letter` (validate, route, build
its rows), then `submit_letters`. The rows (shipment, documents, events, jobs, webhook deliveries)
and the documents' contents form one WriteSet that the group-commit writer makes durable together
with other requests' WriteSets: the contents of a whole batch behind one blob barrier, then its
rows in one transaction, before anyone is answered.
"""

from __future__ import annotations

from postbud.domain.documents import Document
from postbud.services.letters.attachments import attached_documents
from postbud.services.letters.letter_request import Accepted, DocumentInput, SendLetter, Undeliverable
from postbud.services.letters.plan_letter import (
    check_letter,
    documents_of,
    facts_of,
    letter_rows,
    plan_letter,
    require_open_batch,
)
from postbud.services.letters.submit import submit_letters
from postbud.services.runtime import Runtime
from postbud.storage.blobs import compute_refs
from postbud.storage.writeset import WriteSet

__all__ = ["Accepted", "DocumentInput", "SendLetter", "Undeliverable", "send_letter"]


async def send_letter(cmd: SendLetter, runtime: Runtime) -> Accepted:
    now = runtime.clock.now()
    facts = facts_of(cmd.documents)
    if not cmd.attachment_ids:
        check_letter(cmd, facts, runtime.settings, now)
    # A reused letter or document id is caught by the unique constraints when the rows are written.
    if cmd.batch_id is not None:
        async with runtime.quick_reader() as uow:
            await require_open_batch(uow, cmd)
    attached: tuple[Document, ...] = ()
    if cmd.attachment_ids:
        attached = await attached_documents(
            cmd.sender_id, cmd.attachment_ids, runtime, first_position=len(cmd.documents), now=now
        )
        check_letter(cmd, facts + facts_of(attached), runtime.settings, now)
    recipient, subscriptions = await runtime.hot_reads.for_send(
        cmd.sender_id, party_id=cmd.recipient, mailbox_address=cmd.mailbox_address
    )
    contents = [d.content for d in cmd.documents]
    refs = await compute_refs(contents)  # the writer stores the contents with the rows
    documents = documents_of(cmd.documents, refs) + attached
    plan = await plan_letter(
        cmd, documents, [*contents, *(None for _ in attached)], recipient, runtime, now=now
    )
    ws = WriteSet(blobs=contents, blob_refs=refs)
    letter_rows(plan, subscriptions, ws, now=now)
    await submit_letters(ws, runtime)
    return plan.accepted

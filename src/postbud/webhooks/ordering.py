"""Deliveries of one letter (or one batch) to one subscription go out in the order of their events.

A delivery whose job finds an earlier delivery of the same letter and subscription not yet
settled (pending, waiting or retrying) does not send: it *waits*, and its job ends. When a
delivery settles (delivered, finally failed, cancelled), the same transaction releases the next
one if it waits: back to pending, with a new job. Nothing polls for waiting deliveries.

Several workers may run these at once. On PostgreSQL the waiting delivery locks the earlier ones
it waits behind, so one settling at that moment either waits for that transaction and then sees
the delivery waiting (and releases it), or settles first and is not waited for at all. SQLite
runs one write transaction at a time, which gives the same.
"""

from __future__ import annotations

from datetime import datetime

from postbud.services.runtime import Runtime
from postbud.storage.job_kinds import WEBHOOK_DELIVER
from postbud.storage.repos.webhooks import Delivery, Subject
from postbud.storage.unit_of_work import SqlUnitOfWork

MAX_ATTEMPTS = 30


async def waits_behind_earlier(runtime: Runtime, delivery: Delivery) -> bool:
    """Make ``delivery`` wait if an earlier one of its letter and subscription is unsettled."""
    async with runtime.reader() as uow:
        subject = await uow.webhooks.subject(delivery.event_id)
        if subject is None or not await uow.webhooks.unsettled_before(delivery, subject):
            return False  # an earlier delivery never becomes unsettled again on its own
    return await _wait(runtime, delivery, subject)


async def _wait(runtime: Runtime, delivery: Delivery, subject: Subject) -> bool:
    async with runtime.unit_of_work() as uow:
        earlier = await uow.webhooks.unsettled_before(delivery, subject, lock=True)
        if not earlier:
            return False
        await uow.webhooks.wait(delivery.id, behind=earlier[-1])
    return True


async def release_next(uow: SqlUnitOfWork, delivery: Delivery, *, now: datetime) -> bool:
    """In the transaction that settles ``delivery``: release the next one of its letter, if it waits."""
    subject = await uow.webhooks.subject(delivery.event_id)
    if subject is None:
        return False
    following = await uow.webhooks.next_waiting(delivery, subject)
    if following is None or not await uow.webhooks.release(following, now=now):
        return False
    await uow.jobs.enqueue(
        WEBHOOK_DELIVER, {"delivery_id": str(following)}, now=now, max_attempts=MAX_ATTEMPTS
    )
    return True

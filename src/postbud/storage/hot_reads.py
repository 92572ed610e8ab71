"""The reads on the hottest paths: each send's recipient and its sender's webhook subscriptions,
and the idle job worker's "is anything due?".

On a SQLite file they run inline on the event loop as prepared statements on a plain connection
(tens of microseconds each); elsewhere they go through the repositories like any other read.
Both paths return the same domain objects.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from postbud.domain.identifiers import PartyId
from postbud.domain.parties import Recipient
from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.prepared_per_database import prepared_per_database
from postbud.storage.prepared_select import PreparedSelect
from postbud.storage.repos.events import SUBSCRIPTIONS, Subscription, subscription_from_row
from postbud.storage.repos.jobs import due
from postbud.storage.repos.parties import (
    RECIPIENT_BY_MAILBOX_ADDRESS,
    RECIPIENT_BY_PARTY_ID,
    recipient_from_row,
)
from postbud.storage.unit_of_work import SqlUnitOfWork

_ANY_JOB_DUE = select(schema.jobs.c.id).where(due(bindparam("now", type_=schema.jobs.c.run_at.type))).limit(1)


@dataclass(frozen=True, slots=True)
class _Statements:
    party_id: PreparedSelect
    address: PreparedSelect
    subscriptions: PreparedSelect
    job_due: PreparedSelect


_statements = prepared_per_database(
    _Statements,
    party_id=RECIPIENT_BY_PARTY_ID,
    address=RECIPIENT_BY_MAILBOX_ADDRESS,
    subscriptions=SUBSCRIPTIONS,
    job_due=_ANY_JOB_DUE,
)


class HotReads:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._prepared = _statements(database) if database.has_plain_reads else None

    async def for_send(
        self, sender_id: uuid.UUID, *, party_id: PartyId | None, mailbox_address: str | None
    ) -> tuple[Recipient | None, list[Subscription]]:
        """The recipient a letter names (by identifier, or by mailbox address ignoring case) and
        the sender's active webhook subscriptions, to fan each new event out to."""
        if self._prepared is None:
            async with SqlUnitOfWork(self._database, read_only=True) as uow:
                recipient = None
                if party_id is not None:
                    recipient = await uow.recipients.by_party_id(party_id)
                elif mailbox_address is not None:
                    recipient = await uow.recipients.by_mailbox_address(mailbox_address)
                return recipient, await uow.events.subscriptions(sender_id)
        with self._database.plain_read_connection() as conn:
            row = None
            if party_id is not None:
                row = self._prepared.party_id.first(conn, party_id=str(party_id))
            elif mailbox_address is not None:
                row = self._prepared.address.first(conn, address=mailbox_address.lower())
            rows = self._prepared.subscriptions.all(conn, sender_id=sender_id)
        subscriptions = [subscription_from_row((r["id"], r["event_types"])) for r in rows]
        return (recipient_from_row(row) if row is not None else None), subscriptions

    async def may_have_due_jobs(self, now: datetime) -> bool:
        """False only when certainly no job is due: an idle worker then skips taking the write lock
        (on SQLite a claim is a write transaction that would queue behind the group-commit writer)."""
        if self._prepared is None:
            return True
        with self._database.plain_read_connection() as conn:
            return self._prepared.job_due.first(conn, now=now) is not None

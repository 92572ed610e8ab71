"""The reads of a request that sends one letter to many (Altinn's initialize): the resource it
names, its recipients in the registry, and the sender's webhook subscriptions.

On a SQLite file they run inline on the event loop as statements compiled once, on the thread's
plain connection; through SQLAlchemy and aiosqlite each cost several hundred microseconds of CPU,
more than the rest of a single-recipient initialize. Elsewhere they go through the repositories.
Both paths return the same domain objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from postbud.domain.identifiers import PartyId
from postbud.domain.parties import Recipient
from postbud.domain.resources import Resource
from postbud.storage.database import Database
from postbud.storage.prepared_per_database import prepared_per_database
from postbud.storage.prepared_select import PreparedSelect
from postbud.storage.repos.events import SUBSCRIPTIONS, Subscription, subscription_from_row
from postbud.storage.repos.parties import (
    RECIPIENT_BY_MAILBOX_ADDRESS,
    RECIPIENT_BY_PARTY_ID,
    recipient_from_row,
)
from postbud.storage.repos.resources import RESOURCE_BY_ID, resource_from_row
from postbud.storage.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class _Statements:
    resource: PreparedSelect
    party_id: PreparedSelect
    address: PreparedSelect
    subscriptions: PreparedSelect


_statements = prepared_per_database(
    _Statements,
    resource=RESOURCE_BY_ID,
    party_id=RECIPIENT_BY_PARTY_ID,
    address=RECIPIENT_BY_MAILBOX_ADDRESS,
    subscriptions=SUBSCRIPTIONS,
)


async def resource_by_id(database: Database, resource_id: str) -> Resource | None:
    if not database.has_plain_reads:
        async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
            return await uow.resources.get(resource_id)
    with database.plain_read_connection() as conn:
        row = _statements(database).resource.first(conn, resource_id=resource_id)
    return resource_from_row(row) if row is not None else None


RecipientKey = tuple[PartyId | None, str | None]
"""A recipient as a letter names it: by identifier, else by mailbox address (ignoring case)."""


async def recipients_and_subscriptions(
    database: Database, sender_id: uuid.UUID | None, keys: Sequence[RecipientKey]
) -> tuple[list[Recipient | None], list[Subscription]]:
    """Each named recipient as the registry has it (None if it has none), and, if ``sender_id`` is
    given, that sender's active webhook subscriptions."""
    if not database.has_plain_reads:
        async with SqlUnitOfWork(database, read_only=True, inline=True) as uow:
            found: list[Recipient | None] = []
            for party_id, address in keys:
                if party_id is not None:
                    found.append(await uow.recipients.by_party_id(party_id))
                elif address is not None:
                    found.append(await uow.recipients.by_mailbox_address(address))
                else:
                    found.append(None)
            subscriptions = await uow.events.subscriptions(sender_id) if sender_id is not None else []
            return found, subscriptions
    statements = _statements(database)
    with database.plain_read_connection() as conn:
        rows = []
        for party_id, address in keys:
            if party_id is not None:
                rows.append(statements.party_id.first(conn, party_id=str(party_id)))
            elif address is not None:
                rows.append(statements.address.first(conn, address=address.lower()))
            else:
                rows.append(None)
        subscription_rows = (
            statements.subscriptions.all(conn, sender_id=sender_id) if sender_id is not None else []
        )
    recipients = [recipient_from_row(row) if row is not None else None for row in rows]
    return recipients, [subscription_from_row((r["id"], r["event_types"])) for r in subscription_rows]

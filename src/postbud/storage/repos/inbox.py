"""The recipient's inbox as stored: which letters it shows, in which folder, one page at a time.

A letter is in a recipient's inbox once one of Postbud's inboxes delivered it. That is either its
channel and status now (an inbox channel, delivered or opened), or — for a letter that print-if-unread
later sent to print — a ``delivered`` event by an inbox channel in its log. Both queries below use
this one rule, so the list and the letter page can never disagree about what a recipient may see.

Paging is by keyset on ``(created_at, id)``, newest first. The cursor condition is a row-value
comparison so that both SQLite and PostgreSQL turn it into a range on
``ix_shipments_recipient_created_id`` (recipient, created_at, id): a page costs the same at the
millionth letter as at the first, and no sort is needed. Filters (folder, search) are checked on
the rows the index walk yields, which stops as soon as the page is full. Archived letters have
their own index (``ix_archived_letters_recipient_created``), so the archive folder is walked from
its own rows rather than by skipping through the inbox.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, literal, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from postbud.domain.channels import Channel
from postbud.domain.documents import Sensitivity
from postbud.domain.events import EventType
from postbud.domain.status import ShipmentStatus
from postbud.storage import schema

INBOX_CHANNELS = (Channel.DIGITAL_MAILBOX.value, Channel.BUSINESS_INBOX.value)
_RECEIVED = (ShipmentStatus.DELIVERED.value, ShipmentStatus.OPENED.value)


@dataclass(frozen=True, slots=True)
class LetterSummary:
    """One row of the inbox list."""

    shipment_id: uuid.UUID
    created_at: datetime
    """When the sender made it: the list's order and paging key."""
    received_at: datetime
    """When an inbox received it (its first ``delivered`` event): later than ``created_at`` for a
    letter held for a publish time."""
    sender_name: str
    sender_organisation_number: str
    subject: str | None
    sensitive: bool
    opened: bool
    datatype: dict[str, Any] | None
    documents: int


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    shipment_id: uuid.UUID
    document_id: uuid.UUID
    position: int
    title: str | None
    file_type: str
    size: int


@dataclass(frozen=True, slots=True)
class InboxOwner:
    """A recipient who has one of Postbud's inboxes, and so can sign in to read it."""

    id: uuid.UUID
    name: str
    party_id: str
    kind: str
    mailbox_address: str | None


def _in_inbox(s: Any) -> ColumnElement[bool]:
    delivered_to_inbox = exists().where(
        schema.events.c.shipment_id == s.id,
        schema.events.c.type == EventType.DELIVERED.value,
        schema.events.c.channel.in_(INBOX_CHANNELS),
    )
    return or_(
        and_(s.channel.in_(INBOX_CHANNELS), s.status.in_(_RECEIVED)),
        and_(s.channel == Channel.PRINT.value, delivered_to_inbox),
    )


def _has_an_inbox(r: Any) -> ColumnElement[bool]:
    """A mailbox, a business inbox, or bank e-invoices, which Postbud's inbox shows as the payer's bank."""
    return or_(r.digital_mailbox, r.business_inbox, r.ebank)


def _archived(s: Any) -> ColumnElement[bool]:
    return exists().where(schema.archived_letters.c.shipment_id == s.id)


def _matching(text: str) -> ColumnElement[bool]:
    """Sender name or subject; a sensitive letter's subject is never searched, as it is never listed."""
    needle = text.lower()
    s, d = schema.shipments.c, schema.documents.c
    return or_(
        func.lower(schema.senders.c.name).contains(needle, autoescape=True),
        and_(
            d.sensitivity != Sensitivity.SENSITIVE.value,
            func.lower(s.subject).contains(needle, autoescape=True),
        ),
    )


def _owner(row: Any) -> InboxOwner:
    return InboxOwner(row.id, row.name, row.party_id, row.kind, row.mailbox_address)


def page_query(
    recipient_id: uuid.UUID,
    *,
    archived: bool,
    search: str | None = None,
    before: tuple[datetime, uuid.UUID] | None = None,
    limit: int = 20,
) -> Select[Any]:
    """One page of a folder, newest first, older than the ``before`` cursor (see the module doc)."""
    s, d = schema.shipments.c, schema.documents.c
    a = schema.archived_letters.c
    attachments = (
        select(func.count())
        .where(schema.documents.c.shipment_id == s.id)
        .correlate(schema.shipments)
        .scalar_subquery()
    )
    letters = schema.shipments.join(schema.senders, schema.senders.c.id == s.sender_id).join(
        schema.documents, and_(d.shipment_id == s.id, d.position == 0)
    )
    if archived:
        letters = schema.archived_letters.join(letters, s.id == a.shipment_id)
    e = schema.events.c
    delivered = (
        select(e.at)
        .where(e.shipment_id == s.id, e.type == EventType.DELIVERED.value)
        .order_by(e.at)
        .limit(1)
        .correlate(schema.shipments)
        .scalar_subquery()
    )
    query = select(
        s.id,
        s.created_at,
        delivered.label("delivered_at"),
        s.status,
        s.subject,
        schema.senders.c.name.label("sender_name"),
        schema.senders.c.organisation_number,
        d.sensitivity,
        d.datatype,
        attachments.label("documents"),
    ).select_from(letters)
    if archived:
        query = query.where(a.recipient_id == recipient_id, s.recipient_id == recipient_id)
        if before is not None:
            query = query.where(tuple_(a.letter_created_at, a.shipment_id) < before)
        query = query.order_by(a.letter_created_at.desc(), a.shipment_id.desc())
    else:
        query = query.where(s.recipient_id == recipient_id, ~_archived(s))
        if before is not None:
            query = query.where(tuple_(s.created_at, s.id) < before)
        query = query.order_by(s.created_at.desc(), s.id.desc())
    query = query.where(_in_inbox(s))
    if search:
        query = query.where(_matching(search))
    return query.limit(limit)


class InboxRepository:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def page(
        self,
        recipient_id: uuid.UUID,
        *,
        archived: bool,
        search: str | None = None,
        before: tuple[datetime, uuid.UUID] | None = None,
        limit: int = 20,
    ) -> list[LetterSummary]:
        query = page_query(recipient_id, archived=archived, search=search, before=before, limit=limit)
        rows = await self._conn.execute(query)
        return [
            LetterSummary(
                shipment_id=row.id,
                created_at=row.created_at,
                received_at=row.delivered_at or row.created_at,
                sender_name=row.sender_name,
                sender_organisation_number=row.organisation_number,
                subject=row.subject,
                sensitive=row.sensitivity == Sensitivity.SENSITIVE.value,
                opened=row.status == ShipmentStatus.OPENED.value,
                datatype=row.datatype,
                documents=int(row.documents),
            )
            for row in rows
        ]

    async def documents(self, shipment_ids: list[uuid.UUID]) -> list[DocumentSummary]:
        """The documents of these letters, in letter order then position (ids come from ``page``)."""
        if not shipment_ids:
            return []
        d = schema.documents.c
        query = select(d.shipment_id, d.id, d.position, d.title, d.file_type, d.size).where(
            d.shipment_id.in_(shipment_ids)
        )
        order = {shipment_id: i for i, shipment_id in enumerate(shipment_ids)}
        rows = sorted(await self._conn.execute(query), key=lambda r: (order[r.shipment_id], r.position))
        return [DocumentSummary(r.shipment_id, r.id, r.position, r.title, r.file_type, r.size) for r in rows]

    async def holds(self, recipient_id: uuid.UUID, shipment_id: uuid.UUID) -> bool:
        """Whether the letter is in this recipient's inbox (either folder)."""
        s = schema.shipments.c
        query = select(literal(1)).where(s.id == shipment_id, s.recipient_id == recipient_id, _in_inbox(s))
        return (await self._conn.execute(query)).first() is not None

    async def is_archived(self, shipment_id: uuid.UUID) -> bool:
        query = select(literal(1)).where(schema.archived_letters.c.shipment_id == shipment_id)
        return (await self._conn.execute(query)).first() is not None

    async def archive(
        self, shipment_id: uuid.UUID, recipient_id: uuid.UUID, *, letter_created_at: datetime, now: datetime
    ) -> None:
        """Idempotent: archiving an archived letter keeps its first archive time."""
        values = {
            "shipment_id": shipment_id,
            "recipient_id": recipient_id,
            "letter_created_at": letter_created_at,
            "archived_at": now,
        }
        table = schema.archived_letters
        insert = postgresql.insert(table) if self._conn.dialect.name == "postgresql" else sqlite.insert(table)
        await self._conn.execute(insert.values(**values).on_conflict_do_nothing())

    async def unarchive(self, shipment_id: uuid.UUID) -> None:
        await self._conn.execute(
            delete(schema.archived_letters).where(schema.archived_letters.c.shipment_id == shipment_id)
        )

    async def owners(self, text: str | None = None, *, limit: int = 20) -> list[InboxOwner]:
        """Recipients with an inbox, by name; ``text`` matches name, identifier or mailbox address."""
        r = schema.recipients.c
        query = select(r.id, r.name, r.party_id, r.kind, r.mailbox_address).where(_has_an_inbox(r))
        if text:
            needle = text.strip().lower()
            query = query.where(
                or_(
                    func.lower(r.name).contains(needle, autoescape=True),
                    r.party_id.contains(needle, autoescape=True),
                    func.lower(r.mailbox_address).contains(needle, autoescape=True),
                )
            )
        rows = await self._conn.execute(query.order_by(r.kind.desc(), r.name, r.id).limit(limit))
        return [_owner(row) for row in rows]

    async def owner(self, recipient_id: uuid.UUID) -> InboxOwner | None:
        r = schema.recipients.c
        query = select(r.id, r.name, r.party_id, r.kind, r.mailbox_address).where(
            r.id == recipient_id, _has_an_inbox(r)
        )
        row = (await self._conn.execute(query)).first()
        return _owner(row) if row else None

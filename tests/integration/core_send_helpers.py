"""Builders shared by the SEND core tests (many recipients, drafts, attachments, duplicates)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, func, select

from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.repos.webhooks import Webhook

# Valid national identity numbers (mod 11) for recipients beyond core_helpers' two.
MORE_PEOPLE = ("01010110013", "01010110021", "01010110048", "01010110102")


async def add_people_with_mailboxes(runtime: Runtime, numbers: tuple[str, ...] = MORE_PEOPLE) -> None:
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        for i, number in enumerate(numbers):
            await uow.recipients.add(
                Recipient(
                    uuid.uuid4(),
                    parse_party_id(number),
                    f"Person {i}",
                    Capabilities(digital_mailbox=True, mailbox_address=f"person.{i}#AB1{i}"),
                ),
                now=now,
            )


async def subscribe_to_everything(runtime: Runtime, sender_id: uuid.UUID) -> None:
    async with runtime.unit_of_work() as uow:
        await uow.webhooks.add(
            Webhook(
                uuid.uuid4(),
                sender_id,
                "https://example.test/hook",
                "s3cret",
                ("*",),
                True,
                runtime.clock.now(),
            )
        )


async def count(runtime: Runtime, table: Table, **where: Any) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    async with runtime.reader() as uow:
        return int((await uow.conn.execute(query)).scalar_one())


async def counts(runtime: Runtime) -> dict[str, int]:
    """Rows in every table a send writes to."""
    tables = (
        schema.shipments,
        schema.documents,
        schema.events,
        schema.jobs,
        schema.webhook_deliveries,
        schema.send_requests,
    )
    return {table.name: await count(runtime, table) for table in tables}


async def document_rows_with(runtime: Runtime, sha256: str) -> int:
    return await count(runtime, schema.documents, sha256=sha256)

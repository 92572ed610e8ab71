"""Upgrading a database that holds letters, shares and batches keeps every row and every link.

On SQLite a migration that changes a constraint rebuilds its table; with the foreign-key actions on,
dropping the old table would fail (``senders``) or null the links of every table that refers to it
(``shared_documents.source_document_id`` when ``documents`` is rebuilt). ``migrate`` runs SQLite's
migrations with the actions off and checks every key before it commits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import JSON, BigInteger, Boolean, Connection, DateTime, String, Uuid, column, table

from postbud.storage.database import Database
from postbud.storage.migrate import _config, migrate

pytestmark = pytest.mark.anyio

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SENDER, RECIPIENT, LETTER, DOCUMENT, SHARED = (uuid.uuid4() for _ in range(5))


def _rows(table_name: str, **values: object) -> tuple[object, dict[str, object]]:
    types = {
        bool: Boolean,
        int: BigInteger,
        str: String,
        datetime: DateTime(timezone=True),
        uuid.UUID: Uuid,
        dict: JSON,
        list: JSON,
    }
    columns = [column(key, types[type(value)]) for key, value in values.items()]
    return table(table_name, *columns), values


def _insert(connection: Connection, table_name: str, /, **values: object) -> None:
    target, row = _rows(table_name, **values)
    connection.execute(target.insert().values(**row))  # type: ignore[attr-defined]


def _database_at_0006_with_a_shared_letter(connection: Connection) -> None:
    command.upgrade(_config(connection), "0006")
    _insert(connection, "senders", id=SENDER, name="Skatteetaten", organisation_number="974761076",
            altinn_scopes=[], may_print=True, may_direct_print=True, created_at=WHEN)  # fmt: skip
    _insert(connection, "recipients", id=RECIPIENT, party_id="no-person:15108695088", kind="person",
            name="Ola Nordmann", digital_mailbox=True, reserved=False, business_inbox=False,
            einvoice=False, ebank=False, kivra=False, created_at=WHEN, updated_at=WHEN)  # fmt: skip
    _insert(connection, "shipments", id=LETTER, sender_id=SENDER, dialect="digipost",
            external_id="letter-1", recipient_id=RECIPIENT, status="delivered", request={},
            created_at=WHEN, updated_at=WHEN)  # fmt: skip
    _insert(connection, "documents", id=DOCUMENT, shipment_id=LETTER, sender_id=SENDER, position=0,
            external_id="doc-1", file_type="pdf", mime="application/pdf", sha256="a" * 64, size=10,
            authentication="PASSWORD", sensitivity="NORMAL", opening_receipt=False)  # fmt: skip
    _insert(connection, "shares", shipment_id=LETTER, sender_id=SENDER, recipient_id=RECIPIENT,
            max_share_seconds=3600, created_at=WHEN, updated_at=WHEN)  # fmt: skip
    _insert(connection, "shared_documents", id=SHARED, share_id=LETTER, position=0,
            source_document_id=DOCUMENT, subject="Lønnsslipp", file_type="pdf",
            mime="application/pdf", sha256="a" * 64, size=10, delivered_at=WHEN,
            origin_kind="organisation", shared_at=WHEN)  # fmt: skip
    _insert(connection, "batches", id=uuid.uuid4(), sender_id=SENDER, dialect="digipost",
            external_id="batch-1", status="open", data={}, created_at=WHEN, updated_at=WHEN)  # fmt: skip


async def test_an_upgrade_to_head_keeps_rows_and_links(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as connection:
            await connection.run_sync(_database_at_0006_with_a_shared_letter)
        await migrate(database)
        async with database.reading() as connection:
            link = await connection.exec_driver_sql("SELECT source_document_id FROM shared_documents")
            senders = await connection.exec_driver_sql("SELECT count(*) FROM senders")
            letters = await connection.exec_driver_sql("SELECT count(*) FROM shipments")
            sources = [row[0] for row in link.fetchall()]
            assert senders.scalar() == 1
            assert letters.scalar() == 1
        assert [uuid.UUID(str(s)) for s in sources] == [DOCUMENT]
        if database.is_sqlite:  # the migration connection went back to the pool with its keys on
            async with database.transaction() as connection:
                on = await connection.exec_driver_sql("PRAGMA foreign_keys")
                assert on.scalar() == 1
    finally:
        await database.dispose()

"""Migration 0011 upgrades a database in place: stored datatypes get core names, and a sender's
Digipost id, certificate and Altinn scopes leave the ``senders`` row for ``sender_credentials``.

The database is built at 0010 as that revision left it (a letter whose datatype JSON uses Digipost's
element names, an added-data event, senders with and without credentials), upgraded with
``migrate`` as Postbud does at start, read back through the repositories, and taken down to 0010
again, where the columns hold what the credentials say.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection

from postbud.crypto.keys import generate_test_key_and_certificate
from postbud.domain.datatypes import datatype_from_dict
from postbud.storage.database import Database
from postbud.storage.migrate import _config, migrate
from postbud.storage.types import JsonDocument, UtcDateTime
from postbud.storage.unit_of_work import SqlUnitOfWork

pytestmark = pytest.mark.anyio

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BROKER, ALTINN, LEGACY, RECIPIENT, LETTER, DOCUMENT = (uuid.uuid4() for _ in range(6))
SCOPE = "altinn:correspondence.write"
PEM = generate_test_key_and_certificate("Skatteetaten")[1].decode("ascii")
LEGACY_PEM = generate_test_key_and_certificate("Gammel")[1].decode("ascii")

WIRE_EVENT = {
    "kind": "event",
    "sub-title": "Foreldremøte",
    "start-time": [{"start-time": "2026-12-10T18:00:00+01:00", "end-time": "2026-12-10T19:30:00+01:00"}],
    "timeLabel": "Møtetider",
    "address": {"street-address": "Solbakken 4", "postal-code": "5003", "city": "Bergen"},
    "info": [{"title": "Påmelding", "text": "Ingen."}],
}
CORE_EVENT = {
    "kind": "event",
    "sub_title": "Foreldremøte",
    "time_intervals": [{"start_time": "2026-12-10T18:00:00+01:00", "end_time": "2026-12-10T19:30:00+01:00"}],
    "time_label": "Møtetider",
    "address": {"street_address": "Solbakken 4", "postal_code": "5003", "city": "Bergen"},
    "info": [{"title": "Påmelding", "text": "Ingen."}],
}
WIRE_PAYMENT = {
    "kind": "invoice-payment",
    "payment-id": "p-1",
    "payment-time": "2026-11-30T12:00:00+01:00",
    "payment-bank": {"name": "Sparebank"},
}
CORE_PAYMENT = {
    "kind": "invoice-payment",
    "payment_id": "p-1",
    "payment_time": "2026-11-30T12:00:00+01:00",
    "payment_bank": {"name": "Sparebank"},
}
WIRE_PROOF_PERIOD = {
    "kind": "proof",
    "authorizer-name": "Miljødirektoratet",
    "issued-time": "2026-11-01T09:00:00+01:00",
    "valid-period": {"period": {"from": "2026-01-01T00:00:00", "to": "2026-12-31T23:59:00"}},
    "proof-holder": {"firstname": "Kari", "surname": "Nordmann"},
    "title": "Fiskekort",
    "attribute": [{"title": "Område", "text": "Hele landet"}],
}

_senders = sa.table(
    "senders",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("organisation_number", sa.String()),
    sa.column("digipost_id", sa.BigInteger()),
    sa.column("certificate_pem", sa.Text()),
    sa.column("altinn_scopes", JsonDocument),
    sa.column("may_print", sa.Boolean()),
    sa.column("may_direct_print", sa.Boolean()),
    sa.column("created_at", UtcDateTime()),
)
_credentials = sa.table(
    "sender_credentials",
    sa.column("id", sa.Uuid()),
    sa.column("sender_id", sa.Uuid()),
    sa.column("dialect", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("identifier", sa.String()),
    sa.column("data", JsonDocument),
    sa.column("created_at", UtcDateTime()),
    sa.column("revoked_at", UtcDateTime()),
)
_recipients = sa.table(
    "recipients",
    *(sa.column(n) for n in ("party_id", "kind", "name")),
    sa.column("id", sa.Uuid()),
    *(sa.column(n, sa.Boolean()) for n in ("digital_mailbox", "reserved", "business_inbox")),
    *(sa.column(n, sa.Boolean()) for n in ("einvoice", "ebank", "kivra")),
    sa.column("created_at", UtcDateTime()),
    sa.column("updated_at", UtcDateTime()),
)
_shipments = sa.table(
    "shipments",
    sa.column("id", sa.Uuid()),
    sa.column("sender_id", sa.Uuid()),
    sa.column("recipient_id", sa.Uuid()),
    *(sa.column(n) for n in ("dialect", "external_id", "status")),
    sa.column("request", JsonDocument),
    sa.column("created_at", UtcDateTime()),
    sa.column("updated_at", UtcDateTime()),
)
_documents = sa.table(
    "documents",
    sa.column("id", sa.Uuid()),
    sa.column("shipment_id", sa.Uuid()),
    sa.column("sender_id", sa.Uuid()),
    sa.column("position", sa.Integer()),
    sa.column("size", sa.Integer()),
    *(sa.column(n) for n in ("external_id", "file_type", "mime", "sha256", "authentication", "sensitivity")),
    sa.column("opening_receipt", sa.Boolean()),
    sa.column("datatype", JsonDocument),
)
_events = sa.table(
    "events",
    sa.column("id", sa.Uuid()),
    sa.column("shipment_id", sa.Uuid()),
    sa.column("sender_id", sa.Uuid()),
    *(sa.column(n) for n in ("type", "dedup_key")),
    sa.column("data", JsonDocument),
    sa.column("at", UtcDateTime()),
)


def _senders_row(sender_id: uuid.UUID, name: str, orgnr: str, **values: object) -> dict[str, object]:
    base = {"digipost_id": None, "certificate_pem": None, "altinn_scopes": []}
    return {"id": sender_id, "name": name, "organisation_number": orgnr, "may_print": True,
            "may_direct_print": True, "created_at": WHEN, **base, **values}  # fmt: skip


def _credential(
    sender_id: uuid.UUID, dialect: str, kind: str, identifier: str, data: dict[str, object]
) -> dict[str, object]:
    return {"id": uuid.uuid4(), "sender_id": sender_id, "dialect": dialect, "kind": kind,
            "identifier": identifier, "data": data, "created_at": WHEN, "revoked_at": None}  # fmt: skip


def _database_at_0010(connection: Connection) -> None:
    command.upgrade(_config(connection), "0010")
    connection.execute(
        _senders.insert(),
        [
            _senders_row(BROKER, "Skatteetaten", "974761076", digipost_id=100001, certificate_pem=PEM),
            _senders_row(ALTINN, "Digdir", "991825827", altinn_scopes=[SCOPE]),
            # Written by a path that updated the row and never recorded a credential.
            _senders_row(LEGACY, "Gammel", "123456785", digipost_id=777777, certificate_pem=LEGACY_PEM),
        ],
    )
    connection.execute(
        _credentials.insert(),
        [
            _credential(BROKER, "digipost", "certificate", "100001", {"certificate_pem": PEM}),
            _credential(ALTINN, "altinn", "organisation", "991825827", {"scopes": [SCOPE]}),
        ],
    )
    connection.execute(
        _recipients.insert().values(
            id=RECIPIENT, party_id="no-person:15108695088", kind="person", name="Ola Nordmann",
            digital_mailbox=True, reserved=False, business_inbox=False, einvoice=False, ebank=False,
            kivra=False, created_at=WHEN, updated_at=WHEN,
        )
    )  # fmt: skip
    connection.execute(
        _shipments.insert().values(
            id=LETTER, sender_id=BROKER, recipient_id=RECIPIENT, dialect="digipost", external_id="m-1",
            status="delivered", request={}, created_at=WHEN, updated_at=WHEN,
        )
    )  # fmt: skip
    connection.execute(
        _documents.insert().values(
            id=DOCUMENT, shipment_id=LETTER, sender_id=BROKER, position=0, external_id="d-1",
            file_type="pdf", mime="application/pdf", sha256="a" * 64, size=10,
            authentication="PASSWORD", sensitivity="NORMAL", opening_receipt=False, datatype=WIRE_EVENT,
        )
    )  # fmt: skip
    about = {"shipment_id": LETTER, "sender_id": BROKER, "at": WHEN}
    connection.execute(
        _events.insert(),
        [
            {"id": uuid.uuid4(), "type": "payment_registered", "dedup_key": "pay", **about,
             "data": {"by": "recipient", "kind": "invoice-payment", "datatype": WIRE_PAYMENT}},
            {"id": uuid.uuid4(), "type": "data_added", "dedup_key": "proof", **about,
             "data": {"kind": "proof", "datatype": WIRE_PROOF_PERIOD}},
            {"id": uuid.uuid4(), "type": "delivered", "dedup_key": "d", **about,
             "data": {"datatype": {"kind": "event", "sub-title": "left alone"}}},
        ],
    )  # fmt: skip


def _columns(connection: Connection, table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(connection).get_columns(table)}


def _downgrade_to_0010(connection: Connection) -> None:
    command.downgrade(_config(connection), "0010")


async def test_an_upgrade_moves_credentials_off_the_row_and_renames_stored_datatypes(
    database_url: str,
) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as connection:
            await connection.run_sync(_database_at_0010)
        await migrate(database)
        async with database.reading() as connection:
            columns = await connection.run_sync(_columns, "senders")
            datatype = (await connection.execute(sa.select(_documents.c.datatype))).scalar_one()
            events = dict((await connection.execute(sa.select(_events.c.dedup_key, _events.c.data))).all())
        assert not {"digipost_id", "certificate_pem", "altinn_scopes"} & columns
        assert datatype == CORE_EVENT
        datatype_from_dict("event", datatype)  # readable by the domain, which knows core names only
        assert events["pay"]["datatype"] == CORE_PAYMENT
        proof = events["proof"]["datatype"]
        assert proof["valid_period"] == {
            "period": {"from_time": "2026-01-01T00:00:00", "to_time": "2026-12-31T23:59:00"}
        }
        assert proof["attributes"] == [{"title": "Område", "text": "Hele landet"}]
        datatype_from_dict("proof", proof)
        assert events["d"]["datatype"] == {"kind": "event", "sub-title": "left alone"}, (
            "only events that carry data"
        )

        async with SqlUnitOfWork(database, read_only=True) as uow:
            broker = await uow.senders.by_digipost_id(100001)
            legacy = await uow.senders.by_digipost_id(777777)
            altinn = await uow.senders.get(ALTINN)
        assert broker is not None
        assert (broker.id, broker.certificate_pem) == (BROKER, PEM)
        assert legacy is not None
        assert (legacy.id, legacy.certificate_pem) == (LEGACY, LEGACY_PEM)
        assert altinn is not None
        assert (altinn.altinn_scopes, altinn.digipost_id) == ((SCOPE,), None)

        async with database.transaction() as connection:
            await connection.run_sync(_downgrade_to_0010)
        async with database.reading() as connection:
            rows = (await connection.execute(sa.select(_senders).order_by(_senders.c.name))).mappings().all()
        by_id = {row["id"]: row for row in rows}
        assert (by_id[BROKER]["digipost_id"], by_id[BROKER]["certificate_pem"]) == (100001, PEM)
        assert (by_id[LEGACY]["digipost_id"], by_id[LEGACY]["certificate_pem"]) == (777777, LEGACY_PEM)
        assert list(by_id[ALTINN]["altinn_scopes"]) == [SCOPE]
        assert by_id[ALTINN]["digipost_id"] is None

        await migrate(database)  # and up again, with the unique id as the downgrade left it
        async with SqlUnitOfWork(database, read_only=True) as uow:
            again = await uow.senders.by_digipost_id(100001)
        assert again is not None
        assert again.id == BROKER
    finally:
        await database.dispose()


async def test_a_plain_upgrade_never_cascades_away_credentials(database_url: str) -> None:
    """Outside ``migrate`` (foreign-key actions on): SQLite, which must rebuild ``senders``, refuses
    rather than let the old table's drop cascade-delete every credential and API key; PostgreSQL
    drops the columns in place and keeps them all (plus the one a row-only id gets)."""
    database = Database(database_url)
    try:
        async with database.transaction() as connection:
            await connection.run_sync(_database_at_0010)

        async def plain_upgrade() -> None:
            async with database.transaction() as connection:
                await connection.run_sync(lambda c: command.upgrade(_config(c), "0011"))

        if database.is_sqlite:
            with pytest.raises(RuntimeError, match=r"postbud\.storage\.migrate"):
                await plain_upgrade()
        else:
            await plain_upgrade()
        async with database.reading() as connection:
            left = (await connection.execute(sa.select(sa.func.count()).select_from(_credentials))).scalar()
        assert left == (2 if database.is_sqlite else 3)
    finally:
        await database.dispose()

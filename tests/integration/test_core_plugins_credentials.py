"""Per-dialect credentials of senders (``sender_credentials``): the Digipost certificate and id, an
Ekopost API key or Basic login, an Altinn organisation; Swedish senders; the migration that moved
the credentials off the senders row."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Connection, insert, inspect, select
from typer.testing import CliRunner

from postbud.app import create_app
from postbud.bootstrap import build_runtime
from postbud.cli import app as cli
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate
from postbud.domain.errors import Conflict, ValidationFailed
from postbud.domain.identifiers import generate_swedish_orgnr
from postbud.domain.parties import Sender
from postbud.domain.sender_credentials import CredentialKind
from postbud.services.parties import credentials
from postbud.services.parties.senders import RegisterSender, issue_api_key, register_sender
from postbud.services.runtime import Runtime
from postbud.storage import schema
from postbud.storage.database import Database
from postbud.storage.errors import DuplicateKey
from postbud.storage.migrate import MIGRATIONS
from postbud.storage.types import JsonDocument, UtcDateTime

ORGNR = "974761076"
OTHER_ORGNR = "991825827"
SWEDISH = generate_swedish_orgnr(random.Random(8))


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        yield runtime
    finally:
        await runtime.close()


def certificate(name: str = "Skatteetaten") -> str:
    return generate_test_key_and_certificate(name)[1].decode("ascii")


async def register(runtime: Runtime, orgnr: str = ORGNR, **extra: Any) -> uuid.UUID:
    created = await register_sender(
        RegisterSender(name="Skatteetaten", organisation_number=orgnr, **extra), runtime
    )
    return created.sender.id


# --- Digipost: numeric id and certificate ---------------------------------------------------------


@pytest.mark.anyio
async def test_a_registered_sender_has_its_digipost_certificate_as_a_credential(runtime: Runtime) -> None:
    pem = certificate()
    sender_id = await register(runtime, digipost_id=123456, certificate_pem=pem)
    [credential] = await credentials.list_credentials(runtime, sender_id)
    assert (credential.dialect, credential.kind, credential.identifier) == (
        "digipost",
        CredentialKind.CERTIFICATE,
        "123456",
    )
    assert credential.certificate_pem == pem.strip() + "\n"
    found = await credentials.digipost_sender(runtime, 123456)
    assert found is not None
    assert found[0].id == sender_id
    assert found[1] == credential.certificate_pem
    assert await credentials.digipost_sender(runtime, 654321) is None


@pytest.mark.anyio
async def test_rotating_the_certificate_revokes_the_old_one_in_one_step(runtime: Runtime) -> None:
    sender_id = await register(runtime, digipost_id=123456, certificate_pem=certificate("old"))
    new_pem = certificate("new")
    await credentials.replace_digipost_certificate(runtime, sender_id, new_pem)
    found = await credentials.digipost_sender(runtime, 123456)
    assert found is not None
    assert found[1] == new_pem.strip() + "\n"
    every = await credentials.list_credentials(runtime, sender_id, include_revoked=True)
    assert sorted(c.revoked_at is None for c in every) == [False, True]  # one revoked, one live
    async with runtime.reader() as uow:  # the Digipost dialect's broker lookup reads the sender row
        sender = await uow.senders.by_digipost_id(123456)
    assert sender is not None
    assert sender.certificate_pem == new_pem.strip() + "\n"


@pytest.mark.anyio
async def test_a_revoked_id_is_refused_and_no_copy_of_it_is_left_anywhere(runtime: Runtime) -> None:
    sender_id = await register(runtime, digipost_id=123456, certificate_pem=certificate())
    [digipost] = await credentials.list_credentials(runtime, sender_id)
    await credentials.revoke_credential(runtime, digipost.id)
    assert await credentials.digipost_sender(runtime, 123456) is None
    async with runtime.reader() as uow:  # the sender as every reader sees it: from the credentials
        sender = await uow.senders.get(sender_id)
        listed = [s for s in await uow.senders.list() if s.id == sender_id]
        by_id = await uow.senders.by_digipost_id(123456)
    assert sender is not None
    assert (sender.digipost_id, sender.certificate_pem) == (None, None)
    assert [(s.digipost_id, s.certificate_pem) for s in listed] == [(None, None)]
    assert by_id is None


@pytest.mark.anyio
async def test_a_new_sender_brings_the_credentials_it_names_and_recording_them_again_changes_nothing(
    runtime: Runtime,
) -> None:
    pem = certificate()
    sender = Sender(uuid.uuid4(), "Digdir", OTHER_ORGNR, digipost_id=777777, certificate_pem=pem,
                    altinn_scopes=("altinn:correspondence.write",))  # fmt: skip
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(sender, now=runtime.clock.now())
        await credentials.record_digipost_certificate(uow, sender, runtime)  # as the sandbox seed does
    found = await credentials.digipost_sender(runtime, 777777)
    assert found is not None
    assert (found[0].id, found[1], found[0].altinn_scopes) == (
        sender.id,
        pem,
        ("altinn:correspondence.write",),
    )
    every = await credentials.list_credentials(runtime, sender.id, include_revoked=True)
    assert sorted((c.dialect, c.live) for c in every) == [("altinn", True), ("digipost", True)]


@pytest.mark.anyio
async def test_a_grant_is_what_the_sender_reads_as_its_altinn_scopes(runtime: Runtime) -> None:
    sender_id = await register(runtime)
    await credentials.grant_organisation(runtime, sender_id, "altinn", ("altinn:correspondence.write",))
    await credentials.grant_organisation(runtime, sender_id, "altinn", ("a", "b"))
    async with runtime.reader() as uow:
        sender = await uow.senders.get(sender_id)
    assert sender is not None
    assert sender.altinn_scopes == ("a", "b")
    [grant] = [c for c in await credentials.list_credentials(runtime, sender_id) if c.dialect == "altinn"]
    await credentials.revoke_credential(runtime, grant.id)
    async with runtime.reader() as uow:
        sender = await uow.senders.get(sender_id)
    assert sender is not None
    assert sender.altinn_scopes == ()


def test_the_cli_rotates_a_digipost_certificate(tmp_path: Path, database_url: str) -> None:
    place = ["--data-dir", str(tmp_path / "data"), "--database-url", database_url]
    made = CliRunner().invoke(cli, ["senders", "add", "--name", "S", "--orgnr", ORGNR, "--json", *place])
    assert made.exit_code == 0, made.stderr
    new_pem = tmp_path / "new.cert.pem"
    new_pem.write_text(certificate("new"))
    rotated = CliRunner().invoke(
        cli, ["senders", "certificate", "--sender", ORGNR, "--certificate", str(new_pem), "--json", *place]
    )
    assert rotated.exit_code == 0, rotated.stderr
    assert json.loads(rotated.stdout)["identifier"] == str(json.loads(made.stdout)["sender"]["digipost_id"])
    listed = CliRunner().invoke(cli, ["senders", "list", "--json", *place])
    [sender] = json.loads(listed.stdout)
    assert sender["certificate_pem"] == new_pem.read_text().strip() + "\n"  # the CLI's output follows


# --- Swedish senders ------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_swedish_organisationsnummer_is_accepted_with_or_without_its_hyphen(runtime: Runtime) -> None:
    sender_id = await register(runtime, orgnr=f"{SWEDISH[:6]}-{SWEDISH[6:]}")
    async with runtime.reader() as uow:
        sender = await uow.senders.get(sender_id)
    assert sender is not None
    assert sender.organisation_number == SWEDISH


@pytest.mark.anyio
async def test_a_wrong_check_digit_is_refused_in_either_country(runtime: Runtime) -> None:
    bad_swedish = SWEDISH[:9] + str((int(SWEDISH[9]) + 1) % 10)
    for orgnr in (bad_swedish, "974761077", "12345"):
        with pytest.raises(ValidationFailed) as raised:
            await register(runtime, orgnr=orgnr)
        assert raised.value.first.field == "organisation_number"


def test_the_cli_registers_a_swedish_sender(tmp_path: Path, database_url: str) -> None:
    place = ["--data-dir", str(tmp_path), "--database-url", database_url]
    add = ["senders", "add", "--name", "Skatteverket", "--orgnr", SWEDISH, "--json", *place]
    result = CliRunner().invoke(cli, add)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    created = json.loads(result.stdout)
    assert created["sender"]["organisation_number"] == SWEDISH
    assert created["api_key"].startswith("pb_live_")
    hyphenated = f"{SWEDISH[:6]}-{SWEDISH[6:]}"  # an operator may name it either way
    listed = CliRunner().invoke(cli, ["senders", "credentials", "--sender", hyphenated, "--json", *place])
    assert listed.exit_code == 0, listed.stderr
    [digipost] = json.loads(listed.stdout)
    assert digipost["dialect"] == "digipost"
    assert digipost["identifier"] == str(created["sender"]["digipost_id"])


# --- Ekopost: API key and Basic login --------------------------------------------------------------


def test_the_cli_sets_a_basic_login_and_revokes_it(tmp_path: Path, database_url: str) -> None:
    place = ["--data-dir", str(tmp_path), "--database-url", database_url]

    def run(*args: str, stdin: str | None = None) -> Any:
        result = CliRunner().invoke(cli, [*args, "--json", *place], input=stdin)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return json.loads(result.stdout)

    run("senders", "add", "--name", "Skatteverket", "--orgnr", SWEDISH)
    made = run("senders", "basic-login", "--sender", SWEDISH)
    assert made["user"] == SWEDISH
    assert len(made["password"]) >= credentials.MIN_PASSWORD_LENGTH
    chosen = run(
        "senders", "basic-login", "--sender", SWEDISH, "--password-stdin", stdin="a long enough secret\n"
    )
    assert chosen["password"] == "a long enough secret"
    live = run("senders", "credentials", "--sender", SWEDISH)
    assert sorted(c["kind"] for c in live) == ["basic_login", "certificate"]
    every = run("senders", "credentials", "--sender", SWEDISH, "--all")
    assert sorted((c["kind"], c["revoked_at"] is None) for c in every) == [
        ("basic_login", False),  # the replaced login stays on record
        ("basic_login", True),
        ("certificate", True),
    ]
    revoked = run("senders", "revoke-credential", chosen["credential"]["id"])
    assert revoked["revoked_at"] is not None
    assert [c["kind"] for c in run("senders", "credentials", "--sender", SWEDISH)] == ["certificate"]


@pytest.mark.anyio
async def test_a_basic_login_authenticates_only_with_its_current_password(runtime: Runtime) -> None:
    sender_id = await register(runtime)
    credential, password = await credentials.set_basic_login(runtime, sender_id, "ekopost")
    assert credential.identifier == ORGNR  # the user is the organisation number by default
    assert credential.secret_hash is not None
    assert password not in credential.secret_hash
    found = await credentials.sender_by_basic_login(runtime, "ekopost", ORGNR, password)
    assert found is not None
    assert found.id == sender_id
    assert await credentials.sender_by_basic_login(runtime, "ekopost", ORGNR, password + "x") is None
    assert await credentials.sender_by_basic_login(runtime, "altinn", ORGNR, password) is None

    _, chosen = await credentials.set_basic_login(
        runtime, sender_id, "ekopost", password="correct horse battery"
    )
    assert chosen == "correct horse battery"
    assert await credentials.sender_by_basic_login(runtime, "ekopost", ORGNR, password) is None
    replaced = await credentials.sender_by_basic_login(runtime, "ekopost", ORGNR, chosen)
    assert replaced is not None

    [live] = [
        c
        for c in await credentials.list_credentials(runtime, sender_id)
        if c.kind is CredentialKind.BASIC_LOGIN
    ]
    await credentials.revoke_credential(runtime, live.id)
    assert await credentials.sender_by_basic_login(runtime, "ekopost", ORGNR, chosen) is None
    with pytest.raises(Conflict):
        await credentials.revoke_credential(runtime, live.id)


@pytest.mark.anyio
async def test_a_user_name_belongs_to_one_sender_and_passwords_have_a_minimum(runtime: Runtime) -> None:
    first, second = await register(runtime), await register(runtime, orgnr=OTHER_ORGNR)
    await credentials.set_basic_login(runtime, first, "ekopost", user="kunde-1")
    with pytest.raises(Conflict):
        await credentials.set_basic_login(runtime, second, "ekopost", user="kunde-1")
    with pytest.raises(ValidationFailed) as raised:
        await credentials.set_basic_login(runtime, second, "ekopost", password="short")
    assert raised.value.first.field == "password"


@pytest.mark.anyio
async def test_two_senders_racing_for_one_user_name_get_one_login_and_one_conflict(runtime: Runtime) -> None:
    first, second = await register(runtime), await register(runtime, orgnr=OTHER_ORGNR)
    outcomes = await asyncio.gather(
        credentials.set_basic_login(runtime, first, "ekopost", user="kunde-1"),
        credentials.set_basic_login(runtime, second, "ekopost", user="kunde-1"),
        return_exceptions=True,
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "tuple"], outcomes
    owners = [c for s in (first, second) for c in await credentials.list_credentials(runtime, s)]
    assert [c.identifier for c in owners if c.kind is CredentialKind.BASIC_LOGIN] == ["kunde-1"]


@pytest.mark.anyio
async def test_the_database_keeps_one_live_credential_per_identifier(runtime: Runtime) -> None:
    """What a racing writer meets (the services turn it into a Conflict): the partial unique index."""
    sender_id = await register(runtime)
    twins = [
        credentials.new_credential(
            sender_id, "ekopost", CredentialKind.BASIC_LOGIN, "kunde-1", runtime=runtime
        )
        for _ in range(2)
    ]

    async def add_both() -> None:
        async with runtime.unit_of_work() as uow:
            for twin in twins:
                await uow.credentials.add(twin)

    with pytest.raises(DuplicateKey) as raised:
        await add_both()
    assert raised.value.constraint == "ix_sender_credentials_live"
    async with runtime.unit_of_work() as uow:  # a revoked one frees its identifier
        await uow.credentials.add(twins[0])
        assert await uow.credentials.revoke(twins[0].id, at=runtime.clock.now())
        await uow.credentials.add(twins[1])


@pytest.mark.anyio
async def test_a_dialect_api_key_works_in_its_dialect_and_the_platform_key_in_any(runtime: Runtime) -> None:
    sender_id = await register(runtime)
    dialect_key = await credentials.issue_dialect_api_key(runtime, sender_id, "ekopost")
    platform_key = await issue_api_key(sender_id, runtime)
    for dialect, key, expected in [
        ("ekopost", dialect_key, sender_id),
        ("altinn", dialect_key, None),
        ("ekopost", platform_key, sender_id),
        ("ekopost", dialect_key + "x", None),
    ]:
        found = await credentials.sender_by_dialect_api_key(runtime, dialect, key)
        assert (found.id if found else None) == expected, (dialect, key)
    stored = [
        c for c in await credentials.list_credentials(runtime, sender_id) if c.kind is CredentialKind.API_KEY
    ]
    assert [c.identifier for c in stored] == [credentials.api_key_identifier(dialect_key)]


# --- Altinn: the organisation and its scopes ----------------------------------------------------------


@pytest.mark.anyio
async def test_an_organisation_grant_names_its_scopes_and_a_new_grant_replaces_it(runtime: Runtime) -> None:
    sender_id = await register(runtime)
    await credentials.grant_organisation(runtime, sender_id, "altinn", ("altinn:correspondence.write",))
    await credentials.grant_organisation(
        runtime, sender_id, "altinn", ("altinn:correspondence.write", "altinn:serviceowner")
    )
    found = await credentials.sender_by_organisation(runtime, "altinn", ORGNR)
    assert found is not None
    assert found[0].id == sender_id
    assert found[1] == ("altinn:correspondence.write", "altinn:serviceowner")
    async with runtime.reader() as uow:
        row = await uow.senders.get(sender_id)
    assert row is not None
    assert row.altinn_scopes == ("altinn:correspondence.write", "altinn:serviceowner")
    assert await credentials.sender_by_organisation(runtime, "altinn", OTHER_ORGNR) is None
    with pytest.raises(ValidationFailed):
        await credentials.grant_organisation(runtime, sender_id, "altinn", ())


# --- The migration: credentials move off the senders row --------------------------------------------


SENDERS_AT_0010 = sa.table(
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
"""The senders table as revision 0010 left it (0011 moved the credentials off it)."""


def _upgrade(connection: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@pytest.mark.anyio
async def test_migration_0010_copies_the_credentials_on_sender_rows(database_url: str) -> None:
    database = Database(database_url)
    pem = certificate()
    digipost_sender, altinn_sender, plain_sender = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        async with database.transaction() as conn:
            await conn.run_sync(_upgrade, "0009")
            now = datetime.now(UTC)
            base = {"may_print": True, "may_direct_print": True, "created_at": now}
            senders = [
                {
                    "id": digipost_sender,
                    "name": "A",
                    "organisation_number": ORGNR,
                    "digipost_id": 100001,
                    "certificate_pem": pem,
                    "altinn_scopes": [],
                },
                {
                    "id": altinn_sender,
                    "name": "B",
                    "organisation_number": OTHER_ORGNR,
                    "digipost_id": None,
                    "certificate_pem": None,
                    "altinn_scopes": ["altinn:correspondence.write"],
                },
                {
                    "id": plain_sender,
                    "name": "C",
                    "organisation_number": SWEDISH,
                    "digipost_id": None,
                    "certificate_pem": None,
                    "altinn_scopes": [],
                },
            ]
            await conn.execute(insert(SENDERS_AT_0010).values([{**s, **base} for s in senders]))
        async with database.transaction() as conn:
            await conn.run_sync(_upgrade, "0010")
        async with database.reading() as conn:
            rows = (await conn.execute(select(schema.sender_credentials))).mappings().all()
    finally:
        await database.dispose()
    by_sender = {r["sender_id"]: r for r in rows}
    assert set(by_sender) == {digipost_sender, altinn_sender}
    digipost = by_sender[digipost_sender]
    assert (digipost["dialect"], digipost["kind"], digipost["identifier"]) == (
        "digipost",
        "certificate",
        "100001",
    )
    assert digipost["data"] == {"certificate_pem": pem}
    altinn = by_sender[altinn_sender]
    assert (altinn["dialect"], altinn["kind"], altinn["identifier"]) == (
        "altinn",
        "organisation",
        OTHER_ORGNR,
    )
    assert altinn["data"] == {"scopes": ["altinn:correspondence.write"]}
    assert all(r["revoked_at"] is None for r in rows)


# --- The platform API -----------------------------------------------------------------------------


def test_credentials_through_the_platform_api(tmp_path: Path, database_url: str) -> None:
    admin = {"Authorization": "Bearer test-admin-token"}
    settings = Settings(data_dir=tmp_path, database_url=database_url, admin_token="test-admin-token")
    with TestClient(create_app(settings)) as client:
        created = client.post(
            "/api/v1/senders", json={"name": "Skatteverket", "organisation_number": SWEDISH}, headers=admin
        )
        assert created.status_code == 201, created.text
        sender = created.json()["sender"]
        base = f"/api/v1/senders/{sender['id']}/credentials"
        as_sender = {"Authorization": f"Bearer {created.json()['api_key']}"}
        assert client.get(base, headers=as_sender).status_code == 403  # the admin manages credentials

        login = client.post(base + "/basic-login", json={"dialect": "ekopost"}, headers=admin)
        assert login.status_code == 201, login.text
        assert login.json()["user"] == SWEDISH
        assert len(login.json()["password"]) >= credentials.MIN_PASSWORD_LENGTH
        key = client.post(base + "/api-keys", json={"dialect": "ekopost"}, headers=admin)
        assert key.status_code == 201, key.text
        assert key.json()["api_key"].startswith(credentials.DIALECT_API_KEY_PREFIX)
        scopes = ["altinn:correspondence.write"]
        granted = client.put(base + "/organisation", json={"scopes": scopes}, headers=admin)
        assert granted.status_code == 200, granted.text
        assert granted.json()["scopes"] == scopes

        listed = client.get(base, headers=admin).json()
        kinds = sorted((c["dialect"], c["kind"]) for c in listed)
        assert kinds == [
            ("altinn", "organisation"),
            ("digipost", "certificate"),
            ("ekopost", "api_key"),
            ("ekopost", "basic_login"),
        ]
        assert all("password" not in c and "secret_hash" not in c for c in listed)

        revoked = client.delete(f"{base}/{login.json()['credential']['id']}", headers=admin)
        assert revoked.status_code == 200, revoked.text
        assert revoked.json()["revoked_at"] is not None
        again = client.delete(f"{base}/{login.json()['credential']['id']}", headers=admin)
        assert again.status_code == 409
        assert len(client.get(base, headers=admin).json()) == 3
        assert len(client.get(base, params={"include_revoked": True}, headers=admin).json()) == 4
        # Another sender's path does not reach this sender's credential.
        elsewhere = client.delete(
            f"/api/v1/senders/{uuid.uuid4()}/credentials/{granted.json()['id']}", headers=admin
        )
        assert elsewhere.status_code == 404


def _downgrade(connection: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _tables_and_webhook_columns(connection: Connection) -> tuple[set[str], set[str]]:
    inspector = inspect(connection)
    return set(inspector.get_table_names()), {c["name"] for c in inspector.get_columns("webhooks")}


@pytest.mark.anyio
async def test_migration_0010_goes_down_and_up_again(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as conn:
            await conn.run_sync(_upgrade, "head")
        async with database.transaction() as conn:
            await conn.run_sync(_downgrade, "0009")
        async with database.reading() as conn:
            tables, columns = await conn.run_sync(_tables_and_webhook_columns)
        assert not {"sender_credentials", "resources"} & tables
        assert "format" not in columns
        async with database.transaction() as conn:
            await conn.run_sync(_upgrade, "head")
        async with database.reading() as conn:
            tables, columns = await conn.run_sync(_tables_and_webhook_columns)
        assert {"sender_credentials", "resources"} <= tables
        assert "format" in columns
    finally:
        await database.dispose()

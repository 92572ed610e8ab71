"""The whole Postbud app on a fresh database of each backend, with what the robustness tests need:
a registered Digipost broker and its signing client, recipients, and a snapshot of everything stored
(row counts of every table and the set of blob files), so a test can assert that nothing was written.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate, load_private_key
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from postbud.services.parties.credentials import record_digipost_certificate
from postbud.services.runtime import Runtime
from postbud.storage.schema import metadata
from tests.integration.digipost_client import SignedClient
from tests.integration.digipost_fixtures import BROKER, MAILBOX_PERSON, PAPER_PERSON

OTHER_MAILBOX_PERSON = "01010110013"
"""A second person with a digital mailbox: the wrong recipient of the first one's letters."""


@dataclass(frozen=True)
class Stored:
    """What the store holds: rows per table and the blob files' relative paths."""

    rows: dict[str, int]
    blobs: frozenset[str]


@dataclass
class World:
    http: TestClient
    digipost: SignedClient
    data_dir: Path
    recipients: dict[str, uuid.UUID]
    """Each registered recipient's id by national identity number."""

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.http.app.state.runtime  # type: ignore[attr-defined]
        return runtime

    def stored(self) -> Stored:
        return stored_of(self.http)


def stored_of(http: TestClient) -> Stored:
    """Rows per table and the blob files of the app behind ``http``."""
    runtime: Runtime = http.app.state.runtime  # type: ignore[attr-defined]

    async def count() -> dict[str, int]:
        rows: dict[str, int] = {}
        async with runtime.database.read_engine.connect() as connection:
            for table in metadata.sorted_tables:
                rows[table.name] = (
                    await connection.execute(select(func.count()).select_from(table))
                ).scalar_one()
        return rows

    blob_root = Path(runtime.settings.resolved_blob_url)
    blobs = (
        frozenset(str(path.relative_to(blob_root)) for path in blob_root.rglob("*") if path.is_file())
        if blob_root.exists()
        else frozenset()
    )
    return Stored(http.portal.call(count), blobs)  # type: ignore[union-attr]


async def _register(runtime: Runtime, certificate_pem: str, recipients: dict[str, uuid.UUID]) -> None:
    now = runtime.clock.now()
    broker = Sender(
        uuid.uuid4(), "Testkommune", "974760673", digipost_id=BROKER, certificate_pem=certificate_pem
    )
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(broker, now=now)
        await record_digipost_certificate(uow, broker, runtime)
        await uow.recipients.add(
            Recipient(
                recipients[MAILBOX_PERSON],
                parse_party_id(MAILBOX_PERSON),
                "Ola Nordmann",
                Capabilities(digital_mailbox=True),
            ),
            now=now,
        )
        await uow.recipients.add(
            Recipient(
                recipients[OTHER_MAILBOX_PERSON],
                parse_party_id(OTHER_MAILBOX_PERSON),
                "Kari Digital",
                Capabilities(digital_mailbox=True),
            ),
            now=now,
        )
        await uow.recipients.add(
            Recipient(
                recipients[PAPER_PERSON], parse_party_id(PAPER_PERSON), "Kari Nordmann", Capabilities()
            ),
            now=now,
        )


@pytest.fixture
def world(tmp_path: Path, database_url: str) -> Iterator[World]:
    """The whole app (every dialect, the platform API and the web) on SQLite and on PostgreSQL."""
    key_pem, cert_pem = generate_test_key_and_certificate("Testkommune")
    data_dir = tmp_path / "data"
    app = create_app(Settings(data_dir=data_dir, database_url=database_url, workers=0))
    with TestClient(app, raise_server_exceptions=False) as http:
        runtime_of = lambda: app.state.runtime  # noqa: E731
        signed = SignedClient(http, BROKER, load_private_key(key_pem), runtime_of=runtime_of)
        recipients = {
            MAILBOX_PERSON: uuid.uuid4(),
            OTHER_MAILBOX_PERSON: uuid.uuid4(),
            PAPER_PERSON: uuid.uuid4(),
        }
        signed.run(_register, app.state.runtime, cert_pem.decode(), recipients)
        signed.entrypoint()
        yield World(http, signed, data_dir, recipients)


EKOPOST_CUSTOMER = "5568384118"
"""A Swedish customer of the Ekopost dialect (its organisation number)."""
EKOPOST_OTHER_CUSTOMER = "5560360793"


@dataclass(frozen=True)
class EkopostCustomer:
    api_key: str
    other_api_key: str
    """Another customer's key: the wrong sender of this one's campaigns."""
    campaign_id: str
    envelope_id: str
    """An open envelope (no content yet) in the open campaign."""

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"api-key {key or self.api_key}", "Content-Type": "application/json"}


_ekopost_customers: dict[str, EkopostCustomer] = {}


def ekopost_customer(world: World) -> EkopostCustomer:
    """The world's Ekopost customer with an open campaign and envelope (made once per world: the
    fixture is shared by a hypothesis test's examples)."""
    from postbud.services.parties.senders import RegisterSender, register_sender

    known = _ekopost_customers.get(str(world.data_dir))
    if known is not None:
        return known
    portal: Any = world.http.portal
    customer = portal.call(register_sender, RegisterSender("Ekokunden AB", EKOPOST_CUSTOMER), world.runtime)
    other = portal.call(register_sender, RegisterSender("Andra AB", EKOPOST_OTHER_CUSTOMER), world.runtime)
    headers = {"Authorization": f"api-key {customer.api_key}"}
    campaign = world.http.post(
        "/ekopost/campaigns", json={"name": "Fuzz", "output_date": "2026-12-31"}, headers=headers
    )
    assert campaign.status_code == 200, campaign.text
    campaign_id = campaign.json()["id"]
    envelope = world.http.post(
        f"/ekopost/campaigns/{campaign_id}/envelopes",
        json={"name": "Brev", "postage": "priority"},
        headers=headers,
    )
    assert envelope.status_code == 200, envelope.text
    made = EkopostCustomer(customer.api_key, other.api_key, campaign_id, envelope.json()["id"])
    _ekopost_customers[str(world.data_dir)] = made
    return made

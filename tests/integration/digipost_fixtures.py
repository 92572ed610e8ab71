"""Fixtures for Digipost-dialect tests: a running dialect with a registered broker and recipients.

Use ``from tests.integration.digipost_fixtures import client, ...`` in a test module to get the
``client`` fixture (a SignedClient that has already fetched and verified the entrypoint).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from lxml import etree
from reportlab.pdfgen import canvas
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from postbud.app import create_app
from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.crypto.keys import generate_test_key_and_certificate, load_private_key
from postbud.dialects.digipost.app import create_digipost_app
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from postbud.services.parties.credentials import record_digipost_certificate
from postbud.services.runtime import Runtime
from tests.integration.digipost_client import V8, SignedClient

BROKER = 100123
MAILBOX_PERSON = "15108695088"
PAPER_PERSON = "31129956715"


def a_pdf(text: str = "Hei") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, text)
    page.save()
    return buffer.getvalue()


async def _prepare(settings: Settings, certificate_pem: str) -> None:
    runtime = await build_runtime(settings)
    now = runtime.clock.now()
    async with runtime.unit_of_work() as uow:
        broker = Sender(
            uuid.uuid4(), "Testkommune", "974760673", digipost_id=BROKER, certificate_pem=certificate_pem
        )
        await uow.senders.add(broker, now=now)
        await record_digipost_certificate(uow, broker, runtime)
        await uow.recipients.add(
            Recipient(
                uuid.uuid4(),
                parse_party_id(MAILBOX_PERSON),
                "Ola Nordmann",
                Capabilities(digital_mailbox=True),
            ),
            now=now,
        )
        await uow.recipients.add(
            Recipient(uuid.uuid4(), parse_party_id(PAPER_PERSON), "Kari Nordmann", Capabilities()), now=now
        )
    await runtime.close()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[SignedClient]:
    yield from _dialect_client(Settings(data_dir=tmp_path / "data", workers=0))


@pytest.fixture
def client_on_each_backend(tmp_path: Path, database_url: str) -> Iterator[SignedClient]:
    """``client`` on a fresh database of each backend (SQLite and PostgreSQL)."""
    yield from _dialect_client(Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0))


def _dialect_client(settings: Settings) -> Iterator[SignedClient]:
    key_pem, cert_pem = generate_test_key_and_certificate("Testkommune")
    asyncio.run(_prepare(settings, cert_pem.decode()))
    holder: dict[str, Runtime] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        holder["runtime"] = await build_runtime(settings)
        yield
        await holder["runtime"].close()

    app = Starlette(
        lifespan=lifespan, routes=[Mount("/digipost", create_digipost_app(lambda: holder["runtime"]))]
    )
    with TestClient(app) as http:
        signed = SignedClient(http, BROKER, load_private_key(key_pem), runtime_of=lambda: holder["runtime"])
        signed.entrypoint()
        yield signed


@pytest.fixture
def whole_app_client(tmp_path: Path) -> Iterator[SignedClient]:
    """A signed client of the whole Postbud app (not the dialect alone)."""
    key_pem, cert_pem = generate_test_key_and_certificate("Testkommune")
    app = create_app(Settings(data_dir=tmp_path / "data", workers=0))
    with TestClient(app) as http:

        async def register() -> None:
            runtime = app.state.runtime
            now = runtime.clock.now()
            broker = Sender(
                uuid.uuid4(),
                "Testkommune",
                "974760673",
                digipost_id=BROKER,
                certificate_pem=cert_pem.decode(),
            )
            person = Recipient(
                uuid.uuid4(),
                parse_party_id(MAILBOX_PERSON),
                "Ola Nordmann",
                Capabilities(digital_mailbox=True),
            )
            async with runtime.unit_of_work() as uow:
                await uow.senders.add(broker, now=now)
                await record_digipost_certificate(uow, broker, runtime)
                await uow.recipients.add(person, now=now)

        signed = SignedClient(http, BROKER, load_private_key(key_pem), runtime_of=lambda: app.state.runtime)
        signed.run(register)
        signed.entrypoint()
        yield signed


def message(recipient_xml: str, document_uuid: str, *, extra: str = "", subject: str = "Vedtak") -> str:
    return (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id>'
        f"<recipient>{recipient_xml}</recipient>"
        f"<primary-document><uuid>{document_uuid}</uuid><subject>{subject}</subject><file-type>pdf</file-type>"
        f"{extra}</primary-document></message>"
    )


def text(root: etree._Element, name: str) -> str | None:
    return root.findtext(f"{{{V8}}}{name}")


def error_code(response: object) -> str | None:
    root = etree.fromstring(response.content)  # type: ignore[attr-defined]
    return text(root, "error-code")

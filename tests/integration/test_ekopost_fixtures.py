"""Fixtures for Ekopost-dialect tests: the whole Postbud app (SQLite and PostgreSQL) with a Swedish
customer, its API key, and recipients with and without a digital mailbox.

Other ``test_ekopost_*`` modules import ``ekopost`` from here. Requests go through the real app
(Starlette's TestClient over ASGI), as the PHP and eduID clients send them.
"""

from __future__ import annotations

import asyncio
import base64
import io
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from starlette.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.query import get_shipment
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime

T = TypeVar("T")
CUSTOMER_ORGNR = "5568384118"
OTHER_ORGNR = "5560360793"
SE_PERSON_WITH_MAILBOX = "196103054166"
SE_PERSON_WITH_KIVRA = "198212172111"
NO_PERSON_WITH_MAILBOX = "15108695088"
NO_PERSON_WITHOUT_MAILBOX = "31129956715"
WINDOW_ADDRESS = ("Tolvan Tolvansson", "Storgatan 1", "123 45 Stockholm")


def letter_pdf(window_lines: tuple[str, ...] = WINDOW_ADDRESS, body: str = "Hej!", pages: int = 1) -> bytes:
    """An A4 letter with ``window_lines`` in Ekopost's window (x 112–207 mm, y 35–71 mm from the top)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        if page == 0:
            for index, line in enumerate(window_lines):
                pdf.drawString(115 * mm, (297 - 42 - 6 * index) * mm, line)
        pdf.drawString(25 * mm, 180 * mm, f"{body} (page {page + 1})")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def content_body(data: bytes, *, type: str = "document", mime: str = "application/pdf") -> dict[str, Any]:
    return {"data": b64(data), "mime": mime, "length": len(data), "type": type}


@dataclass
class Ekopost:
    http: TestClient
    api_key: str
    other_api_key: str
    base: str = "/ekopost"

    @property
    def runtime(self) -> Runtime:
        return self.http.app.state.runtime  # type: ignore[attr-defined,no-any-return]

    def run(self, coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
        return self.http.portal.call(coroutine)  # type: ignore[union-attr]

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"api-key {key or self.api_key}", "Content-Type": "application/json"}

    def basic(self, user: str = CUSTOMER_ORGNR, password: str | None = None) -> dict[str, str]:
        token = base64.b64encode(f"{user}:{password or self.api_key}".encode()).decode()
        return {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

    def post(
        self, path: str, body: object = None, *, key: str | None = None, raw: bytes | None = None
    ) -> Any:
        if raw is not None:
            return self.http.post(self.base + path, content=raw, headers=self.headers(key))
        return self.http.post(self.base + path, json=body, headers=self.headers(key))

    def get(self, path: str, *, key: str | None = None, params: dict[str, str] | None = None) -> Any:
        return self.http.get(self.base + path, headers=self.headers(key), params=params)

    def campaign(self, **fields: Any) -> dict[str, Any]:
        body = {"name": "Test", "output_date": "2026-01-01", **fields}
        response = self.post("/campaigns", body)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def envelope(self, campaign_id: str, **fields: Any) -> dict[str, Any]:
        response = self.post(f"/campaigns/{campaign_id}/envelopes", {"name": "Brev", **fields})
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def add(self, campaign_id: str, envelope_id: str, body: dict[str, Any]) -> Any:
        return self.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/content", body)

    def wait_for(self, envelope_id: str, *statuses: ShipmentStatus, timeout: float = 30.0) -> ShipmentStatus:
        """Until the worker has moved the letter to one of ``statuses``."""
        import uuid

        deadline = time.monotonic() + timeout
        while True:
            details = self.run(lambda: get_shipment(uuid.UUID(envelope_id), self.runtime))
            if details.shipment.status in statuses:
                return details.shipment.status
            assert time.monotonic() < deadline, f"letter stayed {details.shipment.status}"
            self.run(lambda: asyncio.sleep(0.05))


async def _prepare(runtime: Runtime) -> tuple[str, str]:
    customer = await register_sender(RegisterSender("Ekokunden AB", CUSTOMER_ORGNR), runtime)
    other = await register_sender(RegisterSender("Andra AB", OTHER_ORGNR), runtime)
    people = [
        RecipientInput(SE_PERSON_WITH_MAILBOX, "Tolvan Tolvansson", mailbox=True),
        RecipientInput(SE_PERSON_WITH_KIVRA, "Kivra Kund", kivra=True),
        RecipientInput(NO_PERSON_WITH_MAILBOX, "Ola Nordmann", mailbox=True),
        RecipientInput(NO_PERSON_WITHOUT_MAILBOX, "Kari Nordmann", address="Storgata 1|0155|Oslo"),
    ]
    for person in people:
        await register_recipient(person, runtime)
    return customer.api_key, other.api_key


def _running(tmp_path: Path, database_url: str, **settings: Any) -> Iterator[Ekopost]:
    app = create_app(
        Settings(
            data_dir=tmp_path / "data",
            database_url=database_url,
            admin_token="test-admin-token",
            **{"workers": 1, **settings},
        )
    )
    with TestClient(app) as http:
        client = Ekopost(http, "", "")
        client.api_key, client.other_api_key = client.run(lambda: _prepare(client.runtime))
        yield client


@pytest.fixture
def ekopost(tmp_path: Path, database_url: str) -> Iterator[Ekopost]:
    yield from _running(tmp_path, database_url)


@pytest.fixture
def ekopost_without_workers(tmp_path: Path, database_url: str) -> Iterator[Ekopost]:
    """The app with no job workers: what requests alone do, before any job runs."""
    yield from _running(tmp_path, database_url, workers=0)


SMALL_DOCUMENT_LIMIT = 1_000_000


@pytest.fixture
def small_ekopost(tmp_path: Path, database_url: str) -> Iterator[Ekopost]:
    """The app with a document limit of 1 MB (``POSTBUD_MAX_DOCUMENT_BYTES``; 100 MiB by default)."""
    yield from _running(tmp_path, database_url, max_document_bytes=SMALL_DOCUMENT_LIMIT)


def test_the_customer_is_known_by_its_api_key(ekopost: Ekopost) -> None:
    assert ekopost.get("/campaigns").status_code == 200
    refused = ekopost.get("/campaigns", key="wrong")
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "0"

"""Two clients creating the same batch at the same moment: one batch, the others a clean Conflict."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx2 as httpx
import pytest
from lxml import etree
from starlette.applications import Starlette
from starlette.routing import Mount

from postbud.crypto.keys import generate_test_key_and_certificate, load_private_key
from postbud.dialects.digipost.app import create_digipost_app
from postbud.domain.batches import Batch
from postbud.domain.errors import Conflict
from postbud.domain.parties import Sender
from postbud.services.letters.batches import open_batch
from tests.integration.core_helpers import add_sender, runtime_for
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER

pytestmark = pytest.mark.anyio

CREATES = 6


async def test_concurrent_creates_of_one_batch_uuid_make_one_batch(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    try:
        for round_ in range(3):
            results = await asyncio.gather(
                *(
                    open_batch(runtime, sender_id=sender, dialect="digipost", external_id=f"race-{round_}")
                    for _ in range(CREATES)
                ),
                return_exceptions=True,
            )
            created = [r for r in results if isinstance(r, Batch)]
            refused = [r for r in results if isinstance(r, Conflict)]
            assert len(created) == 1, results
            assert len(refused) == CREATES - 1, results
            assert all(r.field == "batch.id" for r in refused)
            async with runtime.reader() as uow:
                stored = await uow.batches.by_external_id(sender, "digipost", f"race-{round_}")
            assert stored is not None
            assert stored.id == created[0].id
    finally:
        await runtime.close()


async def test_concurrent_posts_of_one_batch_answer_201_once_then_duplicate_message(
    tmp_path: Path, database_url: str
) -> None:
    key_pem, cert_pem = generate_test_key_and_certificate("Testkommune")
    runtime = await runtime_for(tmp_path, database_url)
    async with runtime.unit_of_work() as uow:
        await uow.senders.add(
            Sender(
                uuid.uuid4(),
                "Testkommune",
                "974760673",
                digipost_id=BROKER,
                certificate_pem=cert_pem.decode(),
            ),
            now=runtime.clock.now(),
        )
    app = Starlette(routes=[Mount("/digipost", create_digipost_app(lambda: runtime))])
    signer = SignedClient(http=None, broker_id=BROKER, key=load_private_key(key_pem))  # type: ignore[arg-type]
    path = "/digipost/batches"

    async def create(http: httpx.AsyncClient, body: bytes) -> httpx.Response:
        headers = signer.headers("POST", path, body)
        headers["Content-Type"] = "application/vnd.digipost-v8+xml"
        return await http.post(path, content=body, headers=headers)

    rounds: list[list[httpx.Response]] = []
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            # A first request loads the broker's key, so the racing creates reach the database together.
            assert (await create(http, b"<not-a-batch/>")).status_code == 400
            for _ in range(3):
                body = f'<batch xmlns="{V8}"><uuid>{uuid.uuid4()}</uuid></batch>'.encode()
                rounds.append(list(await asyncio.gather(*(create(http, body) for _ in range(CREATES)))))
    finally:
        await runtime.close()
    for responses in rounds:
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201] + [400] * (CREATES - 1), [r.text for r in responses]
        for response in (r for r in responses if r.status_code == 400):
            root = etree.fromstring(response.content)
            assert root.findtext(f"{{{V8}}}error-code") == "DUPLICATE_MESSAGE"
            assert root.findtext(f"{{{V8}}}error-type") == "CLIENT_DATA"

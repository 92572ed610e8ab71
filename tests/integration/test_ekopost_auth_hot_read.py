"""The Ekopost request path finds its caller by a prepared read on SQLite and through the
repositories elsewhere: the same Sender either way, and a revoked key finds no one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.sender_credentials import CredentialKind
from postbud.services.parties import credentials
from postbud.services.parties.senders import RegisterSender, issue_api_key, register_sender
from postbud.services.runtime import Runtime


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        yield runtime
    finally:
        await runtime.close()


@pytest.mark.anyio
async def test_a_key_finds_the_whole_sender_and_a_revoked_key_finds_no_one(runtime: Runtime) -> None:
    created = await register_sender(
        RegisterSender(name="Bolaget AB", organisation_number="556838-4118"), runtime
    )
    sender_id = created.sender.id
    dialect_key = await credentials.issue_dialect_api_key(runtime, sender_id, "ekopost")
    platform_key = await issue_api_key(sender_id, runtime)
    async with runtime.unit_of_work() as uow:
        stored = await uow.senders.get(sender_id)
    assert stored is not None

    assert await credentials.sender_by_dialect_api_key(runtime, "ekopost", dialect_key) == stored
    assert await credentials.sender_by_dialect_api_key(runtime, "ekopost", platform_key) == stored

    (live,) = [
        c for c in await credentials.list_credentials(runtime, sender_id) if c.kind is CredentialKind.API_KEY
    ]
    await credentials.revoke_credential(runtime, live.id)
    assert await credentials.sender_by_dialect_api_key(runtime, "ekopost", dialect_key) is None
    assert await credentials.sender_by_dialect_api_key(runtime, "ekopost", platform_key) == stored

"""The resource registry (Altinn resource id → owner, titles, confidential, minimum authentication
level): through its use cases, ``postbud resources add|list`` and ``/api/v1/resources``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from postbud.app import create_app
from postbud.bootstrap import build_runtime
from postbud.cli import app as cli
from postbud.config import Settings
from postbud.domain.errors import Conflict, NotFound, ValidationFailed
from postbud.services.parties.resources import (
    RegisterResource,
    get_resource,
    list_resources,
    register_resource,
    update_resource,
)
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime
from postbud.storage.errors import DuplicateKey

ORGNR = "974761076"
OTHER_ORGNR = "991825827"
ADMIN = {"Authorization": "Bearer test-admin-token"}


@pytest.fixture
async def runtime(tmp_path: Path, database_url: str) -> AsyncIterator[Runtime]:
    runtime = await build_runtime(Settings(data_dir=tmp_path, database_url=database_url))
    try:
        await register_sender(RegisterSender(name="Skatteetaten", organisation_number=ORGNR), runtime)
        yield runtime
    finally:
        await runtime.close()


# --- Use cases ------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_resource_belongs_to_a_registered_sender(runtime: Runtime) -> None:
    resource = await register_resource(
        RegisterResource(
            id="urn:altinn:resource:skd-melding",
            owner=ORGNR,
            titles={"nb": "Skattemelding", "en": "Tax return"},
            confidential=True,
            min_auth_level=3,
        ),
        runtime,
    )
    assert resource.id == "skd-melding"
    assert resource.urn == "urn:altinn:resource:skd-melding"
    assert resource.owner_organisation_number == ORGNR
    assert (resource.confidential, resource.min_auth_level) == (True, 3)
    assert resource.title("en") == "Tax return"
    assert resource.title("nn") == "Skattemelding"  # falls back to Bokmål
    assert await get_resource(runtime, "skd-melding") == resource
    assert [r.id for r in await list_resources(runtime, owner_sender_id=resource.owner_sender_id)] == [
        "skd-melding"
    ]


@pytest.mark.anyio
async def test_what_the_registry_refuses(runtime: Runtime) -> None:
    await register_resource(RegisterResource(id="skd-melding", owner=ORGNR), runtime)
    with pytest.raises(Conflict):
        await register_resource(RegisterResource(id="skd-melding", owner=ORGNR), runtime)
    refused: list[tuple[RegisterResource, str]] = [
        (RegisterResource(id="other", owner=OTHER_ORGNR), "owner"),  # not a registered sender
        (RegisterResource(id="Has Spaces", owner=ORGNR), "id"),
        (RegisterResource(id="", owner=ORGNR), "id"),
        (RegisterResource(id="level", owner=ORGNR, min_auth_level=5), "min_auth_level"),
        (RegisterResource(id="title", owner=ORGNR, titles={"english": "x"}), "title"),
    ]
    for command, field in refused:
        with pytest.raises(ValidationFailed) as raised:
            await register_resource(command, runtime)
        assert raised.value.first.field == field, command
    with pytest.raises(NotFound):
        await get_resource(runtime, "unknown")


@pytest.mark.anyio
async def test_two_requests_racing_for_one_id_register_it_once(runtime: Runtime) -> None:
    command = RegisterResource(id="skd-melding", owner=ORGNR)
    outcomes = await asyncio.gather(
        register_resource(command, runtime), register_resource(command, runtime), return_exceptions=True
    )
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Resource"], outcomes
    # What the later writer meets when both passed the check: the primary key, by its name.
    resource = await get_resource(runtime, "skd-melding")
    with pytest.raises(DuplicateKey) as raised:
        async with runtime.unit_of_work() as uow:
            await uow.resources.add(resource)
    assert raised.value.constraint == "pk_resources"


@pytest.mark.anyio
async def test_an_update_changes_only_what_is_given(runtime: Runtime) -> None:
    created = await register_resource(
        RegisterResource(id="skd-melding", owner=ORGNR, titles={"nb": "A"}), runtime
    )
    changed = await update_resource(runtime, "skd-melding", confidential=True)
    assert changed.titles == {"nb": "A"}
    assert changed.confidential
    assert await get_resource(runtime, "skd-melding") == changed
    other_owner = await register_sender(RegisterSender(name="NAV", organisation_number=OTHER_ORGNR), runtime)
    with pytest.raises(NotFound):
        await update_resource(runtime, "skd-melding", min_auth_level=4, owner_sender_id=other_owner.sender.id)
    assert (await get_resource(runtime, "skd-melding")).min_auth_level == created.min_auth_level


# --- The CLI --------------------------------------------------------------------------------------------


def test_resources_add_and_list_on_the_command_line(tmp_path: Path, database_url: str) -> None:
    place = ["--data-dir", str(tmp_path), "--database-url", database_url]

    def run(*args: str) -> Any:
        result = CliRunner().invoke(cli, [*args, "--json", *place])
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return json.loads(result.stdout)

    run("senders", "add", "--name", "Skatteetaten", "--orgnr", ORGNR)
    added = run(
        "resources", "add", "--id", "skd-melding", "--owner", ORGNR, "--title", "Skattemelding",
        "--title-in", "en=Tax return", "--confidential", "--min-auth-level", "3",
    )  # fmt: skip
    assert added["id"] == "skd-melding"
    assert added["owner_organisation_number"] == ORGNR
    assert added["titles"] == {"nb": "Skattemelding", "en": "Tax return"}
    assert added["confidential"] is True
    assert added["min_auth_level"] == 3
    assert run("resources", "list") == [added]
    assert run("resources", "list", "--owner", ORGNR) == [added]

    unknown_owner = CliRunner().invoke(
        cli, ["resources", "add", "--id", "x", "--owner", OTHER_ORGNR, "--json", *place]
    )
    assert unknown_owner.exit_code == 1
    assert json.loads(unknown_owner.stderr)["error"]["errors"][0]["field"] == "owner"


# --- The platform API ---------------------------------------------------------------------------------


@pytest.fixture
def client(tmp_path: Path, database_url: str) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, admin_token="test-admin-token")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _sender(client: TestClient, orgnr: str) -> dict[str, Any]:
    response = client.post("/api/v1/senders", json={"name": "S", "organisation_number": orgnr}, headers=ADMIN)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_resources_through_the_platform_api(client: TestClient) -> None:
    owner, other = _sender(client, ORGNR), _sender(client, OTHER_ORGNR)
    as_owner = {"Authorization": f"Bearer {owner['api_key']}"}
    as_other = {"Authorization": f"Bearer {other['api_key']}"}
    body = {"id": "skd-melding", "owner": ORGNR, "titles": {"nb": "Skattemelding"}, "min_auth_level": 3}

    assert client.post("/api/v1/resources", json=body, headers=as_owner).status_code == 403  # admin only
    created = client.post("/api/v1/resources", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    resource = created.json()
    assert resource["urn"] == "urn:altinn:resource:skd-melding"
    assert resource["owner_sender_id"] == owner["sender"]["id"]
    assert client.post("/api/v1/resources", json=body, headers=ADMIN).status_code == 409
    unknown = client.post("/api/v1/resources", json={**body, "id": "x", "owner": "123456785"}, headers=ADMIN)
    assert unknown.status_code == 400
    assert unknown.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in unknown.json()["errors"]] == ["owner"]

    assert client.get("/api/v1/resources", headers=ADMIN).json() == [resource]
    assert client.get("/api/v1/resources", headers=as_owner).json() == [resource]
    assert client.get("/api/v1/resources", headers=as_other).json() == []  # an API key sees its own
    assert client.get("/api/v1/resources/skd-melding", headers=as_owner).json() == resource
    assert client.get("/api/v1/resources/skd-melding", headers=as_other).status_code == 404
    patched = client.patch("/api/v1/resources/skd-melding", json={"confidential": True}, headers=as_owner)
    assert patched.status_code == 200, patched.text
    assert patched.json()["confidential"] is True
    assert (
        client.patch(
            "/api/v1/resources/skd-melding", json={"confidential": False}, headers=as_other
        ).status_code
        == 404
    )
    assert client.get("/api/v1/resources/skd-melding").status_code == 401

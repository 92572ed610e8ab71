"""Fixtures for the Altinn Correspondence dialect's endpoint tests: the whole Postbud app with two
service owners (each owning a resource), recipient organisations and people, and tokens from the
sandbox issuer, as the real clients carry them.

Use ``from tests.integration.altinn_api_fixtures import altinn, Altinn`` in a test module.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from postbud.app import create_app
from postbud.config import Settings
from postbud.dialects.altinn.tokens import (
    RECIPIENT_SCOPE,
    SENDER_SCOPE,
    mint_organisation_token,
    mint_person_token,
)
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.jobs.worker import Worker
from postbud.plugins.registry import default_dialects
from postbud.services.letters.query import ShipmentFilter, list_shipments
from postbud.services.parties.resources import RegisterResource, register_resource
from postbud.services.parties.senders import RegisterSender, register_sender
from postbud.services.runtime import Runtime
from postbud.services.sandbox.clock import advance_clock
from postbud.services.sandbox.token_issuer import token_issuer

API = "/correspondence/api/v1"
OWNER = "974761076"
"""Owns ``RESOURCE``."""
OTHER_OWNER = "991825827"
"""Owns ``OTHER_RESOURCE``."""
RESOURCE = "skd-melding"
OTHER_RESOURCE = "nav-vedtak"
ORG_RECIPIENT = "988077917"
OTHER_ORG_RECIPIENT = "974760673"
PERSON = "15108695088"
OTHER_PERSON = "01010110013"
RESERVED_PERSON = "01010110021"
UNREGISTERED_ORG = "923609016"


class Altinn:
    """A running app and what a test does with it: call it as a party, run its jobs, move its clock."""

    def __init__(self, http: TestClient) -> None:
        self.http = http

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.http.app.state.runtime  # type: ignore[attr-defined]
        return runtime

    def run(self, function: Any, *args: Any) -> Any:
        return self.http.portal.call(function, *args)  # type: ignore[union-attr]

    def org_token(self, orgnr: str, scope: str = SENDER_SCOPE) -> str:
        settings = self.runtime.settings
        issuer = token_issuer(settings.resolved_data_dir)
        return mint_organisation_token(issuer, settings.resolved_public_url, orgnr, [scope])

    def person_token(self, pid: str, scope: str = RECIPIENT_SCOPE) -> str:
        settings = self.runtime.settings
        issuer = token_issuer(settings.resolved_data_dir)
        return mint_person_token(issuer, settings.resolved_public_url, pid, [scope])

    def as_sender(self, orgnr: str = OWNER) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.org_token(orgnr)}"}

    def as_org(self, orgnr: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.org_token(orgnr, RECIPIENT_SCOPE)}"}

    def as_person(self, pid: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.person_token(pid)}"}

    def initialize(self, body: dict[str, Any], *, orgnr: str = OWNER) -> Response:
        return self.http.post(f"{API}/correspondence", json=body, headers=self.as_sender(orgnr))

    def initialized(self, body: dict[str, Any], *, orgnr: str = OWNER) -> list[str]:
        """The correspondence ids of an initialize that must succeed."""
        response = self.initialize(body, orgnr=orgnr)
        assert response.status_code == 200, response.text
        return [c["correspondenceId"] for c in response.json()["correspondences"]]

    def get(self, path: str, headers: dict[str, str], **params: Any) -> Response:
        return self.http.get(f"{API}{path}", headers=headers, params=params or None)

    def post(self, path: str, headers: dict[str, str], **kwargs: Any) -> Response:
        return self.http.post(f"{API}{path}", headers=headers, **kwargs)

    def delete(self, path: str, headers: dict[str, str]) -> Response:
        return self.http.delete(f"{API}{path}", headers=headers)

    def work(self) -> int:
        """Run every due job (publishing among them) until none is left."""

        async def drain() -> int:
            worker = Worker(self.runtime, default_dialects().job_handlers())
            total = 0
            while claimed := await worker.run_once():
                total += claimed
            return total

        return int(self.run(drain))

    def advance(self, by: timedelta) -> None:
        self.run(advance_clock, self.runtime, by)


def letters(world: Altinn) -> int:
    page = world.run(list_shipments, ShipmentFilter(limit=500), world.runtime)
    return len(page.shipments)


def problem(response: Any, status: int, number: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == f"CORR-{number:05d}", body
    assert body["errorCode"] == number
    assert body["status"] == status
    assert body["traceId"].startswith("00-")
    assert body["type"].startswith("https://tools.ietf.org/html/rfc")
    return body


def validation(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == "STD-00000"
    assert body["validationErrors"], body
    errors: dict[str, list[str]] = body["errors"]
    return errors


def correspondence(*recipients: str, resource: str = RESOURCE, **changes: Any) -> dict[str, Any]:
    """An initialize body (reference §3.7) to ``recipients`` (default: the organisation recipient)."""
    base: dict[str, Any] = {
        "resourceId": resource,
        "sendersReference": "case-123",
        "content": {
            "language": "nb",
            "messageTitle": "Vedtak",
            "messageSummary": "Kort sammendrag",
            "messageBody": "Hei {{recipientName}}, se **vedlegg**.",
        },
        "propertyList": {"caseNumber": "123"},
        "replyOptions": [{"linkURL": "https://example.no/svar", "linkText": "Svar"}],
    }
    base.update(changes)
    return {
        "correspondence": base,
        "recipients": list(recipients) or [f"urn:altinn:organization:identifier-no:{ORG_RECIPIENT}"],
        "existingAttachments": [],
    }


async def _prepare(runtime: Runtime) -> None:
    await register_sender(RegisterSender(name="Skatteetaten", organisation_number=OWNER), runtime)
    await register_sender(RegisterSender(name="NAV", organisation_number=OTHER_OWNER), runtime)
    await register_resource(
        RegisterResource(id=RESOURCE, owner=OWNER, titles={"nb": "Skattemelding"}), runtime
    )
    await register_resource(RegisterResource(id=OTHER_RESOURCE, owner=OTHER_OWNER), runtime)
    now = runtime.clock.now()
    people = [
        (
            PERSON,
            "Ola Nordmann",
            Capabilities(digital_mailbox=True, business_inbox=True, mobile="+4791234567"),
        ),
        (OTHER_PERSON, "Kari Nordmann", Capabilities(digital_mailbox=True, business_inbox=True)),
        (RESERVED_PERSON, "Per Reservert", Capabilities(reserved=True)),
        (ORG_RECIPIENT, "Bedrift AS", Capabilities(business_inbox=True, email="post@bedrift.example")),
        (OTHER_ORG_RECIPIENT, "Annen Bedrift AS", Capabilities(business_inbox=True)),
    ]
    async with runtime.unit_of_work() as uow:
        for number, name, capabilities in people:
            await uow.recipients.add(
                Recipient(uuid.uuid4(), parse_party_id(number), name, capabilities), now=now
            )


@pytest.fixture
def altinn(tmp_path: Path, database_url: str) -> Iterator[Altinn]:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0))
    with TestClient(app) as http:
        world = Altinn(http)
        world.run(_prepare, world.runtime)
        yield world

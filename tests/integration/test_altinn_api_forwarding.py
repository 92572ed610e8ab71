"""Forwarding (§5.6) over HTTP on SQLite and PostgreSQL, against a real SMTP server: C11 sends a read
correspondence on by the core's e-mail channel (its text, the recipient's words, the attachments),
answers the forwarding's id and ends ``Forwarded``; each refusal its catalogue code in the real
service's order; H4 tells whether a correspondence allows it (with its own scope only)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from postbud.dialects.altinn.forwarding_http import CHECK_SCOPE
from tests.integration.altinn_api_fixtures import (
    API,
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    Altinn,
    _prepare,
    correspondence,
    problem,
    validation,
)
from tests.integration.test_channels import SmtpInbox, smtp
from tests.real_pdf import real_pdf

__all__ = ["smtp"]

PDF = real_pdf("forwarded " + os.urandom(256).hex())


@pytest.fixture
def world(tmp_path: Path, database_url: str, smtp: SmtpInbox) -> Iterator[Altinn]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0, smtp_url=smtp.url)
    with TestClient(create_app(settings)) as http:
        found = Altinn(http)
        found.run(_prepare, found.runtime)
        yield found


def read_correspondence(world: Altinn, **changes: Any) -> str:
    """A published correspondence with one attachment, fetched and read by its organisation."""
    data = {
        "correspondence.resourceId": "skd-melding",
        "correspondence.sendersReference": "fwd",
        "correspondence.content.language": "nb",
        "correspondence.content.messageTitle": "Vedtak om skatt",
        "correspondence.content.messageBody": "Hei {{recipientName}}, se **vedlegg**.",
        "correspondence.content.attachments[0].fileName": "vedtak.pdf",
        "correspondence.content.attachments[0].sendersReference": "file",
        "correspondence.allowForwarding": "true",
        "recipients[0]": f"0192:{ORG_RECIPIENT}",
    }
    data.update({f"correspondence.{k}": v for k, v in changes.items()})
    response = world.http.post(
        f"{API}/correspondence/upload",
        data=data,
        files=[("attachments", ("vedtak.pdf", PDF, "application/pdf"))],
        headers=world.as_sender(),
    )
    assert response.status_code == 200, response.text
    cid: str = response.json()["correspondences"][0]["correspondenceId"]
    world.work()
    org = world.as_org(ORG_RECIPIENT)
    assert world.get(f"/correspondence/{cid}", org).status_code == 200
    return cid


def forward(world: Altinn, cid: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return world.post(f"/correspondence/{cid}/forward", headers or world.as_org(ORG_RECIPIENT), json=body)


def test_a_read_correspondence_is_forwarded_by_e_mail_over_smtp(world: Altinn, smtp: SmtpInbox) -> None:
    cid = read_correspondence(world)
    org = world.as_org(ORG_RECIPIENT)
    assert world.post(f"/correspondence/{cid}/markasread", org).status_code == 200
    body = {"forwardTo": "Regnskap@Bedrift.example", "forwardingText": "Til regnskap, takk."}
    response = forward(world, cid, body)
    assert response.status_code == 200, response.text
    forwarding_id = response.json()
    assert isinstance(forwarding_id, str)
    assert len(forwarding_id) == 36
    world.work()

    (message,) = smtp.messages
    assert message["To"] == "regnskap@bedrift.example"
    assert message["Subject"] == "Vedtak om skatt"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    content = text.get_content()
    assert "Til regnskap, takk." in content
    assert "Hei Bedrift AS, se **vedlegg**." in content
    (attached,) = list(message.iter_attachments())
    assert attached.get_filename() == "vedtak.pdf"
    assert attached.get_content() == PDF

    details = world.get(f"/correspondence/{cid}/details", org).json()
    assert details["statusHistory"][-1]["status"] == "Forwarded"
    assert details["status"] == "Forwarded"  # the highest status number (13), as the real service's
    problem(forward(world, cid, {"forwardTo": "regnskap@bedrift.example"}), 400, 1064)
    world.work()
    assert len(smtp.messages) == 1


def test_forwarding_refusals_in_the_real_services_order(world: Altinn, smtp: SmtpInbox) -> None:
    cid = read_correspondence(world)
    assert "ForwardTo" in validation(forward(world, cid, {"forwardingText": "x"}))
    problem(forward(world, cid, {"forwardTo": "not an address"}), 400, 3011)
    problem(forward(world, cid, {"forwardTo": None}), 400, 3011)
    problem(forward(world, cid, {"forwardTo": "a" * 990 + "@bedrift.example"}), 400, 3027)
    problem(forward(world, cid, {"forwardTo": "a@b.example", "forwardingText": "x" * 201}), 400, 1066)
    problem(forward(world, cid, {"forwardTo": "a@b.example", "forwardingText": "<b>fet</b>"}), 400, 1067)
    problem(forward(world, cid, {"forwardTo": "a@b.example"}), 400, 1065)  # fetched, not read
    other = world.as_org(OTHER_ORG_RECIPIENT)
    problem(forward(world, cid, {"forwardTo": "a@b.example"}, other), 401, 4001)
    assert forward(world, cid, {"forwardTo": "a@b.example"}, world.as_sender()).status_code == 403

    closed = read_correspondence(world, allowForwarding="false")
    problem(forward(world, closed, {"forwardTo": "a@b.example"}), 400, 1063)
    world.work()
    assert smtp.messages == []


def test_the_forward_check_says_whether_forwarding_is_allowed(world: Altinn) -> None:
    allowed = read_correspondence(world)
    (closed,) = world.initialized(correspondence(f"0192:{ORG_RECIPIENT}"))
    checker = {"Authorization": f"Bearer {world.org_token(ORG_RECIPIENT, CHECK_SCOPE)}"}
    answer = world.get(f"/correspondence/{allowed}/forward/check", checker)
    assert (answer.status_code, answer.json()) == (200, {"allowForwarding": True})
    assert world.get(f"/correspondence/{closed}/forward/check", checker).json() == {"allowForwarding": False}
    assert (
        world.get(f"/correspondence/{allowed}/forward/check", world.as_org(ORG_RECIPIENT)).status_code == 403
    )
    unknown = "0192d1a8-0000-7000-8000-000000000000"
    problem(world.get(f"/correspondence/{unknown}/forward/check", checker), 404, 1001)


def test_allowing_forwarding_with_more_than_10_mb_of_attachments_is_1069(world: Altinn) -> None:
    data = {
        "correspondence.resourceId": "skd-melding",
        "correspondence.sendersReference": "stor",
        "correspondence.content.messageTitle": "Stort vedlegg",
        "correspondence.content.messageBody": "Se vedlegget.",
        "correspondence.content.attachments[0].fileName": "stor.txt",
        "correspondence.content.attachments[0].sendersReference": "file",
        "correspondence.allowForwarding": "true",
        "recipients[0]": f"0192:{ORG_RECIPIENT}",
    }
    big = [("attachments", ("stor.txt", b"x" * 10_000_001, "text/plain"))]
    response = world.http.post(
        f"{API}/correspondence/upload", data=data, files=big, headers=world.as_sender()
    )
    problem(response, 400, 1069)
    data["correspondence.allowForwarding"] = "false"
    response = world.http.post(
        f"{API}/correspondence/upload", data=data, files=big, headers=world.as_sender()
    )
    assert response.status_code == 200, response.text

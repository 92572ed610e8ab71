"""Ekopost EDI through the whole app on SQLite and PostgreSQL: create a sender (which invites the
receiver its GLN names), list the invitations, and update-and-list them; the sandbox's EDI
operator moves each invitation along the business clock (by its job, or at once when the
customer asks for an update), each status an appended event; errors in Ekopost's form, nothing
half-written."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx2 as httpx
from sqlalchemy import func, select

from postbud.domain.edi import InvitationStatus
from postbud.services.sandbox.clock import advance_clock
from postbud.storage import schema
from tests.integration.ekosms_console import sign_in
from tests.integration.test_ekopost_fixtures import Ekopost, ekopost

__all__ = ["ekopost"]


def gln(body: str) -> str:
    """A valid GLN from its first 12 digits (GS1 MOD10 check digit)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


APPROVING = gln("735999999990")
DENYING = gln("735999999997")
SILENT = gln("735999999998")
SENDER: dict[str, Any] = {
    "Name": "Leverantören AB",
    "Address1": "Storgatan 1",
    "Zip_Code": "12345",
    "City": "Stockholm",
    "Country_Code": "SE",
    "Contact_Name": "Anna Andersson",
    "Phone": "08-123 456 78",
    "Email": "faktura@leverantoren.se",
    "CIN": "556838-4118",
    "VAT": "SE556838411801",
    "Bank_Giro": "5050-1055",
}


def _create(ekopost: Ekopost, **fields: Any) -> dict[str, Any]:
    response = ekopost.post("/edi/sender", {**SENDER, **fields})
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _invitations(ekopost: Ekopost, *, update: bool = False, key: str | None = None) -> list[dict[str, Any]]:
    response = (
        ekopost.post("/edi/invitations/update", [], key=key)
        if update
        else ekopost.get("/edi/invitations", key=key)
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _advance(ekopost: Ekopost, by: timedelta) -> None:
    ekopost.run(lambda: advance_clock(ekopost.runtime, by))
    ekopost.runtime.jobs_available()


def _until_status(ekopost: Ekopost, status: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    """Until the sandbox's job (not the customer's update) has moved the invitation."""
    deadline = time.monotonic() + timeout
    while (found := _invitations(ekopost))[0]["Status"] != status:
        assert time.monotonic() < deadline, found
        ekopost.run(lambda: asyncio.sleep(0.05))
    return found


def _error(response: httpx.Response, code: str, mentions: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    assert mentions in body["developer_message"], body


def test_an_invitation_is_sent_and_the_sandbox_moves_it_to_approved_by_its_jobs(ekopost: Ekopost) -> None:
    created = _create(ekopost, GLN=APPROVING)
    assert APPROVING in created["message"]
    [invitation] = _invitations(ekopost)
    assert invitation["ReceiverGln"] == APPROVING
    assert invitation["Status"] == "1002"
    assert invitation["DateSent"] is not None
    assert list(invitation) == ["ReceiverCin", "ReceiverGln", "DateSent", "Status"]

    _advance(ekopost, timedelta(hours=1))
    _until_status(ekopost, "1003")
    _advance(ekopost, timedelta(days=1))
    _until_status(ekopost, "1004")
    _advance(ekopost, timedelta(hours=1))
    _until_status(ekopost, "1005")

    async def history() -> list[InvitationStatus]:
        async with ekopost.runtime.reader() as uow:
            [found] = await uow.edi.invitations()
            return [status for status, _ in await uow.edi.history(found.id)]

    assert ekopost.run(history) == [
        InvitationStatus.REGISTERED,
        InvitationStatus.SENT,
        InvitationStatus.RECEIVED,
        InvitationStatus.ANSWERED,
        InvitationStatus.CONNECTION_APPROVED,
    ]


def test_update_takes_every_step_due_by_the_sandbox_clock_at_once(ekopost: Ekopost) -> None:
    _create(ekopost, GLN=DENYING)
    _create(ekopost, GLN=SILENT)
    _create(ekopost, GLN=APPROVING, Bank_Giro=None)
    _advance(ekopost, timedelta(days=3))
    statuses = [i["Status"] for i in _invitations(ekopost, update=True)]
    assert statuses == ["1006", "1003", "1008"]
    _advance(ekopost, timedelta(days=7))
    assert [i["Status"] for i in _invitations(ekopost, update=True)][1] == "1007"
    _advance(ekopost, timedelta(days=23))
    assert [i["Status"] for i in _invitations(ekopost, update=True)][1] == "1010"
    assert [i["Status"] for i in _invitations(ekopost, update=True)] == ["1006", "1010", "1008"]


def test_a_sender_without_a_gln_invites_nobody_and_others_see_none(ekopost: Ekopost) -> None:
    created = _create(ekopost)
    uuid.UUID(created["id"])
    assert _invitations(ekopost) == []
    _create(ekopost, GLN=APPROVING)
    assert len(_invitations(ekopost)) == 1
    assert _invitations(ekopost, key=ekopost.other_api_key) == []
    assert _invitations(ekopost, update=True, key=ekopost.other_api_key) == []
    put = ekopost.http.put("/ekopost/edi/invitations", headers=ekopost.headers())
    assert put.status_code == 200
    assert len(put.json()) == 1


def test_each_broken_rule_is_127_naming_the_field_and_writes_nothing(ekopost: Ekopost) -> None:
    cases = [
        ({"Name": ""}, "Name"),
        ({"Name": None}, "Name"),
        ({"CIN": None}, "CIN"),
        ({"CIN": "556838-4119"}, "CIN"),
        ({"GLN": "7359999999991"}, "GLN"),
        ({"Country_Code": "Sverige"}, "Country_Code"),
        ({"Email": "faktura@@x"}, "Email"),
        ({"Phone": "12"}, "Phone"),
        ({"Bank_Giro": "5050-1056"}, "Bank_Giro"),
        ({"Plus_Giro": "12"}, "Plus_Giro"),
        ({"IBAN": "SE00 1234"}, "IBAN"),
        ({"BIC": "NOT A BIC"}, "BIC"),
        ({"City": ["Stockholm"]}, "City"),
        ({"Address1": "x" * 256}, "Address1"),
    ]
    for fields, mentions in cases:
        _error(ekopost.post("/edi/sender", {**SENDER, **fields}), "127", mentions)
    _error(ekopost.post("/edi/sender", raw=b"{not json"), "127", "JSON")
    _error(ekopost.post("/edi/sender", {**SENDER}, key="wrong"), "0", "")

    async def count(table: Any) -> int:
        async with ekopost.runtime.reader() as uow:
            return int(await uow.conn.scalar(select(func.count()).select_from(table)) or 0)

    for table in (schema.edi_senders, schema.edi_invitations, schema.edi_invitation_events):
        assert ekopost.run(lambda t=table: count(t)) == 0


def test_the_console_lists_each_customers_edi_senders_and_invitations_with_their_statuses(
    ekopost: Ekopost,
) -> None:
    _create(ekopost, GLN=DENYING)
    ekopost.post("/edi/sender", {**SENDER, "Name": "Annan Leverantör AB"}, key=ekopost.other_api_key)
    _advance(ekopost, timedelta(days=3))
    _invitations(ekopost, update=True)
    assert ekopost.http.get("/console/edi", follow_redirects=False).status_code in {302, 303}

    sign_in(ekopost.http)
    page = ekopost.http.get("/console/edi")
    assert page.status_code == 200
    assert 'href="/console/edi"' in page.text
    assert "Leverantören AB" in page.text
    assert "Annan Leverantör AB" in page.text
    assert DENYING in page.text
    assert 'data-status="connection_denied"' in page.text
    assert page.text.count("<li>") >= 5

    async def customer() -> str:
        async with ekopost.runtime.reader() as uow:
            [mine] = await uow.edi.invitations()
            return str(mine.sender_id)

    one = ekopost.http.get("/console/edi", params={"customer": ekopost.run(customer)})
    assert "Leverantören AB" in one.text
    assert "Annan Leverantör AB" not in one.text.split("</select>")[1]
    assert ekopost.http.get("/console/edi", params={"customer": "not-an-id"}).status_code == 200

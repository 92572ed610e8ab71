"""Reachability from the recipient registry (the one the Digipost dialect identifies by), the
einvoiceready check with PascalCase keys, and the dialect at the root of a port of its own."""

from __future__ import annotations

import uuid

import httpx2 as httpx

from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.services.parties.recipients import RecipientInput, register_recipient
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITH_MAILBOX,
    NO_PERSON_WITHOUT_MAILBOX,
    SE_PERSON_WITH_MAILBOX,
    Ekopost,
    ekopost,
)

__all__ = ["ekopost"]
EINVOICE_ORG = "5560360793"
PAPER_ORG = "5565475489"


async def _add_einvoice_receiver(ekopost: Ekopost) -> None:
    async with ekopost.runtime.unit_of_work() as uow:
        receiver = Recipient(
            uuid.uuid4(), parse_party_id("se:" + EINVOICE_ORG), "Faktura AB", Capabilities(einvoice=True)
        )
        await uow.recipients.add(receiver, now=ekopost.runtime.clock.now())


def test_einbox_reachability_single_and_many(ekopost: Ekopost) -> None:
    found = ekopost.post("/reachable/einbox", {"recipient": SE_PERSON_WITH_MAILBOX})
    assert found.status_code == 200
    assert found.json() == {"recipient": SE_PERSON_WITH_MAILBOX}
    missing = ekopost.post("/reachable/einbox", {"recipient": NO_PERSON_WITHOUT_MAILBOX})
    assert missing.status_code == 404
    assert missing.json()["error_code"] == "119"
    many = ekopost.post(
        "/reachable/einbox", {"recipients": [NO_PERSON_WITH_MAILBOX, NO_PERSON_WITHOUT_MAILBOX]}
    )
    assert many.json() == {"recipients": [NO_PERSON_WITH_MAILBOX]}
    by_query = ekopost.get("/reachable/einbox", params={"recipient": NO_PERSON_WITH_MAILBOX})
    assert by_query.status_code == 200
    unregistered = ekopost.post("/reachable/einbox", {"recipient": "197001011236"})
    assert unregistered.status_code in {404, 400}
    assert ekopost.post("/reachable/ebank", {"recipient": NO_PERSON_WITH_MAILBOX}).status_code == 404
    assert ekopost.post("/reachable/pigeon", {"recipient": "x"}).json()["error_code"] == "127"


def test_einvoice_ready_reads_pascal_case_and_answers_snake_case(ekopost: Ekopost) -> None:
    ekopost.run(lambda: register_recipient(RecipientInput("se:" + PAPER_ORG, "Papper AB"), ekopost.runtime))
    ekopost.run(lambda: _add_einvoice_receiver(ekopost))
    ready = ekopost.post(
        "/reachable/einvoiceready", {"ReceiverCin": EINVOICE_ORG, "SenderGln": "7300009012345"}
    )
    assert ready.json()["success"] is True
    assert ready.json()["error_message"] is None
    assert ready.json()["sender_gln"] == "7300009012345"
    assert ekopost.post("/reachable/einvoice", {"recipient": EINVOICE_ORG}).status_code == 200
    body = {"ReceiverCin": PAPER_ORG, "SenderCin": "5568384118"}
    answer = ekopost.post("/reachable/einvoiceready", body)
    assert answer.status_code == 200
    assert answer.json() == {
        "receiver_cin": PAPER_ORG,
        "sender_cin": "5568384118",
        "receiver_gln": None,
        "sender_gln": None,
        "success": False,
        "error_message": f"the receiver {PAPER_ORG} is not set up to receive e-invoices",
    }
    empty = ekopost.post("/reachable/einvoiceready", [])
    assert empty.json()["success"] is False
    assert "ReceiverCin" in empty.json()["error_message"]


def test_the_dialect_answers_at_the_root_of_its_own_port(ekopost: Ekopost) -> None:
    own_port = ekopost.http.app.state.dialect_port_apps["ekopost"]  # type: ignore[attr-defined]

    async def at_the_root() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=own_port)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.sandbox.ekopost.se") as root:
            listed = await root.get("/campaigns", headers=ekopost.headers())
            created = await root.post("/campaigns", json={"name": "root"}, headers=ekopost.headers())
        return listed.status_code, created.status_code

    assert ekopost.run(at_the_root) == (200, 200)


def test_peppol_lookup_finds_the_registrys_e_invoice_receivers(ekopost: Ekopost) -> None:
    ekopost.run(lambda: _add_einvoice_receiver(ekopost))
    for query in (EINVOICE_ORG, "SE556036079301", "Faktura"):
        found = ekopost.get("/reachable/peppol", params={"Recipient": query})
        assert found.status_code == 200, found.text
        (match,) = found.json()["matches"]
        assert match["participantID"] == {"scheme": "iso6523-actorid-upis", "value": f"0007:{EINVOICE_ORG}"}
        assert match["entities"][0]["name"][0]["name"] == "Faktura AB"
    nothing = ekopost.post("/reachable/peppol", {"Recipient": "Ingen Alls AB"}).json()
    assert nothing["total-result-count"] == 0
    assert ekopost.post("/reachable/peppol", {}).json()["error_code"] == "114"


def test_the_ebank_receivers_list(ekopost: Ekopost) -> None:
    assert ekopost.get("/reachable/ebank/list").status_code == 404

    async def add_ebank_receiver() -> None:
        async with ekopost.runtime.unit_of_work() as uow:
            person = Recipient(
                uuid.uuid4(), parse_party_id("201202148795"), "Bank Kund", Capabilities(ebank=True)
            )
            await uow.recipients.add(person, now=ekopost.runtime.clock.now())

    ekopost.run(add_ebank_receiver)
    listed = ekopost.post("/reachable/ebank/list", {"sender": "123456"})
    assert listed.json() == {"recipient": ["201202148795"]}


def test_mastercard_reachability_by_the_persons_ssn(ekopost: Ekopost) -> None:
    person = {
        "first_name": "Ola",
        "last_name": "Nordmann",
        "ssn": NO_PERSON_WITH_MAILBOX,
        "country_code": "NO",
    }
    assert ekopost.post("/reachable/mastercard", person).status_code == 404

    async def add_efaktura_receiver() -> None:
        async with ekopost.runtime.unit_of_work() as uow:
            payer = Recipient(uuid.uuid4(), parse_party_id("07056130335"), "Per", Capabilities(ebank=True))
            await uow.recipients.add(payer, now=ekopost.runtime.clock.now())

    ekopost.run(add_efaktura_receiver)
    found = ekopost.post("/reachable/mastercard", {**person, "ssn": "07056130335"})
    assert found.status_code == 200
    assert "07056130335" in found.json()["response"]
    assert ekopost.post("/reachable/mastercard", {"first_name": "Ola"}).json()["error_code"] == "119"

"""Ekopost's bank e-invoices in the recipient's inbox, on SQLite and PostgreSQL: an ``ebank`` invoice
(SEK, OCR, Bankgiro) and an ``einvoice_mastercard`` one (NOK, KID, Norwegian account) are routed to
the inbox of whoever takes bank e-invoices, shown as a payable invoice and paid there; the sender's
webhook gets the payment; the envelope is ``posted`` as a delivered digital letter. AvtaleGiro is
shown, not paid; a payer account of the wrong country is refused; each bad value is refused with
nothing written."""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from functools import partial
from typing import Any

from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.domain.routing import BANK_INVOICE_DELIVERED, NO_BANK_INVOICES
from postbud.domain.status import ShipmentStatus
from postbud.services.inbox.pay_invoice import PaymentOrder, bank_today, pay_invoice
from postbud.services.letters.query import ShipmentDetails, get_shipment
from postbud.web.inbox.cards import sandbox_account
from postbud.webhooks.manage import add_webhook
from tests.integration.core_plugins_receiver import RecordingReceiver, recording_receiver
from tests.integration.test_ekopost_fixtures import Ekopost, content_body, ekopost, letter_pdf
from tests.integration.test_ekopost_invoices import EBANK

__all__ = ["ekopost"]

SE_PAYER = "201202148795"
NO_PAYER = "07056130335"
NO_BANK_PERSON = "15108695088"  # the fixture's Ola: a mailbox, no bank e-invoices
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
NBSP = "\u00a0"

MASTERCARD = {
    "$type": "einvoice_mastercard",
    "social_security_number": NO_PAYER,
    "kid": "1234567897",
    "credit_account": "12345678903",
    "amount": 499.0,
    "due_date": "2026-12-31T00:00:00",
    "payment_type": "EFAKTURA",
    "document_type": 0,
    "brand_name": "Kraftselskapet",
}


async def _register(ekopost: Ekopost) -> dict[str, Recipient]:
    now = ekopost.runtime.clock.now()
    payers = {
        SE_PAYER: Recipient(uuid.uuid4(), parse_party_id(SE_PAYER), "Bank Kund", Capabilities(ebank=True)),
        NO_PAYER: Recipient(uuid.uuid4(), parse_party_id(NO_PAYER), "Per Betaler", Capabilities(ebank=True)),
    }
    async with ekopost.runtime.unit_of_work() as uow:
        for payer in payers.values():
            await uow.recipients.add(payer, now=now)
    return payers


def _details(ekopost: Ekopost, envelope_id: str) -> ShipmentDetails:
    return ekopost.run(lambda: get_shipment(uuid.UUID(envelope_id), ekopost.runtime))


def _send(ekopost: Ekopost, address: dict[str, Any]) -> tuple[str, str]:
    """Campaign, envelope, document, both closed; until the envelope is delivered or has failed."""
    campaign = ekopost.campaign()
    envelope = ekopost.envelope(campaign["id"], address=address)
    path = f"/campaigns/{campaign['id']}/envelopes/{envelope['id']}"
    assert ekopost.post(path + "/content", content_body(letter_pdf(()))).status_code == 200
    assert ekopost.post(path + "/close").status_code == 200
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    ekopost.wait_for(
        envelope["id"], ShipmentStatus.DELIVERED, ShipmentStatus.FAILED, ShipmentStatus.NOT_DELIVERED
    )
    return campaign["id"], envelope["id"]


def _sign_in(ekopost: Ekopost, who: Recipient) -> None:
    ekopost.http.cookies.clear()
    token = _token(ekopost)
    signed_in = ekopost.http.post(
        "/inbox/sign-in", data={"csrf_token": token, "recipient_id": str(who.id)}, follow_redirects=False
    )
    assert signed_in.status_code == 303, signed_in.text


def _token(ekopost: Ekopost) -> str:
    match = CSRF.search(ekopost.http.get("/inbox/", follow_redirects=True).text)
    assert match
    return match.group(1)


def _pay(ekopost: Ekopost, envelope_id: str, **form: str) -> Any:
    return ekopost.http.post(
        f"/inbox/letters/{envelope_id}/pay",
        data={
            "csrf_token": _token(ekopost),
            "pay_on": bank_today(ekopost.runtime.clock.now()).isoformat(),
            **form,
        },
        follow_redirects=False,
    )


def _sender_id(ekopost: Ekopost, envelope_id: str) -> uuid.UUID:
    return _details(ekopost, envelope_id).shipment.sender_id


def _wait_for_hook(ekopost: Ekopost, receiver: RecordingReceiver, event: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        for request in receiver.at("bank"):
            payload = json.loads(request.body)
            if payload["type"].removeprefix("shipment.") == event:
                return payload  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, f"no {event} webhook arrived"
        ekopost.run(lambda: asyncio.sleep(0.1))


def test_an_ebank_invoice_is_paid_in_sek_in_the_payers_inbox_and_the_sender_hears_of_it(
    ekopost: Ekopost,
) -> None:
    payers = ekopost.run(lambda: _register(ekopost))
    campaign_id, envelope_id = _send(ekopost, EBANK)
    details = _details(ekopost, envelope_id)
    assert details.shipment.channel is Channel.DIGITAL_MAILBOX
    assert details.shipment.status is ShipmentStatus.DELIVERED
    (routed,) = [e for e in details.events if e.type is EventType.ROUTED]
    assert routed.data["reason"] == BANK_INVOICE_DELIVERED
    envelope = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()
    assert envelope["state"] == "posted"
    assert envelope["address"]["$type"] == "ebank"

    sender_id = _sender_id(ekopost, envelope_id)
    with recording_receiver() as receiver:
        url = receiver.url("bank")
        ekopost.run(lambda: add_webhook(ekopost.runtime, sender_id, url, ["payment_registered"]))
        payer = payers[SE_PAYER]
        _sign_in(ekopost, payer)  # bank e-invoices alone give an inbox: no mailbox needed
        assert f"/inbox/letters/{envelope_id}" in ekopost.http.get("/inbox/").text
        page = ekopost.http.get(f"/inbox/letters/{envelope_id}").text
        assert f"1{NBSP}250,50{NBSP}SEK" in page
        assert "OCR-nummer" in page
        assert "1234567897" in page
        assert "Bankgiro" in page
        assert "5678-1230" in page
        assert f"Betal 1{NBSP}250,50{NBSP}SEK" in page
        account = sandbox_account(payer.id, "SEK")
        assert f'value="{account}"' in page
        english = ekopost.http.get(
            f"/inbox/letters/{envelope_id}", headers={"accept-language": "en-GB,en;q=0.9"}
        ).text
        assert f"1,250.50{NBSP}SEK" in english
        assert "OCR number (payment reference)" in english

        paid = _pay(ekopost, envelope_id, from_account=account)
        assert paid.status_code == 303, paid.text
        after = ekopost.http.get(f"/inbox/letters/{envelope_id}").text
        assert f"Betalt 1{NBSP}250,50{NBSP}SEK" in after
        assert f"{account[:4]}-" in after
        assert _pay(ekopost, envelope_id, from_account=account).status_code == 409

        hook = _wait_for_hook(ekopost, receiver, "payment_registered")
    assert hook["data"]["shipment_id"] == envelope_id
    (payment,) = [e for e in _details(ekopost, envelope_id).events if e.type is EventType.PAYMENT_REGISTERED]
    assert payment.data["currency"] == "SEK"
    assert payment.data["amount"] == "1250.50"
    assert payment.data["reference"] == ["ocr", "1234567897"]
    assert payment.data["kid"] is None
    assert payment.data["creditor_account"] == "56781230"
    assert payment.data["creditor_account_kind"] == "bankgiro"
    assert payment.data["debtor_account"] == account
    assert payment.data["invoice_number"] == "F-77"
    assert ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()["state"] == "posted"


def test_a_mastercard_invoice_is_paid_in_nok_from_a_norwegian_account(ekopost: Ekopost) -> None:
    payers = ekopost.run(lambda: _register(ekopost))
    campaign_id, envelope_id = _send(ekopost, MASTERCARD)
    details = _details(ekopost, envelope_id)
    assert details.shipment.channel is Channel.DIGITAL_MAILBOX
    assert ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()["state"] == "posted"
    payer = payers[NO_PAYER]
    _sign_in(ekopost, payer)
    page = ekopost.http.get(f"/inbox/letters/{envelope_id}").text
    assert f"499,00{NBSP}kr" in page
    assert "KID" in page
    assert "1234567897" in page
    assert "1234.56.78903" in page
    swedish = _pay(ekopost, envelope_id, from_account=sandbox_account(payer.id, "SEK"))
    assert swedish.status_code == 400
    assert "11 siffer" in swedish.text
    account = sandbox_account(payer.id)
    assert _pay(ekopost, envelope_id, from_account=account).status_code == 303
    (payment,) = [e for e in _details(ekopost, envelope_id).events if e.type is EventType.PAYMENT_REGISTERED]
    assert payment.data["currency"] == "NOK"
    assert payment.data["amount"] == "499.0"
    assert payment.data["kid"] == "1234567897"
    assert payment.data["creditor_account_kind"] == "norwegian_account"


def test_an_sek_invoice_is_paid_only_from_a_swedish_account(ekopost: Ekopost) -> None:
    payers = ekopost.run(lambda: _register(ekopost))
    _, envelope_id = _send(ekopost, EBANK)
    _sign_in(ekopost, payers[SE_PAYER])
    for wrong in ("612312", "0999123456789", "6123-12A", "6123 1234 5678 9012"):
        refused = _pay(ekopost, envelope_id, from_account=wrong)
        assert refused.status_code == 400, wrong
        assert "clearingnummer" in refused.text
    events = _details(ekopost, envelope_id).events
    assert not [e for e in events if e.type is EventType.PAYMENT_REGISTERED]
    assert _pay(ekopost, envelope_id, from_account="6123 123 456 789").status_code == 303


def test_two_payments_of_one_sek_invoice_at_the_same_moment_record_one(ekopost: Ekopost) -> None:
    payers = ekopost.run(lambda: _register(ekopost))
    _, envelope_id = _send(ekopost, EBANK)
    payer = payers[SE_PAYER]
    order = PaymentOrder(from_account="61231234567", pay_on=bank_today(ekopost.runtime.clock.now()))

    async def both() -> list[object]:
        pay = partial(pay_invoice, ekopost.runtime, payer.id, uuid.UUID(envelope_id), order)
        return list(
            await asyncio.gather(
                pay(AuthenticationLevel.IDPORTEN_4),
                pay(AuthenticationLevel.IDPORTEN_4),
                return_exceptions=True,
            )
        )

    outcomes = ekopost.run(both)
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(refused) == 1, outcomes
    assert refused[0].code is ConflictCode.ALREADY_DONE
    events = _details(ekopost, envelope_id).events
    assert len([e for e in events if e.type is EventType.PAYMENT_REGISTERED]) == 1


def test_an_avtalegiro_invoice_is_shown_and_not_paid_by_hand(ekopost: Ekopost) -> None:
    payers = ekopost.run(lambda: _register(ekopost))
    avtalegiro = {**MASTERCARD, "payment_type": "AVTALEGIRO", "brand_name": None}
    _, envelope_id = _send(ekopost, avtalegiro)
    _sign_in(ekopost, payers[NO_PAYER])
    page = ekopost.http.get(f"/inbox/letters/{envelope_id}").text
    assert "AvtaleGiro" in page
    assert f"/inbox/letters/{envelope_id}/pay" not in page
    assert _pay(ekopost, envelope_id, from_account=sandbox_account(payers[NO_PAYER].id)).status_code == 409


def test_an_ebank_invoice_by_plusgiro_with_a_message_and_one_by_autogiro(ekopost: Ekopost) -> None:
    payers = ekopost.run(lambda: _register(ekopost))
    by_message = {
        **EBANK,
        "reference_type": "message",
        "reference_value": "Kund K-1 december",
        "giro_number": "900126",
    }
    _, message_id = _send(ekopost, by_message)
    _, autogiro_id = _send(ekopost, {**EBANK, "autogiro": True})
    _sign_in(ekopost, payers[SE_PAYER])
    page = ekopost.http.get(f"/inbox/letters/{message_id}").text
    assert "Melding til mottaker" in page
    assert "Kund K-1 december" in page
    assert "PlusGiro" in page
    assert "9 00 12-6" in page
    assert _pay(ekopost, message_id, from_account="6123 123 456 789").status_code == 303
    (payment,) = [e for e in _details(ekopost, message_id).events if e.type is EventType.PAYMENT_REGISTERED]
    assert payment.data["reference"] == ["message", "Kund K-1 december"]
    assert payment.data["creditor_account_kind"] == "plusgiro"
    autogiro = ekopost.http.get(f"/inbox/letters/{autogiro_id}").text
    assert "Autogiro" in autogiro
    assert f"/inbox/letters/{autogiro_id}/pay" not in autogiro
    assert _pay(ekopost, autogiro_id, from_account="6123 123 456 789").status_code == 409


def test_an_invoice_to_someone_without_bank_einvoices_fails_with_the_reason(ekopost: Ekopost) -> None:
    """The issue's rule for an unreachable payer: not printed, not in a mailbox: failed, saying why."""
    campaign_id, envelope_id = _send(ekopost, {**MASTERCARD, "social_security_number": NO_BANK_PERSON})
    details = _details(ekopost, envelope_id)
    assert details.shipment.status is ShipmentStatus.NOT_DELIVERED
    (refused,) = [e for e in details.events if e.type is EventType.NOT_DELIVERED]
    assert NO_BANK_INVOICES in refused.data["reason"]
    envelope = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()
    assert envelope["state"] == "failed"
    assert NO_BANK_INVOICES in envelope["failed_reason"]


def _refused(ekopost: Ekopost, address: dict[str, Any]) -> dict[str, Any]:
    campaign = ekopost.campaign()
    response = ekopost.post(f"/campaigns/{campaign['id']}/envelopes", {"name": "Faktura", "address": address})
    assert response.status_code == 400, response.text
    assert ekopost.get(f"/campaigns/{campaign['id']}/envelopes").json() == []
    assert ekopost.get(f"/campaigns/{campaign['id']}").json()["envelope_count"] == 0
    return response.json()  # type: ignore[no-any-return]


def test_each_bad_mastercard_value_is_refused_naming_its_field_with_nothing_written(ekopost: Ekopost) -> None:
    ekopost.run(lambda: _register(ekopost))
    cases = {
        "payment_type": {"payment_type": "CASH"},
        "document_type": {"document_type": 7},
        "brand_name": {"brand_name": None},
        "amount": {"amount": 499.999},
    }
    for field, change in cases.items():
        refused = _refused(ekopost, {**MASTERCARD, **change})
        assert refused["error_code"] == "127", field
        assert f"address.{field}" in refused["developer_message"], refused
    campaign = ekopost.campaign()
    for given, read in (("3", 3), (1.0, 1), (None, 0), (6, 6)):
        created = ekopost.post(
            f"/campaigns/{campaign['id']}/envelopes", {"address": {**MASTERCARD, "document_type": given}}
        )
        assert created.status_code == 200, (given, created.text)
        assert created.json()["address"]["document_type"] == read
    for bad in ("", "efaktura_only", True, -1, 1.5, "0x1", "\u0661", 7.0):
        refused = _refused(ekopost, {**MASTERCARD, "document_type": bad})
        assert refused["error_code"] == "127", bad
        assert "address.document_type" in refused["developer_message"]
    for bad in ("CASH", "EFAKTURA_AND_", "AVTALE GIRO", 3):
        refused = _refused(ekopost, {**MASTERCARD, "payment_type": bad})
        assert refused["error_code"] == "127", bad
        assert "address.payment_type" in refused["developer_message"]


def test_unknown_fui_and_fui_without_applicants_are_124_and_125_with_nothing_written(
    ekopost: Ekopost,
) -> None:
    ekopost.run(lambda: _register(ekopost))
    assert _refused(ekopost, {**EBANK, "recipient": "198507239328"})["error_code"] == "124"
    assert _refused(ekopost, {**EBANK, "recipient": NO_BANK_PERSON})["error_code"] == "125"
    assert _refused(ekopost, {**EBANK, "amount": "12.345"})["error_code"] == "127"


def test_reachability_and_the_receivers_list_say_what_routing_does(ekopost: Ekopost) -> None:
    ekopost.run(lambda: _register(ekopost))
    assert ekopost.post("/reachable/ebank", {"recipient": SE_PAYER}).status_code == 200
    assert ekopost.post("/reachable/ebank", {"recipient": NO_BANK_PERSON}).status_code == 404
    assert ekopost.post("/reachable/mastercard", {"ssn": NO_PAYER}).status_code == 200
    assert ekopost.post("/reachable/mastercard", {"ssn": NO_BANK_PERSON}).status_code == 404
    receivers = ekopost.post("/reachable/ebank/list", {}).json()["recipient"]
    assert set(receivers) == {SE_PAYER, NO_PAYER}


def test_a_payer_registered_through_the_platform_api_gets_ebank_invoices(ekopost: Ekopost) -> None:
    admin = {"Authorization": "Bearer test-admin-token"}
    body = {"id": SE_PAYER, "name": "Bank Kund", "ebank": True}
    registered = ekopost.http.put("/api/v1/recipients", json=body, headers=admin)
    assert registered.status_code == 201, registered.text
    assert registered.json()["recipient"]["ebank"] is True
    assert registered.json()["recipient"]["digital_mailbox"] is False
    _, envelope_id = _send(ekopost, EBANK)
    assert _details(ekopost, envelope_id).shipment.status is ShipmentStatus.DELIVERED
    ended = ekopost.http.put("/api/v1/recipients", json={**body, "ebank": False}, headers=admin)
    assert ended.json()["recipient"]["ebank"] is False
    assert _refused(ekopost, EBANK)["error_code"] == "125"

"""The Ekopost SDK's wire forms without a server: every address class writes ``$type`` first and reads
back from ``$type`` anywhere; dates, booleans and content as Ekopost takes them; the exact headers
and bodies sent; how answers become results or exceptions; the webhook signature against an
independent HMAC; and the send-one-letter helper cancelling its campaign when a step fails."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from postbud.sdk.ekopost import (
    Address,
    AsyncEkopostClient,
    Campaign,
    EbankAddress,
    EinboxAddress,
    EinboxKivraAddress,
    EinboxSignerAddress,
    EinvoiceAddress,
    EkopostApiError,
    EkopostClient,
    EkopostConnectionError,
    EkopostNotFoundError,
    EmailAddress,
    LookupAddress,
    MastercardAddress,
    NewCampaign,
    NewContent,
    NewEnvelope,
    PostalAddress,
    ProtectedAddress,
    Signer,
    UnexpectedResponseError,
    UnknownAddress,
    address_from_wire,
    verify_signature,
)

ADDRESSES: list[tuple[str, Address]] = [
    ("postal", PostalAddress(name=["Tolvan"], street=["Storgatan 1"], postal_code="12345", city="Sthlm")),
    ("email", EmailAddress(email="tolvan@example.se", subject="Brev")),
    ("einbox", EinboxAddress(recipient="196103054166", subject="Beslut", content="Hej")),
    ("einbox_kivra", EinboxKivraAddress(recipient="198212172111", kivra_type=1, invoice={"amount": "10"})),
    (
        "einbox_signer",
        EinboxSignerAddress(
            info_mail="info@example.se", signers=[Signer(email="a@example.se", recipient="1", issuer=True)]
        ),
    ),
    (
        "einvoice",
        EinvoiceAddress(format="peppol-bis-billing-3.0", sender="5568384118", recipient="5560360793"),
    ),
    ("lookup", LookupAddress(recipient="196103054166")),
    ("ebank", EbankAddress(recipient="1234", amount=Decimal("100.00"), autogiro=False)),
    ("protected", ProtectedAddress(recipient="196103054166", use_coverpage=False)),
    ("einvoice_mastercard", MastercardAddress(kid="1234567897", amount=Decimal("10.50"), document_type=0)),
]


@pytest.mark.parametrize(("kind", "address"), ADDRESSES, ids=[kind for kind, _ in ADDRESSES])
def test_every_address_writes_its_type_first_and_reads_back(kind: str, address: Address) -> None:
    wire = address.to_wire()
    assert next(iter(wire)) == "$type"
    assert wire["$type"] == kind
    assert None not in wire.values()
    assert json.dumps(wire).startswith('{"$type": ')
    assert address_from_wire(wire) == address
    reordered = {**{k: v for k, v in wire.items() if k != "$type"}, "$type": kind}
    assert address_from_wire(reordered) == address


def test_invoice_amounts_go_as_the_wire_wants_them_and_come_back_as_decimals() -> None:
    """ebank's amount is a string, the Mastercard object's a number (Double); dates in ISO form."""
    ebank = EbankAddress(amount=Decimal("1250.50"), due_date=date(2026, 12, 31), autogiro=True).to_wire()
    assert ebank == {"$type": "ebank", "autogiro": True, "amount": "1250.50", "due_date": "2026-12-31"}
    card = MastercardAddress(amount=Decimal("999999999.99"), minimum_amount=Decimal("0.10"), document_type=1)
    sent = json.dumps(card.to_wire())
    assert '"amount": 999999999.99' in sent
    assert '"minimum_amount": 0.1' in sent
    assert '"document_type": 1' in sent
    read = address_from_wire(json.loads(sent))
    assert isinstance(read, MastercardAddress)
    assert read.amount == Decimal("999999999.99")
    assert isinstance(read.amount, Decimal)
    read_ebank = address_from_wire({"$type": "ebank", "amount": "12.30"})
    assert isinstance(read_ebank, EbankAddress)
    assert read_ebank.amount == Decimal("12.30")


def test_addresses_are_read_liberally() -> None:
    read = address_from_wire({"name": "Tolvan", "use_coverpage": "true", "$type": "postal", "zone": "7"})
    assert read == PostalAddress(name=["Tolvan"], use_coverpage=True)
    assert isinstance(read, PostalAddress)
    assert read.extra == {"zone": "7"}
    assert list(read.to_wire()) == ["$type", "name", "use_coverpage", "zone"]
    assert address_from_wire(None) is None
    assert address_from_wire({"name": ["Utan typ"]}) == PostalAddress(name=["Utan typ"])
    unknown = address_from_wire({"recipient": "x", "$type": "carrier_pigeon"})
    assert unknown == UnknownAddress(type="carrier_pigeon")
    assert unknown is not None
    assert unknown.to_wire() == {"$type": "carrier_pigeon", "recipient": "x"}
    with pytest.raises(UnexpectedResponseError):
        address_from_wire(["not", "an", "object"])


def test_dates_and_content_are_written_as_ekopost_reads_them() -> None:
    assert NewCampaign(name="A", output_date=date(2026, 12, 4)).to_wire()["output_date"] == "2026-12-04"
    oslo = timezone(timedelta(hours=1))
    moment = datetime(2026, 12, 4, 10, 0, tzinfo=oslo)
    assert NewCampaign(name="A", output_date=moment).to_wire()["output_date"] == "2026-12-04 09:00:00"
    assert NewCampaign(name="A", output_date=datetime(2026, 12, 4, 10)).to_wire()["output_date"] == (
        "2026-12-04 10:00:00"
    )
    assert NewCampaign(name="A").to_wire() == {"name": "A"}
    pdf = b"%PDF-1.4 bytes \xff"
    content = NewContent.document(pdf, return_address=True).to_wire()
    assert base64.b64decode(content["data"]) == pdf
    assert (content["length"], content["type"], content["mime"]) == (len(pdf), "document", "application/pdf")
    assert content["return_address"] is True
    assert NewContent.markup(b"<x/>").to_wire()["mime"] == "application/xml"
    assert NewEnvelope().to_wire() == {
        "address": None,
        "postage": "priority",
        "plex": "simplex",
        "color": False,
    }


def test_answers_are_read_liberally() -> None:
    campaign = Campaign.from_wire(
        {
            "id": "c1",
            "name": "PHP fixture",
            "output_date": "2026-12-04 10:00:03.944609+00:00",
            "envelope_count": "3",
            "state": "opened",
            "state_changed_at": "2026-12-04T10:00:00",
            "created_at": "2026-12-04T10:00:00Z",
            "signing": "false",
        }
    )
    assert campaign.signing is False
    assert campaign.envelope_count == 3
    assert campaign.state_changed_at == datetime(2026, 12, 4, 10, tzinfo=UTC)
    assert campaign.created_at == campaign.state_changed_at
    assert campaign.output_date == datetime(2026, 12, 4, 10, 0, 3, 944609, tzinfo=UTC)
    with pytest.raises(UnexpectedResponseError):
        Campaign.from_wire({"name": "no id", "state": "opened"})


class Recorder:
    """A transport answering from a script, recording every request."""

    def __init__(self, *answers: httpx2.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.answers.pop(0)


CAMPAIGN = {"id": "c1", "name": "A", "envelope_count": 0, "state": "opened"}
ENVELOPE = {"id": "e1", "name": "A", "address": None, "state": "opened"}
CONTENT = {"id": "d1", "mime": "application/pdf", "length": 3, "type": "document"}


def _client(recorder: Recorder, **auth: Any) -> EkopostClient:
    return EkopostClient("http://api.sandbox.ekopost.se", transport=httpx2.MockTransport(recorder), **auth)


def test_requests_carry_the_credentials_and_json() -> None:
    recorder = Recorder(httpx2.Response(200, json=CAMPAIGN), httpx2.Response(200, json=CAMPAIGN))
    with _client(recorder, api_key="KEY") as client:
        client.close_campaign("c/1")
    with _client(recorder, username="5568384118", password="KEY") as client:
        client.get_campaign("c1")
    close, get = recorder.requests
    assert str(close.url) == "http://api.sandbox.ekopost.se/campaigns/c%2F1/close"
    assert close.method == "POST"
    assert close.headers["authorization"] == "api-key KEY"
    assert close.headers["content-type"] == "application/json; charset=UTF-8"
    assert close.content == b"{}"
    assert get.headers["authorization"] == "Basic " + base64.b64encode(b"5568384118:KEY").decode()
    assert get.method == "GET"
    assert get.content == b""
    with pytest.raises(ValueError, match="either"):
        EkopostClient("http://x", "KEY", username="u", password="p")
    with pytest.raises(ValueError, match="give api_key"):
        EkopostClient("http://x", username="u")


def test_answers_become_results_or_exceptions() -> None:
    error = {"error_code": "101", "error_message": "A campaign must…", "developer_message": "campaign c1"}
    recorder = Recorder(
        httpx2.Response(404, json={"error_code": "119", "error_message": "Missing recipient."}),
        httpx2.Response(200, json=error),
        httpx2.Response(404, json={"error_code": "106", "error_message": "Campaign was not found."}),
        httpx2.Response(500, text="Internal Server Error"),
        httpx2.Response(200, text="<html>"),
    )
    with _client(recorder, api_key="KEY") as client:
        assert client.reachable("einbox", "196103054166") is None
        with pytest.raises(EkopostApiError) as refused:
            client.close_campaign("c1")  # an error object is an error, whatever the status
        assert (refused.value.status, refused.value.error_code) == (200, "101")
        assert refused.value.developer_message == "campaign c1"
        with pytest.raises(EkopostNotFoundError) as missing:
            client.get_campaign("c1")
        assert (missing.value.status, missing.value.error_code) == (404, "106")
        with pytest.raises(EkopostApiError) as crashed:
            client.get_campaign("c1")
        assert (crashed.value.status, crashed.value.error_code) == (500, None)
        assert crashed.value.body == b"Internal Server Error"
        with pytest.raises(UnexpectedResponseError):
            client.get_campaign("c1")

    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("refused", request=request)

    transport = httpx2.MockTransport(refuse)
    with (
        EkopostClient("http://127.0.0.1:9", "KEY", transport=transport) as client,
        pytest.raises(EkopostConnectionError),
    ):
        client.list_campaigns()


def test_send_letter_cancels_the_campaign_when_a_step_fails() -> None:
    refused = {"error_code": "107", "error_message": "Could not open…", "developer_message": "data"}
    recorder = Recorder(
        httpx2.Response(200, json=CAMPAIGN),
        httpx2.Response(200, json=ENVELOPE),
        httpx2.Response(400, json=refused),
        httpx2.Response(400, json={"error_code": "127", "error_message": "Invalid data"}),
    )
    with _client(recorder, api_key="KEY") as client, pytest.raises(EkopostApiError) as error:
        client.send_letter(b"pdf")
    assert error.value.error_code == "107"  # the step's error, not the failed cancel's
    assert [r.url.path for r in recorder.requests] == [
        "/campaigns",
        "/campaigns/c1/envelopes",
        "/campaigns/c1/envelopes/e1/content",
        "/campaigns/c1/cancel",
    ]


def test_send_letter_cancels_the_campaign_on_an_unreadable_answer_too() -> None:
    recorder = Recorder(
        httpx2.Response(200, json=CAMPAIGN),
        httpx2.Response(200, text="<html>gateway</html>"),
        httpx2.Response(200, json={**CAMPAIGN, "state": "cancelled"}),
    )
    with _client(recorder, api_key="KEY") as client, pytest.raises(UnexpectedResponseError):
        client.send_letter(b"pdf")
    assert recorder.requests[-1].url.path == "/campaigns/c1/cancel"


def test_the_async_client_sends_one_letter_in_five_calls() -> None:
    closed_envelope = {**ENVELOPE, "state": "closed"}
    closed_campaign = {**CAMPAIGN, "state": "closed", "envelope_count": 1}
    recorder = Recorder(
        httpx2.Response(200, json=CAMPAIGN),
        httpx2.Response(200, json=ENVELOPE),
        httpx2.Response(200, json=CONTENT),
        httpx2.Response(200, json=closed_envelope),
        httpx2.Response(200, json=closed_campaign),
    )

    async def send() -> Any:
        transport = httpx2.MockTransport(recorder)
        async with AsyncEkopostClient("http://h/ekopost/", "KEY", transport=transport) as client:
            return await client.send_letter(b"pdf", address=EinboxAddress(recipient="196103054166"))

    sent = asyncio.run(send())
    assert (sent.campaign_id, sent.envelope_id, sent.content_ids) == ("c1", "e1", ["d1"])
    assert sent.campaign.state == "closed"
    envelope_body = json.loads(recorder.requests[1].content)
    assert list(envelope_body["address"]) == ["$type", "recipient"]
    assert recorder.requests[4].url.path == "/ekopost/campaigns/c1/close"


def test_the_webhook_signature_is_the_hex_hmac_sha1_of_the_body() -> None:
    body = b'{"event":"campaign_completed","campaign":{"id":"c1"}}'
    independent = hmac.new(b"hemlig", body, hashlib.sha1).hexdigest()
    assert verify_signature(body, independent, "hemlig")
    assert verify_signature(body, independent.upper(), b"hemlig")
    assert not verify_signature(body + b" ", independent, "hemlig")
    assert not verify_signature(body, independent, "annan")
    assert not verify_signature(body, "", "hemlig")

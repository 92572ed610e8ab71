"""End-to-end flows exactly as the published clients send them, through the whole app over HTTP:
the PHP client (api-key, ``output_date`` "YYYY-MM-DD HH:MM:SS", ``[]`` close bodies, ``id: null``)
and eduID's Python client (Basic, ``str(datetime)``, ``"false"`` strings, empty close bodies, 200)."""

from __future__ import annotations

import base64
import json
import uuid

import httpx2 as httpx

from postbud.domain.status import ShipmentStatus
from postbud.services.letters.query import get_shipment
from postbud.services.parties.credentials import EKOPOST, issue_dialect_api_key, set_basic_login
from postbud.services.parties.senders import find_sender
from tests.integration.test_ekopost_fixtures import (
    CUSTOMER_ORGNR,
    Ekopost,
    b64,
    ekopost,
    letter_pdf,
)

__all__ = ["ekopost"]

CAMPAIGN_KEYS = {"id", "name", "output_date", "envelope_count", "state", "state_changed_at", "created_at"}


def _php(ekopost: Ekopost, method_path: str, body: object) -> httpx.Response:
    """As Guzzle sends it: a JSON body for every POST, header ``authorization: api-key KEY``."""
    return ekopost.http.post(
        ekopost.base + method_path,
        content=json.dumps(body).encode(),
        headers={"authorization": f"api-key {ekopost.api_key}", "content-type": "application/json"},
    )


def test_the_php_client_sends_a_postal_letter_end_to_end(ekopost: Ekopost) -> None:
    created = _php(
        ekopost,
        "/campaigns",
        {
            "id": None,
            "name": "Fakturor",
            "output_date": "2026-01-05 10:00:00",
            "cost_center": "A1",
            "signing": False,
        },
    )
    assert created.status_code == 200, created.text
    campaign = created.json()
    assert campaign.keys() >= CAMPAIGN_KEYS
    assert isinstance(campaign["signing"], bool)
    assert campaign["cost_center"] == "A1"
    assert campaign["state"] == "opened"
    assert campaign["envelope_count"] == 0
    assert campaign["output_date"] == "2026-01-05T10:00:00"
    address = {
        "$type": "postal",
        "name": ["Tolvan Tolvansson"],
        "street": ["Storgatan 1"],
        "postal_code": "12345",
        "city": "Stockholm",
        "country": "SE",
        "use_coverpage": False,
    }
    envelope = _php(ekopost, f"/campaigns/{campaign['id']}/envelopes", {"id": None, "address": address})
    assert envelope.status_code == 200, envelope.text
    envelope_id = envelope.json()["id"]
    assert next(iter(envelope.json()["address"])) == "$type"
    pdf = letter_pdf()
    content = _php(
        ekopost,
        f"/campaigns/{campaign['id']}/envelopes/{envelope_id}/content",
        {"id": None, "mime": "application/pdf", "length": len(pdf), "type": "document", "data": b64(pdf)},
    )
    assert content.status_code == 200, content.text
    assert {"id", "mime", "length", "type", "created_at"} <= content.json().keys()
    assert content.json()["length"] == len(pdf)
    closed = _php(ekopost, f"/campaigns/{campaign['id']}/envelopes/{envelope_id}/close", [])
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == "closed"
    done = _php(ekopost, f"/campaigns/{campaign['id']}/close", [])
    assert done.status_code == 200, done.text
    assert done.json().keys() >= CAMPAIGN_KEYS
    assert done.json()["envelope_count"] == 1
    # The output date has passed: the letter is released and routed to print.
    ekopost.wait_for(envelope_id, ShipmentStatus.IN_PRINT, ShipmentStatus.PRINTED, ShipmentStatus.POSTED)
    details = ekopost.run(lambda: get_shipment(uuid.UUID(envelope_id), ekopost.runtime))
    assert details.shipment.channel is not None
    assert details.shipment.channel.value == "print"
    state = ekopost.get(f"/campaigns/{campaign['id']}/envelopes/{envelope_id}").json()["state"]
    assert state in {"transferred", "printed", "posted"}


def test_eduids_client_sends_with_basic_auth_and_its_own_forms(ekopost: Ekopost) -> None:
    token = base64.b64encode(f"{CUSTOMER_ORGNR}:{ekopost.api_key}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

    def post(path: str, body: dict[str, object] | None = None) -> httpx.Response:
        content = b"" if body is None else json.dumps(body).encode()
        return ekopost.http.post(ekopost.base + path, content=content, headers=headers)

    campaign = post(
        "/campaigns",
        {"name": "eduID", "output_date": "2026-01-05 20:37:03.944609+00:00", "cost_center": "eduid"},
    )
    assert campaign.status_code == 200, campaign.text
    campaign_id = campaign.json()["id"]
    envelope = post(
        f"/campaigns/{campaign_id}/envelopes",
        {"name": "Proofing", "postage": "priority", "plex": "simplex", "color": "false"},
    )
    assert envelope.status_code == 200, envelope.text
    envelope_id = envelope.json()["id"]
    assert envelope.json()["color"] is False
    assert envelope.json()["address"]["$type"] == "postal"
    pdf = letter_pdf()
    content = post(
        f"/campaigns/{campaign_id}/envelopes/{envelope_id}/content",
        {
            "campaign_id": campaign_id,
            "envelope_id": envelope_id,
            "data": b64(pdf),
            "mime": "application/pdf",
            "length": len(pdf),
            "type": "document",
        },
    )
    assert content.status_code == 200, content.text
    assert post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close").status_code == 200
    assert post(f"/campaigns/{campaign_id}/close").status_code == 200
    # The address came from the document's window.
    details = ekopost.run(lambda: get_shipment(uuid.UUID(envelope_id), ekopost.runtime))
    instructions = details.shipment.print_instructions
    assert instructions is not None
    assert instructions.recipient.name == "Tolvan Tolvansson"
    assert (instructions.recipient.postal_code, instructions.recipient.city) == ("123 45", "Stockholm")
    ekopost.wait_for(envelope_id, ShipmentStatus.IN_PRINT, ShipmentStatus.PRINTED, ShipmentStatus.POSTED)


def test_ekopost_keys_and_basic_logins_of_the_credentials_service(ekopost: Ekopost) -> None:
    sender_id = ekopost.run(lambda: _sender_id(ekopost))
    key = ekopost.run(lambda: issue_dialect_api_key(ekopost.runtime, sender_id, EKOPOST))
    assert ekopost.get("/campaigns", key=key).status_code == 200
    _, password = ekopost.run(lambda: set_basic_login(ekopost.runtime, sender_id, EKOPOST, user="eko-user"))
    basic = ekopost.http.get("/ekopost/campaigns", headers=ekopost.basic(user="eko-user", password=password))
    assert basic.status_code == 200
    wrong = ekopost.http.get("/ekopost/campaigns", headers=ekopost.basic(user="eko-user", password="x" * 20))
    assert wrong.json()["error_code"] == "0"


async def _sender_id(ekopost: Ekopost) -> uuid.UUID:
    return (await find_sender(CUSTOMER_ORGNR, ekopost.runtime)).id


def test_a_base_url_ending_in_a_slash_gives_double_slashes_which_are_accepted(ekopost: Ekopost) -> None:
    """eduID's client (Hammock) joins a configured ``https://…/`` with ``/campaigns``."""
    headers = {"Authorization": f"api-key {ekopost.api_key}", "Content-Type": "application/json"}
    campaign = ekopost.http.post(
        ekopost.base + "//campaigns", content=b'{"name": "slashes"}', headers=headers
    )
    assert campaign.status_code == 200, campaign.text
    campaign_id = campaign.json()["id"]
    envelope = ekopost.http.post(
        f"{ekopost.base}//campaigns/{campaign_id}//envelopes", content=b'{"name": "e"}', headers=headers
    )
    assert envelope.status_code == 200, envelope.text
    listed = ekopost.http.get(f"{ekopost.base}///campaigns/{campaign_id}/envelopes", headers=headers)
    assert [each["id"] for each in listed.json()] == [envelope.json()["id"]]

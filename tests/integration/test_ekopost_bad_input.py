"""Odd values in every field of every body: each answer is a clear Ekopost error (or a success),
never a 5xx, and always in Ekopost's error form."""

from __future__ import annotations

from typing import Any

from tests.integration.test_ekopost_fixtures import Ekopost, content_body, ekopost, letter_pdf

__all__ = ["ekopost"]
ODD_VALUES: list[Any] = [
    None,
    "",
    " ",
    0,
    -1,
    10**30,
    1.5,
    True,
    [],
    {},
    ["x"],
    {"a": 1},
    "x" * 5000,
    "\u0000",
]
CAMPAIGN_KEYS = ["name", "output_date", "cost_center", "signing", "replymail", "id"]
ENVELOPE_KEYS = [
    "name",
    "address",
    "postage",
    "plex",
    "color",
    "pu",
    "kb",
    "consignor_contact",
    "agent",
    "unique_id",
]
CONTENT_KEYS = ["data", "mime", "length", "type", "return_address", "address"]
ADDRESS_TYPES = [
    "postal",
    "email",
    "einbox",
    "einbox_kivra",
    "einvoice",
    "ebank",
    "lookup",
    "einvoice_mastercard",
]


def _answered(response: Any) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()) == {"error_code", "error_message", "developer_message"}


def test_odd_values_never_make_a_server_error(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    envelope = ekopost.envelope(campaign["id"])
    content_path = f"/campaigns/{campaign['id']}/envelopes/{envelope['id']}/content"
    base_content = content_body(letter_pdf())
    for value in ODD_VALUES:
        for key in CAMPAIGN_KEYS:
            _answered(ekopost.post("/campaigns", {"name": "x", key: value}))
        for key in ENVELOPE_KEYS:
            _answered(ekopost.post(f"/campaigns/{campaign['id']}/envelopes", {key: value}))
        for kind in ADDRESS_TYPES:
            for field in ("recipient", "name", "email", "format", "amount", "due_date", "payment_type"):
                address = {"$type": kind, field: value}
                _answered(ekopost.post(f"/campaigns/{campaign['id']}/envelopes", {"address": address}))
        for key in CONTENT_KEYS:
            _answered(ekopost.post(content_path, {**base_content, key: value, "type": "attachment"}))
        _answered(ekopost.post("/reachable/einbox", {"recipient": value}))
        _answered(ekopost.post("/reachable/einbox", {"recipients": value}))
        _answered(ekopost.post("/reachable/einvoiceready", {"ReceiverCin": value}))
        _answered(ekopost.post("/reachable/peppol", {"Recipient": value}))
        _answered(ekopost.post("/sms", {"mime": "text/plain", "data": value, "recipients": value}))
        _answered(ekopost.get("/campaigns", params={"start": str(value), "stop": str(value)}))

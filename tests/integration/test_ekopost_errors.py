"""Every Ekopost error code Postbud gives, each by a request that breaks its rule, through the whole
app on SQLite and PostgreSQL: the code, the status, a developer message naming the field, and
nothing half-written."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pikepdf
import pytest

from tests.integration.test_ekopost_fixtures import (
    CUSTOMER_ORGNR,
    SMALL_DOCUMENT_LIMIT,
    Ekopost,
    content_body,
    ekopost,
    letter_pdf,
    small_ekopost,
)

__all__ = ["ekopost", "small_ekopost"]
POSTAL = {
    "$type": "postal",
    "name": ["Tolvan Tolvansson"],
    "street": ["Storgatan 1"],
    "postal_code": "12345",
    "city": "Stockholm",
    "country": "SE",
}


def _error(response: httpx.Response, code: str, status: int = 400, mentions: str | None = None) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error_code", "error_message", "developer_message"]
    assert body["error_code"] == code, body
    assert body["error_message"]
    if mentions is not None:
        assert mentions in body["developer_message"], body


def _adder(
    ekopost: Ekopost, campaign_id: str, envelope_id: str
) -> Callable[[dict[str, Any]], httpx.Response]:
    return lambda body: ekopost.add(campaign_id, envelope_id, body)


def _opened(ekopost: Ekopost, **fields: Any) -> tuple[str, str]:
    campaign = ekopost.campaign()
    envelope = ekopost.envelope(campaign["id"], **fields)
    return campaign["id"], envelope["id"]


def _documents(ekopost: Ekopost, campaign_id: str, envelope_id: str) -> int:
    envelope = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}")
    assert envelope.status_code == 200
    details = ekopost.run(lambda: _shipment_documents(ekopost, envelope_id))
    return details


async def _shipment_documents(ekopost: Ekopost, envelope_id: str) -> int:
    import uuid

    from postbud.services.letters.query import get_shipment

    return len((await get_shipment(uuid.UUID(envelope_id), ekopost.runtime)).shipment.documents)


def _encrypted_pdf() -> bytes:
    source = pikepdf.open(io.BytesIO(letter_pdf()))
    out = io.BytesIO()
    source.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    return out.getvalue()


def _no_pages_pdf() -> bytes:
    out = io.BytesIO()
    pikepdf.new().save(out)
    return out.getvalue()


def test_0_wrong_or_missing_credentials(ekopost: Ekopost) -> None:
    _error(ekopost.get("/campaigns", key="not-a-key"), "0", mentions="Authorization")
    _error(ekopost.http.get("/ekopost/campaigns"), "0", mentions="missing")
    _error(ekopost.http.get("/ekopost/campaigns", headers={"Authorization": "Bearer x"}), "0")
    _error(ekopost.http.get("/ekopost/campaigns", headers=ekopost.basic(password="wrong")), "0")
    _error(ekopost.http.get("/ekopost/campaigns", headers=ekopost.basic(user="5560360793")), "0")
    bad = {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}
    _error(ekopost.http.get("/ekopost/campaigns", headers=bad), "0")
    assert ekopost.http.get("/ekopost/campaigns", headers=ekopost.basic()).status_code == 200
    hyphened = ekopost.basic(user=CUSTOMER_ORGNR[:6] + "-" + CUSTOMER_ORGNR[6:])
    assert ekopost.http.get("/ekopost/campaigns", headers=hyphened).status_code == 200
    with_century = ekopost.basic(user="16" + CUSTOMER_ORGNR)
    assert ekopost.http.get("/ekopost/campaigns", headers=with_century).status_code == 200


def test_100a_101_102_closing_too_early(ekopost: Ekopost) -> None:
    empty = ekopost.campaign()
    _error(ekopost.post(f"/campaigns/{empty['id']}/close", []), "101")
    campaign_id, envelope_id = _opened(ekopost)
    _adder(ekopost, campaign_id, envelope_id)
    _error(ekopost.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close"), "100A")
    _error(ekopost.post(f"/campaigns/{campaign_id}/close", {}), "102", mentions=envelope_id)
    assert ekopost.get(f"/campaigns/{campaign_id}").json()["state"] == "opened"


def test_103_104_105_107_document_rules(ekopost: Ekopost) -> None:
    campaign_id, envelope_id = _opened(ekopost)
    add = _adder(ekopost, campaign_id, envelope_id)
    _error(
        add(content_body(b"hello", mime="text/plain")),
        "104",
        mentions="mime",
    )
    _error(add(content_body(b"%PDF-1.4 broken")), "107")
    _error(add(content_body(_encrypted_pdf())), "107")
    _error(add(content_body(_no_pages_pdf())), "107", mentions="no pages")
    _error(add(content_body(letter_pdf(()))), "105", mentions="window")
    assert _documents(ekopost, campaign_id, envelope_id) == 0  # nothing half-written
    assert add(content_body(letter_pdf())).status_code == 200
    _error(add(content_body(letter_pdf())), "103")
    assert _documents(ekopost, campaign_id, envelope_id) == 1


def test_108_109_110_137_attachment_and_markup_rules(ekopost: Ekopost) -> None:
    campaign_id, envelope_id = _opened(ekopost)
    add = _adder(ekopost, campaign_id, envelope_id)
    _error(add(content_body(letter_pdf(), type="attachment")), "137")
    assert add(content_body(letter_pdf())).status_code == 200
    _error(
        add(content_body(b"\x89PNG", type="attachment", mime="image/png")),
        "108",
    )
    _error(
        add(content_body(b"<a/>", type="markup", mime="application/pdf")),
        "109",
    )
    markup = content_body(b"<invoice/>", type="markup", mime="application/xml")
    assert add(markup).status_code == 200
    _error(add(markup), "110")
    attachment = add(content_body(letter_pdf(), type="attachment"))
    assert attachment.status_code == 200
    assert attachment.json()["type"] == "attachment"
    got = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/content/{attachment.json()['id']}")
    assert got.json() == {k: v for k, v in attachment.json().items() if k != "return_address"}
    missing = "00000000-0000-0000-0000-000000000000"
    _error(ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/content/{missing}"), "137", 404)


def test_106_111_unknown_and_other_customers_resources_are_not_found(ekopost: Ekopost) -> None:
    campaign_id, envelope_id = _opened(ekopost)
    _adder(ekopost, campaign_id, envelope_id)
    other = ekopost.other_api_key
    _error(ekopost.get(f"/campaigns/{campaign_id}", key=other), "106", 404)
    _error(ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}", key=other), "106", 404)
    _error(ekopost.post(f"/campaigns/{campaign_id}/close", [], key=other), "106", 404)
    _error(ekopost.get("/campaigns/not-a-guid"), "106", 404)
    unknown = "11111111-1111-1111-1111-111111111111"
    _error(ekopost.get(f"/campaigns/{campaign_id}/envelopes/{unknown}"), "111", 404)
    another = ekopost.campaign()
    _error(ekopost.get(f"/campaigns/{another['id']}/envelopes/{envelope_id}"), "111", 404)


def test_112_135_address_rules(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    _error(ekopost.post(path, {"address": {**POSTAL, "country": "XX"}}), "112", mentions="address.country")
    long_name = {**POSTAL, "name": ["A" * 36]}
    _error(ekopost.post(path, {"address": long_name, "postage": "rek"}), "135", mentions="35")
    _error(ekopost.post(path, {"address": {**POSTAL, "postal_code": "1234"}, "postage": "rek"}), "135")
    cover = {"$type": "postal", "name": ["X"], "use_coverpage": True}
    _error(ekopost.post(path, {"address": cover}), "135", mentions="use_coverpage")
    assert ekopost.post(path, {"address": long_name, "postage": "priority"}).status_code == 200
    assert ekopost.get(f"/campaigns/{campaign['id']}").json()["envelope_count"] == 1


def test_115_116_search_params(ekopost: Ekopost) -> None:
    _error(ekopost.get("/campaigns", params={"state": "sleeping"}), "115", mentions="state")
    _error(ekopost.get("/campaigns", params={"start": "yesterday"}), "115", mentions="start")
    _error(ekopost.get("/campaigns", params={"start": "2026-12-05", "stop": "2026-12-04"}), "116")
    campaign_id, _ = _opened(ekopost)
    _error(ekopost.get(f"/campaigns/{campaign_id}/envelopes", params={"state": "lost"}), "115")


def test_117_118_129_127_content_data(ekopost: Ekopost) -> None:
    campaign_id, envelope_id = _opened(ekopost)
    add = _adder(ekopost, campaign_id, envelope_id)
    pdf = letter_pdf()
    lying = {**content_body(pdf), "length": len(pdf) + 1}
    _error(add(lying), "117", mentions="length")
    _error(add({**content_body(pdf), "data": ""}), "129", mentions="data")
    _error(
        add({**content_body(pdf), "data": "!!not base64!!"}),
        "127",
        mentions="base64",
    )
    _error(
        add({**content_body(pdf), "length": "many"}),
        "127",
        mentions="length",
    )
    _error(
        add({**content_body(pdf), "type": "picture"}),
        "127",
        mentions="type",
    )
    assert add(content_body(pdf)).status_code == 200
    attachment = {**content_body(pdf, type="attachment"), "length": 1}
    _error(add(attachment), "118", mentions="length")
    assert _documents(ekopost, campaign_id, envelope_id) == 1


def test_119_120_123_139_140_recipients(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    _error(ekopost.post(path, {"address": {"$type": "einbox"}}), "119", mentions="recipient")
    _error(ekopost.post(path, {"address": {"$type": "einbox", "recipient": "12345"}}), "139")
    _error(ekopost.post(path, {"address": {"$type": "email", "subject": "Hej"}}), "120")
    _error(ekopost.post(path, {"address": {"$type": "email", "email": "kund@@exa mple"}}), "123")
    _error(ekopost.post(path, {"address": {"$type": "protected", "recipient": "191212121212"}}), "140")
    _error(ekopost.post(path, {"postage": "protected"}), "127", mentions="protected")
    assert ekopost.get(f"/campaigns/{campaign['id']}").json()["envelope_count"] == 0


def test_121_127_closed_and_cancelled_campaigns(ekopost: Ekopost) -> None:
    campaign_id, envelope_id = _opened(ekopost)
    add = _adder(ekopost, campaign_id, envelope_id)
    assert add(content_body(letter_pdf())).status_code == 200
    assert ekopost.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close").status_code == 200
    _error(ekopost.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close"), "127", mentions="closed")
    _error(add(content_body(letter_pdf())), "127", mentions="closed")
    assert ekopost.post(f"/campaigns/{campaign_id}/close", []).status_code == 200
    _error(ekopost.post(f"/campaigns/{campaign_id}/close", []), "127", mentions="not opened")
    _error(ekopost.post(f"/campaigns/{campaign_id}/envelopes", {}), "121")
    cancelled = ekopost.campaign()
    assert ekopost.post(f"/campaigns/{cancelled['id']}/cancel").json()["state"] == "cancelled"
    _error(ekopost.post(f"/campaigns/{cancelled['id']}/envelopes", {}), "121")


def test_126_unique_id_is_unique_per_customer(ekopost: Ekopost) -> None:
    first = ekopost.campaign()
    ekopost.envelope(first["id"], unique_id="faktura-1")
    second = ekopost.campaign()
    _error(ekopost.post(f"/campaigns/{second['id']}/envelopes", {"unique_id": "faktura-1"}), "126")
    other = ekopost.post("/campaigns", {"name": "x"}, key=ekopost.other_api_key).json()
    taken_elsewhere = ekopost.post(
        f"/campaigns/{other['id']}/envelopes", {"unique_id": "faktura-1"}, key=ekopost.other_api_key
    )
    assert taken_elsewhere.status_code == 200


@pytest.mark.parametrize(
    ("raw", "mentions"),
    [
        (b"{not json", "not JSON"),
        (b'"a string"', "JSON object"),
        (b"\xff\xfe", "UTF-8"),
    ],
)
def test_127_malformed_bodies(ekopost: Ekopost, raw: bytes, mentions: str) -> None:
    _error(ekopost.post("/campaigns", raw=raw), "127", mentions=mentions)


def test_127_wrong_types_and_unknown_address_type(ekopost: Ekopost) -> None:
    _error(ekopost.post("/campaigns", {"signing": "maybe"}), "127", mentions="signing")
    _error(ekopost.post("/campaigns", {"output_date": "next friday"}), "127", mentions="output_date")
    _error(ekopost.post("/campaigns", {"name": ["a"]}), "127", mentions="name")
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    _error(ekopost.post(path, {"address": {"$type": "pigeon"}}), "127", mentions="$type")
    _error(ekopost.post(path, {"address": "Storgatan 1"}), "127", mentions="address")
    _error(ekopost.post(path, {"postage": "express"}), "127", mentions="postage")
    _error(ekopost.post(path, {"plex": "triplex"}), "127", mentions="plex")
    _error(ekopost.post(path, {"color": "blue"}), "127", mentions="color")


def test_what_is_not_built_answers_501_in_ekopost_form(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    signer = {"email": "b@example.se", "recipient": "196103054166", "issuer": True}
    address = {"$type": "einbox_signer", "info_mail": "a@example.se", "signers": [signer]}
    assert ekopost.post(path, {"address": address}).status_code == 200  # einbox_signer is built now
    _error(ekopost.post(path, {"address": {**address, "signers": []}}), "122")
    _error(ekopost.post(path, {"address": {**address, "info_mail": "a@@b"}}), "123", mentions="info_mail")
    two_issuers = {**address, "signers": [signer, {**signer, "email": "c@example.se"}]}
    _error(ekopost.post(path, {"address": two_issuers}), "127", mentions="issuer")


def test_a_content_over_the_document_limit_is_refused_before_it_is_read_whole(
    small_ekopost: Ekopost,
) -> None:
    campaign_id, envelope_id = _opened(small_ekopost)
    data = b"A" * (SMALL_DOCUMENT_LIMIT * 4 // 3 + 200_000)
    huge = b'{"type": "document", "mime": "application/pdf", "data": "' + data + b'"}'
    response = small_ekopost.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/content", raw=huge)
    _error(response, "117", 413, mentions="larger than")
    just_over = content_body(b"%PDF-1.4\n" + b"0" * SMALL_DOCUMENT_LIMIT)
    _error(small_ekopost.add(campaign_id, envelope_id, just_over), "117", mentions="limit")


def test_128_to_134_sms_rules(ekopost: Ekopost) -> None:
    text = base64.b64encode("Hej! Din tid är bokad.".encode()).decode()
    valid = {"mime": "text/plain", "data": text, "FromName": "Ekokunden", "recipients": ["0701234567"]}
    _error(ekopost.post("/sms", {**valid, "mime": "application/pdf"}), "128", mentions="text/plain")
    _error(ekopost.post("/sms", {**valid, "data": ""}), "129")
    _error(ekopost.post("/sms", {**valid, "data": "inte base64!"}), "130")
    _error(
        ekopost.post("/sms", {**valid, "recipients": ["0701234567", "12"]}), "131", mentions="recipients[1]"
    )
    _error(ekopost.post("/sms", {**valid, "recipients": []}), "132")
    _error(ekopost.post("/sms", {**valid, "FromName": " "}), "133", mentions="FromName")
    _error(ekopost.post("/sms", {**valid, "recipients": ["0701234567"] * 100_001}), "134")
    assert ekopost.post("/sms", valid).status_code == 200

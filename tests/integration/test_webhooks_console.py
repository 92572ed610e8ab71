"""The console's webhook pages through the whole app: subscriptions listed, added (the secret shown
once), paused, resumed, tested and deleted by CSRF-checked forms; each attempt's request and response
in the log; the sandbox's request bins at /sandbox/bins/{name}, bounded, with each request's
signature checked against the subscription that posts there."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest

from postbud.webhooks import hmac_sha1, signing
from postbud.webhooks.exchange import BODY_LIMIT
from postbud.webhooks.request_bin import KEEP_PER_BIN, MAX_BODY_BYTES
from tests.integration.test_console_web import OLA, Console, console_for, wait_for
from tests.integration.test_webhooks_order import receiver_that_is_down
from tests.integration.webhook_receiver import HookReceiver, hook_receiver

SUBSCRIPTIONS = "/console/webhooks/subscriptions"
BINS = "/console/webhooks/bins"


@pytest.fixture
def console(tmp_path: Path, database_url: str) -> Iterator[Console]:
    yield from console_for(tmp_path, database_url)


@pytest.fixture
def receiver() -> Iterator[HookReceiver]:
    with hook_receiver() as receiver:
        yield receiver


def _secret(page: str) -> str:
    match = re.search(r'<code class="secret" id="subscription-secret">([^<]+)</code>', page)
    assert match, page
    return unescape(match.group(1))


def _webhooks(console: Console) -> list[dict[str, object]]:
    found: list[dict[str, object]] = console.api("GET", "/webhooks").json()
    return found


def test_the_webhook_pages_need_the_admin_and_their_forms_the_csrf_token(console: Console) -> None:
    for path in (SUBSCRIPTIONS, BINS, f"{BINS}/demo"):
        response = console.client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/console/sign-in")
    console.sign_in()
    refused = console.client.post(
        SUBSCRIPTIONS, data={"sender": console.sender_id, "url": "https://example.com/h"}
    )
    assert refused.status_code == 403
    assert _webhooks(console) == []


def test_a_subscription_is_added_tested_paused_resumed_and_deleted_in_the_console(
    console: Console, receiver: HookReceiver
) -> None:
    console.sign_in()
    added = console.post(
        SUBSCRIPTIONS,
        {"sender": console.sender_id, "url": receiver.url("c"), "format": "cloudevents", "events": ""},
    )
    assert added.status_code == 200, added.text
    secret = _secret(added.text)
    [webhook] = _webhooks(console)
    assert (webhook["url"], webhook["format"], webhook["event_types"]) == (
        receiver.url("c"),
        "cloudevents",
        ["*"],
    )
    listing = console.client.get(SUBSCRIPTIONS).text
    assert receiver.url("c") in listing
    assert secret not in listing, "the secret is shown once, when added"

    base = f"{SUBSCRIPTIONS}/{webhook['id']}"
    assert console.notice(console.post(f"{base}/test")) == "En testhendelse er lagt i kø; se leveransene."
    [request] = wait_for(lambda: receiver.at("c"), what="the test event")
    signing.verify(secret, request.headers, request.body)
    assert json.loads(request.body)["type"] == "no.postbud.webhook.test"
    exchange = "Forespørsel og svar"
    log = wait_for(lambda: exchange in (page := console.client.get("/console/webhooks").text) and page)
    assert "Testhendelse" in log
    assert "webhook-signature" in log
    assert secret not in log

    assert console.notice(console.post(f"{base}/pause")) == "Abonnementet er pauset."
    assert _webhooks(console)[0]["active"] is False
    paused_test = console.post(f"{base}/test")
    assert "Gjenoppta det før du sender en testhendelse" in console.notice(paused_test)
    assert console.notice(console.post(f"{base}/resume")) == "Abonnementet er aktivt igjen."
    assert _webhooks(console)[0]["active"] is True
    assert console.notice(console.post(f"{base}/delete")) == "Abonnementet er slettet."
    assert _webhooks(console) == []
    assert console.notice(console.post(f"{base}/pause")) == "Abonnementet finnes ikke lenger."


def test_a_subscription_the_core_refuses_names_the_field_and_keeps_the_form(console: Console) -> None:
    console.sign_in()
    refused = console.post(
        SUBSCRIPTIONS, {"sender": console.sender_id, "url": "ftp://example.com/h", "events": "deliverd"}
    )
    assert refused.status_code == 400
    errors = re.search(r'id="subscription-errors">(.*?)</div>', refused.text, re.S)
    assert errors, refused.text
    assert "<strong>url</strong>" in errors.group(1)
    assert "<strong>event_types</strong>" in errors.group(1)
    assert 'value="ftp://example.com/h"' in refused.text
    assert _webhooks(console) == []


def test_a_request_bin_keeps_what_it_receives_with_the_signature_checked(console: Console) -> None:
    console.sign_in()
    bin_path = "/sandbox/bins/demo"
    unsigned = console.client.post(
        bin_path, content=b'{"hello": 1}', headers={"content-type": "application/json"}
    )
    assert unsigned.status_code == 200
    assert unsigned.json()["signature"] == "no_subscription"

    url = f"http://testserver{bin_path}"
    standard = console.post(SUBSCRIPTIONS, {"sender": console.sender_id, "url": url})
    standard_secret = _secret(standard.text)
    body = b'{"type": "shipment.delivered"}'
    stamp = int(time.time())
    good = signing.signed_headers(standard_secret, "msg_1", stamp, body)
    assert console.client.post(bin_path, content=body, headers=good).json()["signature"] == "valid"
    forged = {**good, "webhook-signature": signing.sign(signing.new_secret(), "msg_1", stamp, body)}
    assert console.client.post(bin_path, content=body, headers=forged).json()["signature"] == "invalid"

    ekopost = console.post(SUBSCRIPTIONS, {"sender": console.sender_id, "url": url, "format": "ekopost"})
    ekopost_secret = _secret(ekopost.text)
    signed = {hmac_sha1.SIGNATURE_HEADER: hmac_sha1.sign(ekopost_secret, body)}
    assert console.client.post(bin_path, content=body, headers=signed).json()["signature"] == "valid"

    big = b"y" * (BODY_LIMIT + 1)
    assert console.client.put(bin_path, content=big).status_code == 200

    page = console.client.get(f"{BINS}/demo").text
    assert page.count('class="bin-request ') == 5
    assert page.count("bin-request--valid") == 2
    assert page.count("bin-request--invalid") == 1
    assert "no matching signature" in page
    assert "Kuttet etter 64 KiB." in page
    assert f"{BODY_LIMIT + 1} byte" in page
    assert re.search(r'<code id="bin-url">http://[^<]+/sandbox/bins/demo</code>', page)
    assert "subscription-state" not in page
    listing = console.client.get(BINS).text
    assert 'href="/console/webhooks/bins/demo"' in listing

    assert console.notice(console.post(f"{BINS}/demo/clear")) == "Boksen er tømt."
    assert "bin-request " not in console.client.get(f"{BINS}/demo").text


def test_a_request_bin_keeps_only_its_newest_requests(console: Console) -> None:
    for n in range(KEEP_PER_BIN + 5):
        assert console.client.post("/sandbox/bins/full", content=str(n).encode()).status_code == 200
    console.sign_in()
    page = console.client.get(f"{BINS}/full").text
    assert page.count('class="bin-request ') == KEEP_PER_BIN
    bodies = re.findall(r'<pre class="body"[^>]*>(\d+)</pre>', page)
    assert bodies[0] == str(KEEP_PER_BIN + 4)
    assert bodies[-1] == "5"


def test_a_bins_name_is_checked(console: Console) -> None:
    assert console.client.post("/sandbox/bins/..", content=b"x").status_code in (400, 404)
    assert console.client.post("/sandbox/bins/" + "a" * 65, content=b"x").status_code == 400
    console.sign_in()
    assert console.client.get(f"{BINS}/open", params={"name": "bad name"}).status_code == 400
    opened = console.client.get(f"{BINS}/open", params={"name": "good-1"}, follow_redirects=False)
    assert opened.headers["location"] == f"{BINS}/good-1"


def test_request_bins_exist_only_in_sandbox_mode(tmp_path: Path, database_url: str) -> None:
    for console in console_for(tmp_path, database_url, sandbox=False):
        assert console.client.post("/sandbox/bins/demo", content=b"x").status_code == 404


def test_the_log_shows_a_delivery_waiting_for_an_earlier_one_of_its_letter(console: Console) -> None:
    with receiver_that_is_down() as receiver:
        created = console.api("POST", "/webhooks", json={"sender_id": console.sender_id, "url": receiver.url})
        webhook_id = created.json()["webhook"]["id"]
        console.add_ola()
        console.send("Vedtak", recipient=OLA)

        def settled_for_now() -> list[str]:
            found = console.api("GET", "/webhooks/deliveries", params={"webhook_id": webhook_id}).json()
            statuses = sorted(d["status"] for d in found)
            return statuses if statuses == ["retrying", "waiting", "waiting"] else []

        wait_for(settled_for_now, what="one delivery retrying and the letter's others waiting")
        console.sign_in()
        page = console.client.get("/console/webhooks", params={"status": "waiting"}).text
        assert page.count('class="delivery delivery--waiting"') == 2
        assert page.count("Venter på en tidligere") >= 2
        assert "waits for delivery" in page


def test_a_bin_refuses_a_request_over_its_limit_and_keeps_nothing_of_it(console: Console) -> None:
    too_big = b"z" * (MAX_BODY_BYTES + 1)
    refused = console.client.post("/sandbox/bins/limit", content=too_big)
    assert refused.status_code == 413
    assert str(MAX_BODY_BYTES) in refused.json()["error"]
    console.sign_in()
    assert "bin-request " not in console.client.get(f"{BINS}/limit").text
    english = console.client.get(f"{BINS}/limit", params={"lang": "en"}).text
    assert "Nothing received yet." in english
    assert "Request bin limit" in english

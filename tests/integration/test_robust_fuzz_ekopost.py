"""Ekopost's wire input fuzzed (issue 13 item 5), as a registered customer with a valid API key (so
the fuzz reaches the handlers): JSON bodies of campaigns, envelopes, content, close, cancel and
reachable — any JSON value, the endpoint's own fields with odd values, odd ``$type``s, base64 that
lies about its length, its type or its being base64, numbers beyond 64 bits raw in the JSON, every
truncation of a valid body, deep nesting, UTF-16 and binary bytes; numbers that overflow in every
query parameter and numeric-looking path segment; and odd ``Authorization`` headers. Each answer is
below 500 and, when refused, Ekopost's own error object, with nothing written (no row, no blob).
SQLite and PostgreSQL; bounded and derandomised.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.integration.robust_strategies import (
    FUZZ,
    huge_numbers,
    json_values,
    odd_header_values,
    truncations,
)
from tests.integration.robust_world import EKOPOST_CUSTOMER, World, ekopost_customer, world
from tests.integration.test_ekopost_fixtures import letter_pdf

__all__ = ["world"]

BASE = "/ekopost"
ADDRESS_TYPES = [
    "postal", "email", "einbox", "einbox_kivra", "einbox_signer", "einvoice", "einvoice_mastercard",
    "ebank", "lookup", "sms", "edi",
]  # fmt: skip
PDF = letter_pdf()
DEEP = b'{"a":' * 5_000 + b"1" + b"}" * 5_000

odd_types = (
    st.sampled_from(ADDRESS_TYPES)
    | st.sampled_from(["POSTAL", " postal", "póstal", "", "$type"])
    | json_values
)
addresses = st.fixed_dictionaries(
    {"$type": odd_types},
    optional={
        key: json_values
        for key in ("recipient", "name", "street", "postal_code", "city", "country", "email", "use_coverpage")
    },
)


def _lying_base64() -> st.SearchStrategy[dict[str, Any]]:
    """Content whose ``data`` is not what its other fields say."""
    good = base64.b64encode(PDF).decode()
    return st.one_of(
        st.builds(lambda n: {"data": good, "length": n}, huge_numbers | st.integers(-5, len(PDF) * 2)),
        st.builds(
            lambda raw: {"data": base64.b64encode(raw).decode(), "length": len(raw)}, st.binary(max_size=300)
        ),
        st.builds(lambda text: {"data": text, "length": len(text)}, st.text(max_size=200)),
        st.just({"data": good[:-4], "length": len(PDF)}),  # cut short
        st.just({"data": good.replace("A", "-"), "length": len(PDF)}),  # the URL-safe alphabet
        st.just({"data": " " + good, "length": len(PDF)}),
        st.just({"data": good, "length": len(PDF), "mime": "text/plain"}),
        st.just({"data": base64.b64encode(b"%PDF-1.7\n%%EOF").decode(), "length": 14}),  # a PDF in name only
    ).flatmap(_with_odd_type_and_mime)


def _with_odd_type_and_mime(content: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    optional = {
        "type": st.sampled_from(["document", "attachment", "letter", ""]) | json_values,
        "mime": st.sampled_from(["application/pdf", "application/octet-stream"]) | json_values,
    }
    return st.fixed_dictionaries(
        {key: st.just(value) for key, value in content.items()},
        optional={key: values for key, values in optional.items() if key not in content},
    )


def _fields(keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={key: json_values for key in keys})


def _encoded(values: st.SearchStrategy[Any]) -> st.SearchStrategy[bytes]:
    return values.map(lambda value: json.dumps(value).encode())


def _raw_numbers(key: str) -> st.SearchStrategy[bytes]:
    """A huge (or not quite numeric) number raw in the JSON, where json.dumps would quote it."""
    return huge_numbers.map(lambda n: f'{{"name": "x", "{key}": {n}}}'.encode())


def _bodies(
    specific: st.SearchStrategy[Any], valid: dict[str, Any], numbers: str
) -> st.SearchStrategy[bytes]:
    valid_bytes = json.dumps(valid).encode()
    return st.one_of(
        _encoded(specific),
        _encoded(json_values),
        truncations(valid_bytes),
        _raw_numbers(numbers),
        st.binary(max_size=300),
        st.just(json.dumps(valid).encode("utf-16")),
        st.just(json.dumps(valid).encode("utf-32")),
        st.just(b"\xef\xbb\xbf" + valid_bytes),  # a UTF-8 byte-order mark
        st.just(json.dumps(valid).encode("latin-1", "replace").replace(b'"', b"'")),
        st.just(DEEP),
        st.just(b"[" * 10_000 + b"]" * 10_000),
    )


CAMPAIGN = {"name": "Fuzz", "output_date": "2026-12-31"}
ENVELOPE = {"name": "Brev", "postage": "priority", "address": {"$type": "postal", "name": ["A"]}}
CONTENT = {
    "type": "document",
    "mime": "application/pdf",
    "length": len(PDF),
    "data": base64.b64encode(PDF).decode(),
}

campaign_bodies = _bodies(
    _fields(("name", "output_date", "cost_center", "signing", "replymail", "id", "webhook")),
    CAMPAIGN,
    "output_date",
)
envelope_bodies = _bodies(
    st.one_of(
        _fields(("name", "address", "postage", "plex", "color", "pu", "kb", "unique_id", "agent")),
        st.fixed_dictionaries({"name": st.just("Brev"), "address": addresses}),
    ),
    ENVELOPE,
    "plex",
)
content_bodies = _bodies(
    st.one_of(_lying_base64(), _fields(("data", "mime", "length", "type", "return_address", "address"))),
    CONTENT,
    "length",
)
small_bodies = _bodies(_fields(("reason", "force", "id", "state")), {}, "id")
reachable_bodies = _bodies(
    _fields(("identifier", "identifiers", "orgnr", "personnummer", "type", "recipient", "gln")),
    {"identifier": EKOPOST_CUSTOMER},
    "identifier",
)


def _refused_or_fine(world: World, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> Any:
    before = world.stored()
    response = world.http.request(method, url, content=body, headers=headers)
    assert response.status_code < 500, (method, url, response.status_code, response.text[:300])
    if response.status_code >= 400:
        answer = response.json()
        assert {"error_code", "error_message"} <= answer.keys(), answer
        assert world.stored() == before, f"{method} {url} was refused but wrote something"
    return response


@FUZZ
@given(body=campaign_bodies)
def test_odd_campaign_bodies(world: World, body: bytes) -> None:
    customer = ekopost_customer(world)
    _refused_or_fine(world, "POST", f"{BASE}/campaigns", body, customer.headers())


@FUZZ
@given(body=envelope_bodies)
def test_odd_envelope_bodies(world: World, body: bytes) -> None:
    customer = ekopost_customer(world)
    url = f"{BASE}/campaigns/{customer.campaign_id}/envelopes"
    _refused_or_fine(world, "POST", url, body, customer.headers())


@FUZZ
@given(body=content_bodies)
def test_odd_content_bodies(world: World, body: bytes) -> None:
    customer = ekopost_customer(world)
    url = f"{BASE}/campaigns/{customer.campaign_id}/envelopes/{customer.envelope_id}/content"
    _refused_or_fine(world, "POST", url, body, customer.headers())


@FUZZ
@given(
    body=small_bodies,
    what=st.sampled_from(["envelopes/{envelope}/close", "envelopes/{envelope}/cancel", "close", "cancel"]),
)
def test_odd_close_and_cancel_bodies(world: World, body: bytes, what: str) -> None:
    """Closing an envelope without content, or a campaign with an open envelope, is refused whatever
    the body says; a cancel may go through (then the next examples meet a cancelled one)."""
    customer = ekopost_customer(world)
    path = what.format(envelope=customer.envelope_id)
    _refused_or_fine(
        world, "POST", f"{BASE}/campaigns/{customer.campaign_id}/{path}", body, customer.headers()
    )


@FUZZ
@given(
    body=reachable_bodies,
    kind=st.sampled_from(["einvoiceready", "einbox", "kivra", "peppol", "ebank/list", "x"]),
)
def test_odd_reachable_bodies(world: World, body: bytes, kind: str) -> None:
    customer = ekopost_customer(world)
    _refused_or_fine(world, "POST", f"{BASE}/reachable/{kind}", body, customer.headers())


QUERY_ROUTES = [
    ("/campaigns", ("start", "stop", "state", "name")),
    ("/campaigns/{campaign}/envelopes", ("name", "state", "address_type", "offset", "limit")),
    ("/campaigns/{campaign}/envelopes/failed", ("offset", "limit")),
    ("/campaigns/{campaign}/envelopes/{envelope}", ("offset",)),
    ("/sms/{number}", ("offset", "limit")),
    ("/edi/invitations", ("offset", "limit", "state")),
    ("/reachable/einbox", ("identifier", "offset")),
]


@FUZZ
@given(route=st.sampled_from(QUERY_ROUTES), value=huge_numbers, segment=huge_numbers, which=st.integers(0, 5))
def test_numbers_that_overflow_in_every_query_parameter_and_path_segment(
    world: World, route: tuple[str, tuple[str, ...]], value: str, segment: str, which: int
) -> None:
    customer = ekopost_customer(world)
    path, parameters = route
    name = parameters[which % len(parameters)]
    url = BASE + path.format(
        campaign=customer.campaign_id, envelope=customer.envelope_id, number=segment or "0"
    )
    _refused_or_fine(world, "GET", url, None, customer.headers())
    _refused_or_fine(
        world, "GET", url + "?" + f"{name}={value}".replace("&", "%26"), None, customer.headers()
    )
    # The ids themselves as huge numbers.
    odd = BASE + path.format(campaign=segment or "0", envelope=segment or "0", number=value or "0")
    _refused_or_fine(world, "GET", odd, None, customer.headers())


authorizations = st.one_of(
    odd_header_values,
    odd_header_values.map(lambda v: f"api-key {v}"),
    odd_header_values.map(lambda v: f"Basic {base64.b64encode(v.encode()).decode()}"),
    odd_header_values.map(lambda v: f"Basic {base64.b64encode(f'{EKOPOST_CUSTOMER}:{v}'.encode()).decode()}"),
    st.sampled_from(
        ["Basic", "Basic ", "Basic !!!", "Basic " + "A" * 5000, "api-key", "api-key ", "Bearer x",
         "API-KEY x", "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(), "Digest username=x"]
    ),
)  # fmt: skip


@FUZZ
@given(
    authorization=authorizations, endpoint=st.sampled_from(["campaigns", "reachable/einvoiceready", "sms"])
)
def test_odd_authorization_headers_are_refused_and_write_nothing(
    world: World, authorization: str, endpoint: str
) -> None:
    ekopost_customer(world)
    headers = {"Authorization": authorization, "Content-Type": "application/json"}
    body = json.dumps(CAMPAIGN if endpoint == "campaigns" else {"identifier": EKOPOST_CUSTOMER}).encode()
    before = world.stored()
    try:
        response = world.http.post(f"{BASE}/{endpoint}", content=body, headers=headers)
    except ValueError:  # a header value the HTTP client itself will not send (e.g. a non-Latin-1 character)
        return
    assert 400 <= response.status_code < 500, (authorization, response.status_code, response.text[:300])
    assert {"error_code", "error_message"} <= response.json().keys()
    assert world.stored() == before

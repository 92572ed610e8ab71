"""Fuzzed Digipost wire input (issue 13 item 5): multipart bodies with odd boundaries and hostile
XML, truncated sends, overflowing query parameters and odd headers, signed and unsigned. Each
answer is below 500 and Digipost's own ``error`` element, and nothing is stored. SQLite and
PostgreSQL; bounded and derandomised (tests/integration/robust_strategies.py).
"""

from __future__ import annotations

import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tests.integration.digipost_fixtures import MAILBOX_PERSON, a_pdf, message
from tests.integration.robust_strategies import (
    FUZZ,
    boundaries,
    huge_numbers,
    odd_header_values,
    truncations,
    xml_bodies,
)
from tests.integration.robust_world import World, world

__all__ = ["world"]

SEND = "/digipost/messages"
EVENTS = "/digipost/documents/events"
WINDOW = {"from": "2025-03-01T00:00:00Z", "to": "2025-03-02T00:00:00Z"}
DOCUMENT = str(uuid.uuid4())
PDF = a_pdf()


def _answered(response: Any) -> etree._Element:
    """Below 500 (or the dialect's 501), in Digipost's own XML."""
    assert response.status_code < 500 or response.status_code == 501, (
        response.request.url.path,
        response.status_code,
        response.text,
    )
    assert response.headers["content-type"].startswith("application/vnd.digipost"), response.headers
    return etree.fromstring(response.content)


def _refused(response: Any) -> None:
    root = _answered(response)
    assert response.status_code >= 400, response.text
    assert etree.QName(root).localname == "error"


def _multipart(boundary: str, first: bytes, document: bytes = PDF) -> bytes:
    mark = boundary.encode("utf-8")
    return (
        b"--" + mark + b"\r\nContent-Type: application/vnd.digipost-v8+xml\r\n\r\n" + first
        + b"\r\n--" + mark + b"\r\nContent-Type: application/octet-stream\r\n"
        + f"Content-Disposition: attachment; filename={DOCUMENT}\r\n\r\n".encode() + document
        + b"\r\n--" + mark + b"--\r\n"
    )  # fmt: skip


def _post_signed(world: World, body: bytes, content_type: str) -> Any:
    headers = world.digipost.headers("POST", SEND, body)
    headers["Content-Type"] = content_type
    return world.digipost.http.post(SEND, content=body, headers=headers)


@FUZZ
@given(boundary=boundaries, first=xml_bodies, signed=st.booleans())
def test_odd_boundaries_and_hostile_xml_are_refused_and_store_nothing(
    world: World, boundary: str, first: bytes, signed: bool
) -> None:
    before = world.stored()
    body = _multipart(boundary, first)
    # A boundary outside Latin-1 arrives as its UTF-8 bytes, as a client that does not encode sends it.
    content_type = f'multipart/vnd.digipost-v8+xml; boundary="{boundary}"'.encode()
    headers = world.digipost.headers("POST", SEND, body) if signed else {}
    raw = {name.encode(): value.encode("latin-1") for name, value in headers.items()}
    response = world.digipost.http.post(SEND, content=body, headers={**raw, b"Content-Type": content_type})
    _refused(response)
    assert world.stored() == before


VALID = _multipart(
    "b",
    message(
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>", DOCUMENT
    ).encode(),
)


@FUZZ
@given(body=truncations(VALID[: VALID.rindex(b"--b--") + len(b"--b--")]))  # cut inside or before the end
def test_a_truncated_send_is_refused_and_stores_nothing(world: World, body: bytes) -> None:
    before = world.stored()
    response = _post_signed(world, body, "multipart/vnd.digipost-v8+xml; boundary=b")
    _refused(response)
    assert world.stored() == before


@FUZZ
@given(name=st.sampled_from(["offset", "maxResults", "sender", "from", "to"]), value=huge_numbers)
def test_overflowing_event_query_parameters_are_refused(world: World, name: str, value: str) -> None:
    params = {**WINDOW, name: value}
    query = "&".join(f"{key}={_quote(val)}" for key, val in params.items())
    headers = world.digipost.headers("GET", EVENTS, None, query)
    response = world.digipost.http.get(f"{EVENTS}?{query}", headers=headers)
    if response.status_code == 200:  # a value in range (e.g. offset 2**31-2) is simply answered
        return
    _refused(response)


@FUZZ
@given(path_number=huge_numbers, document=st.uuids().map(str))
def test_overflowing_ids_in_paths_are_refused(world: World, path_number: str, document: str) -> None:
    for path in (
        f"/digipost/documents/{_quote(path_number)}/{document}/status",
        f"/digipost/{_quote(path_number)}/archives",
        f"/digipost/senders/information/{_quote(path_number)}",
    ):
        headers = world.digipost.headers("GET", path, None)
        response = world.digipost.http.get(path, headers=headers)
        _answered(response)  # sender information answers NO_INFO_AVAILABLE for an unknown sender


@FUZZ
@given(
    name=st.sampled_from(
        ["X-Digipost-UserId", "Date", "X-Content-SHA256", "X-Digipost-Signature", "Content-Type"]
    ),
    value=odd_header_values,
)
def test_odd_headers_on_a_send_are_refused_and_store_nothing(world: World, name: str, value: str) -> None:
    before = world.stored()
    headers = world.digipost.headers("POST", SEND, VALID)
    headers["Content-Type"] = "multipart/vnd.digipost-v8+xml; boundary=b"
    headers[name] = value
    response = world.digipost.http.post(
        SEND, content=VALID, headers={k.encode(): v.encode("latin-1") for k, v in headers.items()}
    )
    _refused(response)
    assert world.stored() == before


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")

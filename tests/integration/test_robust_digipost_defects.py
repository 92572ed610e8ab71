"""Issue 11 §3: defects found by trying the Digipost dialect, each refused as the dialect's own 400.

A multipart boundary longer than python-multipart's 256 characters, and a ``GET /documents/events``
offset (or sender) that is no Java int, used to answer 500 with a traceback in the log.
"""

from __future__ import annotations

import pytest
from structlog.testing import capture_logs

from tests.integration.digipost_fixtures import error_code
from tests.integration.digipost_requests import request
from tests.integration.robust_world import World, world

__all__ = ["world"]

MESSAGE_PART = b"Content-Type: application/vnd.digipost-v8+xml\r\n\r\n<message/>\r\n"
WINDOW = "from=2025-03-01T00%3A00%3A00Z&to=2025-03-02T00%3A00%3A00Z"


def _multipart(boundary: str) -> bytes:
    return f"--{boundary}\r\n".encode() + MESSAGE_PART + f"--{boundary}--\r\n".encode()


@pytest.mark.parametrize("signed", [True, False], ids=["signed", "unsigned"])
@pytest.mark.parametrize("length", [257, 300, 5000])
def test_a_boundary_longer_than_256_characters_is_the_dialects_400(
    world: World, signed: bool, length: int
) -> None:
    boundary = "b" * length
    body = _multipart(boundary)
    client = world.digipost
    headers = client.headers("POST", "/digipost/messages", body) if signed else {}
    headers["Content-Type"] = f"multipart/vnd.digipost-v8+xml; boundary={boundary}"
    before = world.stored()
    with capture_logs() as logs:
        response = client.http.post("/digipost/messages", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert error_code(response) == "PROBLEM_WITH_REQUEST"
    assert "boundary" in response.text
    client.verify(response, "/digipost/messages")
    assert [entry for entry in logs if entry.get("log_level") in ("error", "critical")] == []
    assert world.stored() == before


def test_a_boundary_of_256_characters_is_still_read(world: World) -> None:
    """The limit is the parser's: a boundary at it reaches the message's own checks."""
    boundary = "b" * 256
    body = _multipart(boundary)
    headers = world.digipost.headers("POST", "/digipost/messages", body)
    headers["Content-Type"] = f"multipart/vnd.digipost-v8+xml; boundary={boundary}"
    response = world.digipost.http.post("/digipost/messages", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert error_code(response) != "PROBLEM_WITH_REQUEST" or "boundary" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        f"{WINDOW}&offset={2**63}",
        f"{WINDOW}&offset={2**64 + 1}",
        f"{WINDOW}&offset={'9' * 400}",
        f"{WINDOW}&offset={'9' * 5000}",  # beyond int()'s 4,300 digits: a ValueError of its own
        f"{WINDOW}&offset={2**31}",
        f"{WINDOW}&offset=%C2%B2",  # "²": a digit to str.isdigit, not to int
        f"{WINDOW}&maxResults=%C2%B2",
        f"{WINDOW}&sender=%C2%B2",
        f"{WINDOW}&maxResults={2**64}",
    ],
)
def test_an_out_of_range_events_parameter_is_invalid_query_parameter(world: World, query: str) -> None:
    with capture_logs() as logs:
        response = request(world.digipost, "GET", "/digipost/documents/events", query=query)
    assert response.status_code == 400, response.text
    assert error_code(response) == "INVALID_QUERY_PARAMETER"
    world.digipost.verify(response, "/digipost/documents/events")
    assert [entry for entry in logs if entry.get("log_level") in ("error", "critical")] == []


def test_the_largest_java_int_offset_is_answered(world: World) -> None:
    response = request(
        world.digipost, "GET", "/digipost/documents/events", query=f"{WINDOW}&offset={2**31 - 1}"
    )
    assert response.status_code == 200, response.text


def test_a_sender_of_5000_digits_is_not_the_broker(world: World) -> None:
    query = f"{WINDOW}&sender={'9' * 5000}"
    response = request(world.digipost, "GET", "/digipost/documents/events", query=query)
    assert response.status_code == 403, response.text
    assert error_code(response) == "BROKER_NOT_AUTHORIZED"

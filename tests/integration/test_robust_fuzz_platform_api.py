"""Fuzzed JSON to the platform API's send (issue 13 item 5): any JSON value, numbers beyond 64 bits,
non-JSON bytes and wrong encodings. Each answer is a problem+json below 500 and nothing is stored.
SQLite and PostgreSQL; bounded and derandomised.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from postbud.services.parties.senders import RegisterSender, register_sender
from tests.integration.robust_strategies import FUZZ, json_values
from tests.integration.robust_world import World, world

__all__ = ["world"]

bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"recipient": json_values, "documents": json_values}).map(
        lambda v: json.dumps(v).encode()
    ),
    st.binary(max_size=300),
    st.just('{"recipient": "æøå"}'.encode("utf-16")),
    st.just(b"[" * 10_000 + b"]" * 10_000),
)


@FUZZ
@given(body=bodies)
def test_odd_json_to_the_send_is_a_problem_and_stores_nothing(world: World, body: bytes) -> None:
    api_key = _api_key(world)
    before = world.stored()
    response: Any = world.http.post(
        "/api/v1/shipments",
        content=body,
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.status_code not in (401, 403), "the fuzz must reach the send, not stop at the key"
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    assert world.stored() == before


_keys: dict[str, str] = {}


def _api_key(world: World) -> str:
    """One API key per world (the fixture is shared by a test's examples)."""
    if str(world.data_dir) not in _keys:
        credentials = world.http.portal.call(  # type: ignore[union-attr]
            register_sender,
            RegisterSender(name="Fuzzkommune", organisation_number="991825827"),
            world.runtime,
        )
        _keys[str(world.data_dir)] = credentials.api_key
    return _keys[str(world.data_dir)]

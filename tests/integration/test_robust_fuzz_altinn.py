"""Fuzzed JSON to Altinn's initialize (issue 13 item 5), as a registered service owner with a valid
token: any JSON value, 64-bit overflow, non-JSON and UTF-16 bytes, deep nesting. Each answer is
problem+json below 500 past the token, and no correspondence is stored. SQLite and PostgreSQL;
bounded and derandomised.
"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tests.integration.altinn_api_fixtures import API, Altinn, altinn, letters
from tests.integration.robust_strategies import FUZZ, json_values

__all__ = ["altinn"]

bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.fixed_dictionaries({"correspondence": json_values, "recipients": json_values}).map(
        lambda value: json.dumps(value).encode()
    ),
    st.binary(max_size=300),
    st.just('{"recipients": ["æøå"]}'.encode("utf-16")),
)
DEEP = b'{"a":' * 5_000 + b"1" + b"}" * 5_000


@FUZZ
@given(body=bodies)
def test_odd_json_to_initialize_is_a_problem_and_stores_nothing(altinn: Altinn, body: bytes) -> None:
    _refused_and_nothing_stored(altinn, body)


def test_json_nested_5000_deep_is_a_problem(altinn: Altinn) -> None:
    _refused_and_nothing_stored(altinn, DEEP)


def _refused_and_nothing_stored(altinn: Altinn, body: bytes) -> None:
    before = letters(altinn)
    response = altinn.http.post(
        f"{API}/correspondence",
        content=body,
        headers={**altinn.as_sender(), "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.status_code not in (401, 403), "the fuzz must reach initialize, not stop at the token"
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    assert letters(altinn) == before

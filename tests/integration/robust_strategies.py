"""Hypothesis strategies for wire input that is wrong in the ways clients and attackers get it wrong:
truncated bodies, odd multipart boundaries, XML entities (billion laughs, external entities), deep
nesting, wrong encodings, and numbers that overflow a 64-bit integer. Bounded, derandomised settings
for the suite: each fuzz test runs the same examples every time.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>'
    '<message xmlns="http://api.digipost.no/schema/v8"><message-id>&lol6;</message-id></message>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<message xmlns="http://api.digipost.no/schema/v8"><message-id>&xxe;</message-id></message>'
)


def deep(depth: int) -> str:
    return "<a>" * depth + "</a>" * depth


xml_bodies = (
    st.one_of(
        st.just(BILLION_LAUGHS),
        st.just(EXTERNAL_ENTITY),
        st.integers(min_value=100, max_value=50_000).map(deep),
        st.text(max_size=300).map(lambda text: f'<message xmlns="http://api.digipost.no/schema/v8">{text}'),
        st.text(max_size=300),
    ).map(str.encode)
    | st.binary(max_size=600)
    | st.just("<message>æøå</message>".encode("utf-16"))
)

boundaries = st.one_of(
    st.text(
        alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='";\\'),
        min_size=1,
        max_size=80,
    ),
    st.integers(min_value=200, max_value=5_000).map(lambda n: "b" * n),
    st.just(""),
    st.just(" "),
    st.text(alphabet="æøå€😀", min_size=1, max_size=20),
)

huge_numbers = st.one_of(
    st.integers(min_value=2**31 - 2, max_value=2**31 + 2),
    st.integers(min_value=2**63 - 2, max_value=2**64 + 2),
    st.integers(min_value=-(2**64), max_value=-1),
    st.just(10**400),
).map(str) | st.sampled_from(["1e9", "0x10", "1.5", "NaN", "²", "٣", " 1", "1 ", "+1", "", "-0", "9" * 5000])

odd_header_values = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=200
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | huge_numbers.map(lambda s: s)
    | st.text(max_size=50)
    | st.floats(allow_nan=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=4)
    ),
    max_leaves=20,
)


def truncations(body: bytes) -> st.SearchStrategy[bytes]:
    return st.integers(min_value=0, max_value=max(len(body) - 1, 0)).map(lambda n: body[:n])

"""Letters outside ASCII in a request target: read as UTF-8 when they are, else as ISO-8859-1."""

from __future__ import annotations

import pytest

from postbud.http.request_target import ascii_target, origin_form, target_text


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"/recipients/search/\xc3\x85se", "/recipients/search/Åse"),  # UTF-8
        (b"/recipients/search/\xc5se%20\xd8deg\xe5rd", "/recipients/search/Åse%20Ødegård"),  # Java 18.x
        (b"/plain%20ascii", "/plain%20ascii"),
    ],
)
def test_target_text_reads_what_the_client_meant(raw: bytes, text: str) -> None:
    assert target_text(raw) == text


def test_ascii_target_escapes_only_the_letters_outside_ascii_path_and_query_each_by_itself() -> None:
    assert ascii_target(b"/s/\xc5se%20x?q=\xc3\xa6&r=a+b/c") == b"/s/%C3%85se%20x?q=%C3%A6&r=a+b/c"
    assert ascii_target(b"/s/\xc3\xa6?") == b"/s/%C3%A6?"
    assert ascii_target(b"/s/\xc3\xa6") == b"/s/%C3%A6"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (b"http://api.sandbox.ekopost.se/campaigns", (b"api.sandbox.ekopost.se", b"/campaigns")),
        (b"HTTPS://h:8443/a/b?q=1", (b"h:8443", b"/a/b?q=1")),
        (b"http://h", (b"h", b"/")),
        (b"http://h?q=1", (b"h", b"/?q=1")),
        (b"/campaigns", (None, b"/campaigns")),
        (b"*", (None, b"*")),
    ],
)
def test_origin_form_of_an_absolute_target(target: bytes, expected: tuple[bytes | None, bytes]) -> None:
    assert origin_form(target) == expected

"""Search and autocomplete: a response is signed over the form of the path the client verifies.

The official Java client signs one form of a path and verifies the answer over the other: up to
16.4.2 (Apache HttpClient 4) it signs the raw, percent-encoded path and verifies over the decoded
one; from 16.4.3 (HttpClient 5, the current 18.x) it signs the decoded path and verifies over the
raw one. A query such as ``pær Ødegård`` is where the two differ; one word of ASCII is where they
agree. An answer the client cannot verify becomes SERVER_SIGNATURE_ERROR and hides the real answer.
"""

from __future__ import annotations

import random
from urllib.parse import unquote

import pytest
from cryptography.exceptions import InvalidSignature
from lxml import etree

from postbud.domain.identifiers import generate_fodselsnummer
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import client
from tests.integration.digipost_requests import add_recipient, request

__all__ = ["client"]

SEARCH = "/digipost/recipients/search"
SUGGEST = "/digipost/recipients/suggest"
PATHS = [SEARCH, SUGGEST]
QUERY = "p%C3%A6r%20%C3%98deg%C3%A5rd"  # "pær Ødegård"


def verifies_over(client: SignedClient, response: object, path: str) -> bool:
    try:
        client.verify(response, path)
    except InvalidSignature:
        return False
    return True


def _found(base: str, response: object) -> None:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    root = etree.fromstring(response.content)  # type: ignore[attr-defined]
    if base == SEARCH:
        assert root.findtext(f"{{{V8}}}recipient/{{{V8}}}digipost-address") == "paer#1A2B"
    else:
        assert root.findtext(f"{{{V8}}}suggestion/{{{V8}}}search-string") == "Pær Ødegård"


@pytest.mark.parametrize("base", PATHS)
def test_a_request_signed_over_the_decoded_path_is_answered_over_the_raw_path(
    client: SignedClient, base: str
) -> None:
    """The 18.x client: signs ``…/pær ødegård``, verifies over ``…/p%c3%a6r%20%c3%98deg%c3%a5rd``."""
    add_recipient(client, generate_fodselsnummer(random.Random(3)), "Pær Ødegård", mailbox="paer#1A2B")
    path = f"{base}/{QUERY}"
    response = request(client, "GET", path, signed_path=unquote(path))
    _found(base, response)
    assert verifies_over(client, response, path)
    assert not verifies_over(client, response, unquote(path))


@pytest.mark.parametrize("base", PATHS)
def test_a_request_signed_over_the_raw_path_is_answered_over_the_decoded_path(
    client: SignedClient, base: str
) -> None:
    """Clients up to 16.4.2: sign the raw path, verify over the decoded one."""
    add_recipient(client, generate_fodselsnummer(random.Random(3)), "Pær Ødegård", mailbox="paer#1A2B")
    path = f"{base}/{QUERY}"
    response = request(client, "GET", path)
    _found(base, response)
    assert verifies_over(client, response, unquote(path))
    assert not verifies_over(client, response, path)


@pytest.mark.parametrize("base", PATHS)
def test_a_bad_signature_is_answered_over_the_raw_path(client: SignedClient, base: str) -> None:
    path = f"{base}/{QUERY}"
    response = request(client, "GET", path, signed_path=f"{base}/something-else")
    assert response.status_code == 403
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}error-code") == "INVALID_SIGNATURE"
    assert verifies_over(client, response, path)


@pytest.mark.parametrize("base", PATHS)
def test_a_missing_date_is_answered_over_the_raw_path(client: SignedClient, base: str) -> None:
    path = f"{base}/{QUERY}"
    response = client.http.get(path, headers={"X-Digipost-UserId": str(client.broker_id)})
    assert response.status_code == 400
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}error-code") == "MISSING_DATE_HEADER"
    assert verifies_over(client, response, path)

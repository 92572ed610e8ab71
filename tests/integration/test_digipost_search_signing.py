"""Search and autocomplete sign every response over the decoded path, errors as well as hits.

The Java client verifies a response against the decoded request path; with a query such as
``%C3%A6%20x`` an error signed over the raw path would fail its check (SERVER_SIGNATURE_ERROR)
and hide the real error from the sender.
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


@pytest.mark.parametrize("base", PATHS)
def test_hits_are_signed_over_the_decoded_path(client: SignedClient, base: str) -> None:
    add_recipient(client, generate_fodselsnummer(random.Random(3)), "Pær Ødegård", mailbox="paer#1A2B")
    path = f"{base}/{QUERY}"
    response = request(client, "GET", path)
    assert response.status_code == 200, response.text
    root = etree.fromstring(response.content)
    if base == SEARCH:
        assert root.findtext(f"{{{V8}}}recipient/{{{V8}}}digipost-address") == "paer#1A2B"
    else:
        assert root.findtext(f"{{{V8}}}suggestion/{{{V8}}}search-string") == "Pær Ødegård"
    assert verifies_over(client, response, unquote(path))
    assert not verifies_over(client, response, path)


@pytest.mark.parametrize("base", PATHS)
def test_a_bad_signature_is_answered_signed_over_the_decoded_path(client: SignedClient, base: str) -> None:
    path = f"{base}/{QUERY}"
    response = request(client, "GET", path, signed_path=f"{base}/something-else")
    assert response.status_code == 403
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}error-code") == "INVALID_SIGNATURE"
    assert verifies_over(client, response, unquote(path))
    assert not verifies_over(client, response, path)


@pytest.mark.parametrize("base", PATHS)
def test_a_missing_date_is_answered_signed_over_the_decoded_path(client: SignedClient, base: str) -> None:
    path = f"{base}/{QUERY}"
    response = client.http.get(path, headers={"X-Digipost-UserId": str(client.broker_id)})
    assert response.status_code == 400
    assert etree.fromstring(response.content).findtext(f"{{{V8}}}error-code") == "MISSING_DATE_HEADER"
    assert verifies_over(client, response, unquote(path))

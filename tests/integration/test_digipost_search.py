"""Recipient search and autocomplete, as a client written from the protocol description sees it."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from lxml import etree

from postbud.dialects.digipost.search import masked_mobile
from postbud.domain.identifiers import generate_fodselsnummer, generate_organisasjonsnummer, parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient
from tests.integration.core_helpers import runtime_for
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import client, text
from tests.integration.digipost_requests import add_recipient, request, valid_v8

__all__ = ["client"]

SEARCH = "/digipost/recipients/search"
SUGGEST = "/digipost/recipients/suggest"
BASE = "http://127.0.0.1:8080/digipost"
RNG = random.Random(8)


def q(name: str) -> str:
    return f"{{{V8}}}{name}"


def links(el: etree._Element) -> dict[str, str]:
    return {
        (link.get("rel") or "").rsplit("/", 1)[1]: link.get("uri") or "" for link in el.findall(q("link"))
    }


def search(client: SignedClient, path: str, *, signed_path: str | None = None) -> Any:
    """GET ``path`` (percent-encoded as sent); the response is signed over the form of the path the
    client did not sign (test_digipost_search_signing.py)."""
    response = request(client, "GET", path, signed_path=signed_path)
    assert response.status_code == 200, response.text
    client.verify(response, unquote(path) if signed_path in (None, path) else path)
    return response


@pytest.fixture
def registry(client: SignedClient) -> SignedClient:
    add_recipient(
        client,
        generate_fodselsnummer(RNG),
        "Per Olav Postkasse",
        mailbox="per.postkasse#1A2B",
        mobile="+4791234527",
        street="Storgata 1B",
    )
    add_recipient(
        client, generate_fodselsnummer(RNG), "Rita Reservert Postkasse", mailbox="rita#9Z9Z", reserved=True
    )
    add_recipient(client, generate_fodselsnummer(RNG), "Pål Papir Postkasse", street="Storgata 3")
    add_recipient(
        client,
        generate_organisasjonsnummer(RNG),
        "Postkasse AS",
        mailbox="postkasse.as#ORG1",
        street="Havna 7",
    )
    return client


def test_a_hit_carries_names_masked_mobile_address_and_links(registry: SignedClient) -> None:
    root = valid_v8(search(registry, f"{SEARCH}/per%20olav"))
    hits = root.findall(q("recipient"))
    assert len(hits) == 1
    hit = hits[0]
    assert [
        text(hit, n) for n in ("firstname", "middlename", "lastname", "digipost-address", "mobile-number")
    ] == [
        "Per",
        "Olav",
        "Postkasse",
        "per.postkasse#1A2B",
        "*****527",
    ]
    address = hit.find(q("address"))
    assert address is not None
    assert [text(address, n) for n in ("street", "house-number", "house-letter", "zip-code", "city")] == [
        "Storgata",
        "1",
        "B",
        "0155",
        "Oslo",
    ]
    assert links(hit) == {"self": f"{BASE}/recipients/per.postkasse%231A2B"}
    assert links(root) == {"self": f"{BASE}/recipients/search/per+olav"}


def test_only_published_mailboxes_are_found(registry: SignedClient) -> None:
    root = valid_v8(search(registry, f"{SEARCH}/postkasse"))
    found = {text(hit, "digipost-address") for hit in root.findall(q("recipient"))}
    assert found == {"per.postkasse#1A2B", "postkasse.as#ORG1"}  # not the reserved, not the paper-only
    organisation = next(h for h in root.findall(q("recipient")) if text(h, "organisation-name"))
    assert text(organisation, "organisation-name") == "Postkasse AS"
    assert text(organisation, "firstname") is None


def test_every_word_must_match_name_address_or_place(registry: SignedClient) -> None:
    by_place = valid_v8(search(registry, f"{SEARCH}/postkasse%20oslo"))
    assert len(by_place.findall(q("recipient"))) == 2
    nothing = valid_v8(search(registry, f"{SEARCH}/postkasse%20bergen"))
    assert nothing.findall(q("recipient")) == []


def test_the_self_link_form_with_plus_reads_as_spaces(registry: SignedClient) -> None:
    root = valid_v8(search(registry, f"{SEARCH}/per+olav"))
    assert [text(h, "digipost-address") for h in root.findall(q("recipient"))] == ["per.postkasse#1A2B"]


@pytest.mark.parametrize("signed_as", ["encoded", "decoded"])
def test_a_non_ascii_query_is_accepted_signed_either_way(registry: SignedClient, signed_as: str) -> None:
    add_recipient(registry, generate_fodselsnummer(RNG), "Åse Ødegård", mailbox="aase.odegard#7Q7Q")
    encoded = f"{SEARCH}/%C3%85se%20%C3%98deg%C3%A5rd"
    signed_path = encoded if signed_as == "encoded" else f"{SEARCH}/Åse Ødegård"
    root = valid_v8(search(registry, encoded, signed_path=signed_path))
    assert [text(h, "digipost-address") for h in root.findall(q("recipient"))] == ["aase.odegard#7Q7Q"]


def test_at_most_ten_hits(client: SignedClient) -> None:
    for n in range(12):
        add_recipient(
            client, generate_fodselsnummer(RNG), f"Mange Like {n:02d}", mailbox=f"mange.like#{n:04d}"
        )
    root = valid_v8(search(client, f"{SEARCH}/mange"))
    assert len(root.findall(q("recipient"))) == 10


def test_like_wildcards_match_literally(registry: SignedClient) -> None:
    assert valid_v8(search(registry, f"{SEARCH}/%25")).findall(q("recipient")) == []
    assert valid_v8(search(registry, f"{SEARCH}/_")).findall(q("recipient")) == []


def test_autocomplete_suggests_search_strings_with_search_links(registry: SignedClient) -> None:
    root = valid_v8(search(registry, f"{SUGGEST}/postk"))
    suggestions = {text(s, "search-string"): links(s)["search"] for s in root.findall(q("suggestion"))}
    assert suggestions == {
        "Per Olav Postkasse Oslo": f"{BASE}/recipients/search/Per+Olav+Postkasse+Oslo",
        "Postkasse AS Oslo": f"{BASE}/recipients/search/Postkasse+AS+Oslo",
    }
    assert links(root) == {"self": f"{BASE}/recipients/suggest/postk"}


def test_a_suggestion_link_finds_its_recipient(registry: SignedClient) -> None:
    root = valid_v8(search(registry, f"{SUGGEST}/per"))
    uri = links(root.findall(q("suggestion"))[0])["search"]
    found = valid_v8(search(registry, uri.removeprefix("http://127.0.0.1:8080")))
    assert [text(h, "digipost-address") for h in found.findall(q("recipient"))] == ["per.postkasse#1A2B"]


def test_masking_keeps_the_last_three_digits() -> None:
    assert masked_mobile("+4791234527") == "*****527"
    assert masked_mobile("+46701234567") == "********567"
    assert masked_mobile("12") == "12"


def test_search_needs_a_signature(registry: SignedClient) -> None:
    response = registry.http.get(f"{SEARCH}/per", headers={"X-Digipost-UserId": "100123"})
    assert response.status_code == 400
    assert etree.fromstring(response.content).findtext(q("error-code")) == "MISSING_DATE_HEADER"


@pytest.mark.anyio
async def test_mailbox_search_on_both_backends(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    address = PostalAddress("Åse Ødegård", ("Bjørkeveien 3",), "0370", "Oslo")
    recipients = [
        Recipient(
            uuid.uuid4(),
            parse_party_id(generate_fodselsnummer(RNG)),
            name,
            Capabilities(
                digital_mailbox=True, mailbox_address=mailbox, reserved=reserved, postal_address=address
            ),
        )
        for name, mailbox, reserved in (
            ("Åse Ødegård", "aase#0001", False),
            ("Åse Reservert", "aase#0002", True),
            ("Åse Uten Adresse", None, False),
            ("100% Ekte", "ekte#0003", False),
        )
    ]
    try:
        async with runtime.unit_of_work() as uow:
            await uow.recipients.add_many(recipients, now=runtime.clock.now())
        async with runtime.reader() as uow:
            for terms in (["åse"], ["ÅSE", "oslo"], ["ødegård", "0370"], ["aase#0001"]):
                found = await uow.recipients.search_mailboxes(terms)
                assert [r.capabilities.mailbox_address for r in found] == ["aase#0001"], terms
            assert [r.name for r in await uow.recipients.search_mailboxes(["100%"])] == ["100% Ekte"]
            assert await uow.recipients.search_mailboxes(["0%E"]) == []
    finally:
        await runtime.close()

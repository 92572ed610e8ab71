"""Identification, as a client written from the protocol description sees it."""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from lxml import etree

from postbud.dialects.digipost.person_alias import person_alias
from postbud.domain.identifiers import generate_fodselsnummer, generate_organisasjonsnummer, parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient
from postbud.services.inbox.recipient_keys import encryption_key_for
from postbud.services.runtime import Runtime
from tests.integration.core_helpers import runtime_for
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import (
    MAILBOX_PERSON,
    PAPER_PERSON,
    a_pdf,
    client,
    error_code,
    message,
    text,
)
from tests.integration.digipost_requests import add_recipient, post_xml, valid_v8

__all__ = ["client"]

IDENTIFY = "/digipost/identification"
WITH_KEY = "/digipost/identification/with-encryption-key"
ALIAS_SHAPE = re.compile(r"[a-z]{25}#[A-Z2-7]{4}")
RNG = random.Random(20261124)
MAILBOX_PIN = generate_fodselsnummer(RNG)
RESERVED_PIN = generate_fodselsnummer(RNG)
UNKNOWN_PIN = generate_fodselsnummer(RNG)
ORG_WITH_INBOX = generate_organisasjonsnummer(RNG)


def identification(inner: str, attributes: str = "") -> str:
    return f'<identification xmlns="{V8}"{attributes}>{inner}</identification>'


def identify(
    client: SignedClient, inner: str, attributes: str = "", *, path: str = IDENTIFY
) -> etree._Element:
    response = post_xml(client, path, identification(inner, attributes))
    assert response.status_code == 200, response.text
    return valid_v8(response)


def pin(value: str) -> str:
    return f"<personal-identification-number>{value}</personal-identification-number>"


def result_of(root: etree._Element) -> dict[str, str | None]:
    return {
        name: text(root, name)
        for name in ("result", "digipost-address", "person-alias", "unidentified-reason", "invalid-reason")
    }


@pytest.fixture
def registry(client: SignedClient) -> SignedClient:
    add_recipient(client, MAILBOX_PIN, "Per Postkasse", mailbox="per.postkasse#1A2B", street="Storgata 1B")
    add_recipient(client, RESERVED_PIN, "Rita Reservert", mailbox="rita.reservert#9Z9Z", reserved=True)
    add_recipient(client, ORG_WITH_INBOX, "Bedrift AS", business_inbox=True)
    return client


def test_a_mailbox_owner_is_digipost_with_address(registry: SignedClient) -> None:
    root = identify(registry, pin(MAILBOX_PIN))
    assert result_of(root) == {
        "result": "DIGIPOST",
        "digipost-address": "per.postkasse#1A2B",
        "person-alias": None,
        "unidentified-reason": None,
        "invalid-reason": None,
    }


def test_the_alias_is_given_for_a_mailbox_owner_only_when_asked(registry: SignedClient) -> None:
    root = identify(registry, pin(MAILBOX_PIN), ' include-personalias-for-digipost-user="true"')
    alias = text(root, "person-alias") or ""
    assert text(root, "result") == "DIGIPOST"
    assert ALIAS_SHAPE.fullmatch(alias)
    assert MAILBOX_PIN not in alias


def test_a_known_person_without_mailbox_is_identified_by_a_stable_alias(client: SignedClient) -> None:
    first = identify(client, pin(PAPER_PERSON))
    again = identify(client, pin(PAPER_PERSON))
    alias = text(first, "person-alias") or ""
    assert text(first, "result") == "IDENTIFIED"
    assert ALIAS_SHAPE.fullmatch(alias)
    assert PAPER_PERSON not in alias
    assert text(again, "person-alias") == alias
    assert (
        text(
            identify(client, pin(MAILBOX_PERSON), ' include-personalias-for-digipost-user="1"'),
            "person-alias",
        )
        != alias
    )


def test_the_alias_depends_on_the_installation_secret() -> None:
    party = parse_party_id(PAPER_PERSON)
    assert person_alias(b"one installation", party) != person_alias(b"another installation", party)
    assert person_alias(b"one installation", party) == person_alias(b"one installation", party)


def test_a_reserved_person_is_identified_not_digipost(registry: SignedClient) -> None:
    root = identify(registry, pin(RESERVED_PIN), ' include-personalias-for-digipost-user="true"')
    assert text(root, "result") == "IDENTIFIED"
    assert text(root, "digipost-address") is None
    assert ALIAS_SHAPE.fullmatch(text(root, "person-alias") or "")


def test_an_unknown_person_is_unidentified(client: SignedClient) -> None:
    root = identify(client, pin(UNKNOWN_PIN))
    assert (text(root, "result"), text(root, "unidentified-reason")) == ("UNIDENTIFIED", "NOT_FOUND")


def test_a_bad_check_digit_is_invalid(client: SignedClient) -> None:
    broken = MAILBOX_PERSON[:-1] + str((int(MAILBOX_PERSON[-1]) + 1) % 10)
    root = identify(client, pin(broken))
    assert (text(root, "result"), text(root, "invalid-reason")) == (
        "INVALID",
        "INVALID_PERSONAL_IDENTIFICATION_NUMBER",
    )


def test_organisations(registry: SignedClient) -> None:
    found = identify(registry, f"<organisation-number>{ORG_WITH_INBOX}</organisation-number>")
    assert text(found, "result") == "DIGIPOST"
    assert text(found, "person-alias") is None
    invalid = identify(registry, "<organisation-number>123456789</organisation-number>")
    assert (text(invalid, "result"), text(invalid, "invalid-reason")) == (
        "INVALID",
        "INVALID_ORGANISATION_NUMBER",
    )


def test_by_digipost_address(registry: SignedClient) -> None:
    found = identify(registry, "<digipost-address>Per.Postkasse#1A2B</digipost-address>")
    assert (text(found, "result"), text(found, "digipost-address")) == ("DIGIPOST", "per.postkasse#1A2B")
    missing = identify(registry, "<digipost-address>ingen.her#0000</digipost-address>")
    assert (text(missing, "result"), text(missing, "unidentified-reason")) == ("UNIDENTIFIED", "NOT_FOUND")


def name_and_address(name: str, street: str, postal_code: str) -> str:
    return (
        f"<name-and-address><fullname>{name}</fullname><addressline1>{street}</addressline1>"
        f"<postalcode>{postal_code}</postalcode><city>Oslo</city></name-and-address>"
    )


def test_by_name_and_address(registry: SignedClient) -> None:
    for street in ("Kirkeveien 2", "Kirkeveien 2", "Parkveien 9"):
        add_recipient(registry, generate_fodselsnummer(RNG), "Lise Hansen", street=street, postal_code="0150")

    unique = identify(registry, name_and_address("PER  postkasse", "Storgata 1B", "0155"))
    assert (text(unique, "result"), text(unique, "digipost-address")) == ("DIGIPOST", "per.postkasse#1A2B")
    by_street = identify(registry, name_and_address("Lise Hansen", "Parkveien 9", "0150"))
    assert text(by_street, "result") == "IDENTIFIED"
    ambiguous = identify(registry, name_and_address("Lise Hansen", "Kirkeveien 2", "0150"))
    assert (text(ambiguous, "result"), text(ambiguous, "unidentified-reason")) == (
        "UNIDENTIFIED",
        "MULTIPLE_MATCHES",
    )
    elsewhere = identify(registry, name_and_address("Per Postkasse", "Storgata 1B", "9999"))
    assert text(elsewhere, "unidentified-reason") == "NOT_FOUND"


def test_a_malformed_bank_account_is_invalid_for_an_unknown_reason(client: SignedClient) -> None:
    root = identify(client, "<bank-account-number>12345678901</bank-account-number>")
    assert (text(root, "result"), text(root, "invalid-reason")) == ("INVALID", "UNKNOWN")


def test_a_body_outside_the_schema_is_refused(client: SignedClient) -> None:
    response = post_xml(
        client, IDENTIFY, identification("<personal-identification-number>1</personal-identification-number>")
    )
    assert response.status_code == 400
    assert error_code(response) == "SCHEMA_VALIDATION_ERROR"
    valid_v8(response)


def test_an_unsigned_request_is_refused(client: SignedClient) -> None:
    body = identification(pin(MAILBOX_PERSON)).encode()
    response = client.http.post(IDENTIFY, content=body, headers={"X-Digipost-UserId": "100123"})
    assert response.status_code == 400
    assert error_code(response) == "MISSING_DATE_HEADER"


def public_key(root: etree._Element) -> tuple[str, RSAPublicKey]:
    element = root.find(f"{{{V8}}}encryption-key")
    assert element is not None
    assert element.text is not None
    key = serialization.load_pem_public_key(element.text.encode())
    assert isinstance(key, RSAPublicKey)
    return element.get("key-id") or "", key


def test_with_encryption_key_a_mailbox_owner_gets_one_lasting_key(registry: SignedClient) -> None:
    first = identify(registry, pin(MAILBOX_PIN), path=WITH_KEY)
    assert first.tag == f"{{{V8}}}identification-result-with-encryption-key"
    assert first.findtext(f"{{{V8}}}identification-result/{{{V8}}}result") == "DIGIPOST"
    key_id, key = public_key(first)
    assert re.fullmatch(r"[0-9a-f]{64}", key_id)
    assert key.key_size == 2048
    again_id, again = public_key(
        identify(registry, "<digipost-address>per.postkasse#1A2B</digipost-address>", path=WITH_KEY)
    )
    assert again_id == key_id
    assert again.public_numbers() == key.public_numbers()


def test_with_encryption_key_others_get_no_key(registry: SignedClient) -> None:
    for inner in (pin(PAPER_PERSON), pin(RESERVED_PIN), pin(UNKNOWN_PIN)):
        root = identify(registry, inner, path=WITH_KEY)
        assert root.find(f"{{{V8}}}encryption-key") is None
        assert root.findtext(f"{{{V8}}}identification-result/{{{V8}}}result") != "DIGIPOST"


def test_content_marked_encrypted_that_is_not_is_refused_at_send(client: SignedClient) -> None:
    """Pre-encrypted content is opened (test_digipost_preencryption.py); plain content marked so is not."""
    doc = str(uuid.uuid4())
    xml = message(pin(MAILBOX_PERSON), doc, extra='<encrypted number-of-pages="1"/>')
    response = client.send(xml, {doc: a_pdf()})
    assert response.status_code == 400
    assert error_code(response) == "CONTENT_NOT_ENCRYPTED"
    assert text(etree.fromstring(response.content), "error-type") == "CLIENT_TECHNICAL"


async def _store(runtime: Runtime, *recipients: Recipient) -> None:
    async with runtime.unit_of_work() as uow:
        await uow.recipients.add_many(list(recipients), now=runtime.clock.now())


def _person(name: str, street: str, postal_code: str) -> Recipient:
    address = PostalAddress(name, (street,), postal_code, "Oslo")
    return Recipient(
        uuid.uuid4(), parse_party_id(generate_fodselsnummer(RNG)), name, Capabilities(postal_address=address)
    )


@pytest.mark.anyio
async def test_name_and_postal_code_lookup_on_both_backends(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        await _store(
            runtime, _person("Åse Ødegård", "Bjørkeveien 3", "0370"), _person("Ola Ås", "Ringveien 1", "0370")
        )
        async with runtime.reader() as uow:
            for spelling in ("Åse Ødegård", "åse ødegård", "ÅSE ØDEGÅRD"):
                found = await uow.recipients.by_name_and_postal_code(spelling, "0370")
                assert [r.name for r in found] == ["Åse Ødegård"], spelling
            assert await uow.recipients.by_name_and_postal_code("Åse Ødegård", "0371") == []
    finally:
        await runtime.close()


@pytest.mark.anyio
async def test_concurrent_first_requests_agree_on_one_key(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        recipient = _person("Nøkkel Person", "Gata 1", "0150")
        await _store(runtime, recipient)
        keys = await asyncio.gather(*(encryption_key_for(runtime, recipient.id) for _ in range(4)))
        assert len({k.key_id for k in keys}) == 1
        assert (await encryption_key_for(runtime, recipient.id)).public_key_pem == keys[0].public_key_pem
    finally:
        await runtime.close()

"""Tags (add, remove, get) and user accounts (create or activate) through the Digipost dialect."""

from __future__ import annotations

import random

from lxml import etree

from postbud.domain.identifiers import generate_fodselsnummer, parse_party_id
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import MAILBOX_PERSON, PAPER_PERSON, client, error_code
from tests.integration.digipost_requests import get, post_xml, request, valid_v8

__all__ = ["client"]


def q(name: str) -> str:
    return f"{{{V8}}}{name}"


def tag(person: str) -> str:
    return (
        f'<tag xmlns="{V8}"><public-mailbox-tag><personal-identification-number>{person}'
        "</personal-identification-number></public-mailbox-tag></tag>"
    )


def tags_of(client: SignedClient, person: str) -> list[str | None]:
    root = valid_v8(get(client, "/digipost/tags", f"personal-identification-number={person}"))
    return [t.text for t in root.findall(q("tag-type"))]


def test_a_tag_is_added_read_and_removed(client: SignedClient) -> None:
    assert tags_of(client, MAILBOX_PERSON) == []
    added = request(client, "POST", "/digipost/tags/add", body=tag(MAILBOX_PERSON).encode())
    assert added.status_code == 200
    again = request(client, "POST", "/digipost/tags/add", body=tag(MAILBOX_PERSON).encode())
    assert again.status_code == 200  # and still one tag
    assert tags_of(client, MAILBOX_PERSON) == ["PUBLIC_MAILBOX_TAG"]
    assert tags_of(client, PAPER_PERSON) == []
    request(client, "POST", "/digipost/tags/remove", body=tag(MAILBOX_PERSON).encode())
    assert tags_of(client, MAILBOX_PERSON) == []


def test_a_tag_needs_a_valid_personal_identification_number(client: SignedClient) -> None:
    refused = request(client, "POST", "/digipost/tags/add", body=tag("12345678901").encode())
    assert (refused.status_code, error_code(refused)) == (400, "VALIDATION_FAILED")
    missing = request(client, "GET", "/digipost/tags")
    assert (missing.status_code, error_code(missing)) == (400, "INVALID_QUERY_PARAMETER")


def user_information(person: str, phone: str = "+4791234567", email: str = "ny@example.no") -> str:
    return (
        f'<user-information xmlns="{V8}"><national-identity-number>{person}</national-identity-number>'
        f"<phone-number>{phone}</phone-number><email-address>{email}</email-address></user-information>"
    )


def test_a_new_person_gets_a_mailbox_and_an_encryption_key(client: SignedClient) -> None:
    person = generate_fodselsnummer(random.Random(21))
    response = post_xml(client, "/digipost/user-accounts", user_information(person))
    assert response.status_code == 200, response.text
    account = valid_v8(response)
    address = account.findtext(q("digipost-address"))
    assert address
    key = account.find(q("encryption-key"))
    assert key is not None
    assert key.get("key-id")
    assert "BEGIN PUBLIC KEY" in (key.text or "")
    identified = post_xml(
        client,
        "/digipost/identification",
        f'<identification xmlns="{V8}"><personal-identification-number>{person}'
        "</personal-identification-number></identification>",
    )
    assert etree.fromstring(identified.content).findtext(q("result")) == "DIGIPOST"


def test_a_known_person_is_activated_and_keeps_their_name(client: SignedClient) -> None:
    response = post_xml(client, "/digipost/user-accounts", user_information(PAPER_PERSON))
    assert response.status_code == 200, response.text

    async def stored() -> str:
        runtime = client.runtime_of()
        async with runtime.reader() as uow:
            found = await uow.recipients.by_party_id(parse_party_id(PAPER_PERSON))
        assert found is not None
        assert found.capabilities.digital_mailbox
        assert found.capabilities.mobile == "+4791234567"
        return found.name

    assert client.run(stored) == "Kari Nordmann"


def test_a_bad_phone_number_or_address_is_named(client: SignedClient) -> None:
    person = generate_fodselsnummer(random.Random(22))
    phone = request(
        client, "POST", "/digipost/user-accounts", body=user_information(person, phone="x").encode()
    )
    assert (phone.status_code, error_code(phone)) == (400, "INVALID_PHONE_NUMBER")
    email = request(
        client, "POST", "/digipost/user-accounts", body=user_information(person, email="ikke-epost").encode()
    )
    assert (email.status_code, error_code(email)) == (400, "INVALID_EMAIL_ADDRESS")

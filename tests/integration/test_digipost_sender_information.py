"""Sender information, as a client written from the protocol description sees it."""

from __future__ import annotations

import uuid
from dataclasses import replace

from lxml import etree

from postbud.domain.parties import Sender
from postbud.services.parties.credentials import record_digipost_certificate
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import BROKER, client, error_code, text
from tests.integration.digipost_requests import get, valid_v8

__all__ = ["client"]

INFORMATION = "/digipost/senders/information"
FEATURE = "no.digipost.feature."
BROKER_ORGANISATION = "974760673"


def features(root: etree._Element) -> dict[str, str | None]:
    return {
        f.text or "": f.get("param") for f in root.iterfind(f"{{{V8}}}supported-features/{{{V8}}}feature")
    }


def information(client: SignedClient, path: str = INFORMATION, query: str = "") -> etree._Element:
    response = get(client, path, query)
    assert response.status_code == 200, response.text
    return valid_v8(response)


def test_the_broker_sees_its_own_features(client: SignedClient) -> None:
    root = information(client, f"{INFORMATION}/{BROKER}")
    assert (text(root, "sender-id"), text(root, "status")) == (str(BROKER), "VALID_SENDER")
    max_bytes = client.runtime_of().settings.max_document_bytes
    assert features(root) == {
        FEATURE + "delivery.digipost": None,
        FEATURE + "delivery.digipost-with-print-fallback": None,
        FEATURE + "delivery.direct-to-print": None,
        FEATURE + "batch.masseutsendelse": None,
        FEATURE + "validation.digipost.file-size": str(max_bytes),
    }


def test_by_organisation_number_and_part(client: SignedClient) -> None:
    by_org = information(client, query=f"org_id={BROKER_ORGANISATION}")
    with_part = information(client, query=f"org_id={BROKER_ORGANISATION}&part_id=avdeling%201")
    assert text(by_org, "status") == text(with_part, "status") == "VALID_SENDER"
    assert text(with_part, "sender-id") == str(BROKER)


def test_print_features_follow_the_senders_flags(client: SignedClient) -> None:
    async def forbid_print() -> None:
        runtime = client.runtime_of()
        async with runtime.unit_of_work() as uow:
            sender = await uow.senders.by_digipost_id(BROKER)
            assert sender is not None
            await uow.senders.update(replace(sender, may_print=False, may_direct_print=False))

    client.run(forbid_print)
    names = set(features(information(client, f"{INFORMATION}/{BROKER}")))
    assert FEATURE + "delivery.digipost" in names
    assert (
        not {FEATURE + "delivery.digipost-with-print-fallback", FEATURE + "delivery.direct-to-print"} & names
    )


def test_unknown_and_foreign_senders_give_no_information(client: SignedClient) -> None:
    async def add_other_sender() -> None:
        runtime = client.runtime_of()
        async with runtime.unit_of_work() as uow:
            other = Sender(uuid.uuid4(), "Annen etat", "988077917", digipost_id=200200)
            await uow.senders.add(other, now=runtime.clock.now())
            await record_digipost_certificate(uow, other, runtime)

    client.run(add_other_sender)
    for path, query in (
        (f"{INFORMATION}/999999", ""),
        (f"{INFORMATION}/200200", ""),
        (f"{INFORMATION}/not-a-number", ""),
        (f"{INFORMATION}/%C2%B2", ""),
        (INFORMATION, "org_id=988077917"),
        (INFORMATION, "org_id=000000000"),
    ):
        root = information(client, path, query)
        assert text(root, "status") == "NO_INFO_AVAILABLE", (path, query)
        assert text(root, "sender-id") is None
        assert root.find(f"{{{V8}}}supported-features") is None


def test_the_entrypoint_link_takes_the_sender_id(client: SignedClient) -> None:
    link = next(
        el.get("uri") or ""
        for el in client.entrypoint().iter(f"{{{V8}}}link")
        if (el.get("rel") or "").endswith("/get_sender_information")
    )
    root = information(client, link.removeprefix("http://127.0.0.1:8080") + f"/{BROKER}")
    assert text(root, "status") == "VALID_SENDER"


def test_without_sender_or_organisation_the_query_is_refused(client: SignedClient) -> None:
    response = get(client, INFORMATION)
    assert response.status_code == 400
    assert error_code(response) == "INVALID_QUERY_PARAMETER"
    valid_v8(response)

"""Batches over the Digipost wire, as a client written from the protocol description sees it."""

from __future__ import annotations

import uuid
from typing import Any

from lxml import etree

from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from tests.integration.digipost_client import V8, SignedClient
from tests.integration.digipost_fixtures import MAILBOX_PERSON, PAPER_PERSON, a_pdf, client, error_code, text
from tests.integration.digipost_requests import get, post_xml, request, valid_v8

__all__ = ["client"]

BATCHES = "/digipost/batches"
PRINT_DETAILS = (
    "<print-details><recipient><name>Kari Nordmann</name><norwegian-address>"
    "<addressline1>Storgata 1</addressline1><zip-code>0155</zip-code><city>Oslo</city>"
    "</norwegian-address></recipient><return-address><name>Testkommune</name><norwegian-address>"
    "<zip-code>0150</zip-code><city>Oslo</city></norwegian-address></return-address></print-details>"
)


def links(root: etree._Element) -> dict[str, str]:
    return {
        (link.get("rel") or "").rsplit("/", 1)[1]: link.get("uri") or ""
        for link in root.findall(f"{{{V8}}}link")
    }


def path_of(uri: str) -> str:
    return uri.removeprefix("http://127.0.0.1:8080")


def create(client: SignedClient, batch_uuid: str) -> Any:
    return post_xml(client, BATCHES, f'<batch xmlns="{V8}"><uuid>{batch_uuid}</uuid></batch>')


def bodiless(client: SignedClient, method: str, path: str) -> Any:
    response = request(client, method, path)
    if response.content:
        client.verify(response, path)
    return response


def state(client: SignedClient, batch_uuid: str) -> tuple[str | None, str | None, str | None]:
    root = valid_v8(get(client, f"{BATCHES}/{batch_uuid}"))
    return text(root, "status"), text(root, "count-digipost"), text(root, "count-print")


def send_in_batch(client: SignedClient, batch_uuid: str, recipient_xml: str) -> Any:
    doc = str(uuid.uuid4())
    xml = (
        f'<message xmlns="{V8}"><message-id>{uuid.uuid4()}</message-id><recipient>{recipient_xml}</recipient>'
        f"<primary-document><uuid>{doc}</uuid><subject>Brev</subject><file-type>pdf</file-type>"
        f"</primary-document><batch><uuid>{batch_uuid}</uuid></batch></message>"
    )
    return client.send(xml, {doc: a_pdf()})


def run_jobs(client: SignedClient) -> None:
    async def drain() -> None:
        worker = Worker(client.runtime_of(), core_handlers())
        while await worker.run_once():
            pass

    client.run(drain)


def test_a_new_batch_is_created_with_its_links(client: SignedClient) -> None:
    batch_uuid = str(uuid.uuid4())
    response = create(client, batch_uuid)
    assert response.status_code == 201, response.text
    root = valid_v8(response)
    assert (text(root, "uuid"), text(root, "status")) == (batch_uuid, "CREATED")
    assert (text(root, "count-digipost"), text(root, "count-print")) == ("0", "0")
    self_uri = f"http://127.0.0.1:8080/digipost/batches/{batch_uuid}"
    assert links(root) == {
        "self": self_uri,
        "complete_batch": f"{self_uri}/complete",
        "self_delete": self_uri,
    }


def test_the_entrypoint_get_batch_link_takes_the_uuid(client: SignedClient) -> None:
    batch_uuid = str(uuid.uuid4())
    create(client, batch_uuid)
    get_batch = links(client.entrypoint())["get_batch"]
    assert get_batch.endswith("/")
    response = get(client, path_of(get_batch) + batch_uuid)
    assert response.status_code == 200
    assert text(valid_v8(response), "status") == "CREATED"


def test_a_reused_uuid_is_refused(client: SignedClient) -> None:
    batch_uuid = str(uuid.uuid4())
    create(client, batch_uuid)
    response = create(client, batch_uuid)
    assert response.status_code == 400
    assert error_code(response) == "DUPLICATE_MESSAGE"
    assert text(valid_v8(response), "error-type") == "CLIENT_DATA"


def test_a_batch_body_outside_the_schema_is_refused(client: SignedClient) -> None:
    response = post_xml(client, BATCHES, f'<batch xmlns="{V8}"><uuid>NOT-A-UUID</uuid></batch>')
    assert response.status_code == 400
    assert error_code(response) == "SCHEMA_VALIDATION_ERROR"


def test_letters_wait_for_completion_and_the_batch_reports_its_progress(client: SignedClient) -> None:
    batch_uuid = str(uuid.uuid4())
    create(client, batch_uuid)
    digital = send_in_batch(
        client,
        batch_uuid,
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>",
    )
    printed = send_in_batch(
        client,
        batch_uuid,
        f"<personal-identification-number>{PAPER_PERSON}</personal-identification-number>{PRINT_DETAILS}",
    )
    assert (digital.status_code, printed.status_code) == (201, 201), (digital.text, printed.text)
    assert text(etree.fromstring(digital.content), "status") == "COMPLETE"  # held, not yet delivered
    assert state(client, batch_uuid) == ("NOT_COMMITTED", "1", "1")

    completed = bodiless(client, "POST", f"{BATCHES}/{batch_uuid}/complete")
    assert completed.status_code == 200, completed.text
    assert text(valid_v8(completed), "status") == "COMMITTED"

    run_jobs(client)
    assert state(client, batch_uuid) == ("DONE", "1", "1")


def test_a_completed_batch_cannot_be_completed_cancelled_or_added_to(client: SignedClient) -> None:
    batch_uuid = str(uuid.uuid4())
    create(client, batch_uuid)
    bodiless(client, "POST", f"{BATCHES}/{batch_uuid}/complete")
    assert state(client, batch_uuid) == ("DONE", "0", "0")
    for method, path in (("POST", f"{BATCHES}/{batch_uuid}/complete"), ("DELETE", f"{BATCHES}/{batch_uuid}")):
        response = bodiless(client, method, path)
        assert response.status_code == 409
        assert error_code(response) == "INVALID_TRANSACTION"
    late = send_in_batch(
        client,
        batch_uuid,
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>",
    )
    assert late.status_code == 409
    assert error_code(late) == "INVALID_TRANSACTION"


def test_a_deleted_batch_is_gone_and_its_letters_cancelled(client: SignedClient) -> None:
    batch_uuid = str(uuid.uuid4())
    create(client, batch_uuid)
    sent = send_in_batch(
        client,
        batch_uuid,
        f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>",
    )
    assert sent.status_code == 201

    deleted = bodiless(client, "DELETE", f"{BATCHES}/{batch_uuid}")
    assert deleted.status_code == 204
    assert "x-digipost-signature" in deleted.headers
    gone = get(client, f"{BATCHES}/{batch_uuid}")
    assert gone.status_code == 404
    assert error_code(gone) == "UNKNOWN_BATCH"
    again = bodiless(client, "POST", f"{BATCHES}/{batch_uuid}/complete")
    assert again.status_code == 409
    assert error_code(again) == "INVALID_TRANSACTION"

    async def statuses() -> list[str]:
        async with client.runtime_of().reader() as uow:
            return [s.status.value for s in await uow.shipments.list(limit=10)]

    assert client.run(statuses) == ["cancelled"]


def test_an_unknown_batch(client: SignedClient) -> None:
    unknown = str(uuid.uuid4())
    for method, path in (
        ("GET", f"{BATCHES}/{unknown}"),
        ("POST", f"{BATCHES}/{unknown}/complete"),
        ("DELETE", f"{BATCHES}/{unknown}"),
    ):
        response = bodiless(client, method, path)
        assert response.status_code == 404, method
        assert error_code(response) == "UNKNOWN_BATCH"
    sent = send_in_batch(
        client, unknown, f"<personal-identification-number>{MAILBOX_PERSON}</personal-identification-number>"
    )
    assert sent.status_code == 404
    assert error_code(sent) == "UNKNOWN_BATCH"

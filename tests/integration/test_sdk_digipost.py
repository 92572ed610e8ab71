"""The Digipost SDK against a live Postbud server over real HTTP (uvicorn on a loopback port).

Both clients are exercised: `DigipostClient` (blocking) and `AsyncDigipostClient`.
"""

from __future__ import annotations

import base64
import email
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx2
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from postbud.crypto.keys import (
    KeyLoadError,
    generate_test_key_and_certificate,
    load_certificate,
    load_private_key,
)
from postbud.dialects.digipost.datatypes_xml import parse_datatype_xml
from postbud.dialects.digipost.signing import content_sha256
from postbud.domain.documents import AuthenticationLevel as CoreAuthenticationLevel
from postbud.domain.identifiers import parse_party_id
from postbud.sdk.digipost import (
    Appointment,
    AsyncDigipostClient,
    BatchStatus,
    Channel,
    DeliveryStatus,
    DigipostAddress,
    DigipostApiError,
    DigipostClient,
    DigipostConfig,
    Document,
    DocumentEventType,
    ErrorType,
    IdentificationResultCode,
    InvalidReason,
    InvalidRequestError,
    Invoice,
    InvoicePayment,
    Message,
    MessageStatus,
    NorwegianAddress,
    OrganisationNumber,
    OrganisationOrigin,
    PersonalIdentificationNumber,
    PrintDetails,
    PrintRecipient,
    PrivatePersonOrigin,
    ResponseSignatureError,
    SensitivityLevel,
    ShareDocumentsRequest,
    UnidentifiedReason,
    datatypes,
)
from postbud.services.inbox.open_letter import open_letter
from postbud.services.inbox.sharing import InboxDocument, Upload, find_request, share_documents
from postbud.services.runtime import Runtime
from tests.integration.digipost_fixtures import BROKER, MAILBOX_PERSON, PAPER_PERSON, a_pdf
from tests.integration.sdk_live_server import LiveDigipost, live_digipost
from tests.unit.test_digipost_datatypes import VALID

__all__ = ["live_digipost"]

PRINT_DETAILS = PrintDetails(
    recipient=PrintRecipient("Kari Nordmann", NorwegianAddress("0155", "Oslo", addressline1="Storgata 1")),
    return_address=PrintRecipient("Testkommune", NorwegianAddress("0150", "Oslo")),
)
UNKNOWN_VALID_PERSON = "01010110013"  # right check digits, nobody registered


def letter(recipient: Any = None, **options: Any) -> tuple[Message, dict[uuid.UUID, bytes]]:
    document = Document(**{"subject": "Vedtak om skoleplass", **options})
    message = Message(document, recipient or PersonalIdentificationNumber(MAILBOX_PERSON))
    return message, {document.uuid: a_pdf("Vedtak")}


def sha256_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


# ------------------------------------------------------------------------------------ transports


class RecordingTransport(httpx2.HTTPTransport):
    """The real transport, keeping every request as it went on the wire."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[httpx2.Request] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        self.requests.append(request)
        return super().handle_request(request)


Tamper = Callable[[int, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]


def _flip_a_byte(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
    return status, headers, body.replace(b"DELIVERED", b"DELIVEREE", 1)


def _flip_and_rehash(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
    _, headers, body = _flip_a_byte(status, headers, body)
    return status, {**headers, "x-content-sha256": content_sha256(body)}, body


def _change_status(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
    return 200, headers, body


def _drop_signature(status: int, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
    return status, {k: v for k, v in headers.items() if k != "x-digipost-signature"}, body


def _tampered(response: httpx2.Response, body: bytes, tamper: Tamper) -> httpx2.Response:
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    status, headers, body = tamper(response.status_code, headers, body)
    return httpx2.Response(status, headers=headers, content=body)


class TamperingTransport(httpx2.HTTPTransport):
    """A man in the middle that alters the answer to the send."""

    def __init__(self, tamper: Tamper) -> None:
        super().__init__()
        self.tamper = tamper

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle_request(request)
        if not request.url.path.endswith("/messages"):
            return response
        return _tampered(response, response.read(), self.tamper)


class AsyncTamperingTransport(httpx2.AsyncHTTPTransport):
    def __init__(self, tamper: Tamper) -> None:
        super().__init__()
        self.tamper = tamper

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await super().handle_async_request(request)
        if not request.url.path.endswith("/messages"):
            return response
        return _tampered(response, await response.aread(), self.tamper)


# ------------------------------------------------------------------------------------ sending


def test_send_to_a_mailbox_is_delivered_digitally(live_digipost: LiveDigipost) -> None:
    message, contents = letter(sensitivity_level=SensitivityLevel.SENSITIVE)
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send(message, contents)
    assert (delivery.delivery_method, delivery.status) == (Channel.DIGIPOST, MessageStatus.DELIVERED)
    assert delivery.message_id == message.message_id
    assert delivery.sender_id == BROKER
    primary = delivery.primary_document
    assert primary.uuid == message.primary_document.uuid
    assert primary.subject == "Vedtak om skoleplass"
    assert primary.sensitivity_level is SensitivityLevel.SENSITIVE
    assert primary.content_hash is not None
    assert primary.content_hash.value == sha256_b64(contents[primary.uuid])
    assert primary.content_hash.algorithm == "SHA256"


@pytest.mark.anyio
async def test_async_client_sends_to_a_mailbox(live_digipost: LiveDigipost) -> None:
    message, contents = letter()
    async with AsyncDigipostClient(live_digipost.config()) as client:
        delivery = await client.send(message, contents)
    assert (delivery.delivery_method, delivery.status) == (Channel.DIGIPOST, MessageStatus.DELIVERED)


def test_attachments_and_content_from_files(live_digipost: LiveDigipost, tmp_path: Path) -> None:
    primary, attachment = Document("Vedtak"), Document("Vedlegg", file_type="PDF")
    message = Message(primary, PersonalIdentificationNumber(MAILBOX_PERSON), attachments=(attachment,))
    attachment_file = tmp_path / "vedlegg.pdf"
    attachment_file.write_bytes(a_pdf("Vedlegg"))
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send(message, {primary.uuid: a_pdf(), str(attachment.uuid): attachment_file})
    assert [d.uuid for d in delivery.documents] == [primary.uuid, attachment.uuid]
    assert delivery.attachments[0].file_type == "pdf"
    assert delivery.attachments[0].content_hash is not None
    assert delivery.attachments[0].content_hash.value == sha256_b64(attachment_file.read_bytes())


def test_send_with_print_fallback_prints_for_a_person_without_mailbox(live_digipost: LiveDigipost) -> None:
    message, contents = letter(PersonalIdentificationNumber(PAPER_PERSON))
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send_with_print_fallback(message, PRINT_DETAILS, contents)
    assert (delivery.delivery_method, delivery.status) == (Channel.PRINT, MessageStatus.DELIVERED_TO_PRINT)
    assert delivery.primary_document.subject == message.primary_document.subject


@pytest.mark.anyio
async def test_async_send_with_print_fallback(live_digipost: LiveDigipost) -> None:
    paper, paper_contents = letter(PersonalIdentificationNumber(PAPER_PERSON))
    digital, digital_contents = letter(PersonalIdentificationNumber(MAILBOX_PERSON))
    async with AsyncDigipostClient(live_digipost.config()) as client:
        printed = await client.send_with_print_fallback(paper, PRINT_DETAILS, paper_contents)
        not_needed = await client.send_with_print_fallback(digital, PRINT_DETAILS, digital_contents)
    assert (printed.delivery_method, printed.status) == (Channel.PRINT, MessageStatus.DELIVERED_TO_PRINT)
    assert (not_needed.delivery_method, not_needed.status) == (Channel.DIGIPOST, MessageStatus.DELIVERED)


def test_direct_print_needs_no_recipient_identifier(live_digipost: LiveDigipost) -> None:
    document = Document("Brev")
    message = Message(document, print_details=PRINT_DETAILS)
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send(message, {document.uuid: a_pdf()})
    assert (delivery.delivery_method, delivery.status) == (Channel.PRINT, MessageStatus.DELIVERED_TO_PRINT)


def test_multipart_body_and_headers_are_laid_out_as_the_java_client_does(live_digipost: LiveDigipost) -> None:
    message, contents = letter()
    recorder = RecordingTransport()
    with DigipostClient(live_digipost.config(), transport=recorder) as client:
        client.send(message, contents)
    entrypoint, send = recorder.requests
    assert (entrypoint.method, entrypoint.url.path) == ("GET", "/digipost/")
    assert "x-content-sha256" not in entrypoint.headers
    assert send.headers["x-digipost-userid"] == str(BROKER)
    assert send.headers["mime-version"] == "1.0"
    assert send.headers["accept"] == "application/vnd.digipost-v8+xml"
    assert send.headers["x-content-sha256"] == content_sha256(send.content)
    content_type = send.headers["content-type"]
    assert content_type.startswith("multipart/vnd.digipost-v8+xml; boundary=")
    parsed = email.message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + send.content)
    message_part, document_part = parsed.get_payload()
    assert message_part["Content-Disposition"] == 'attachment; filename="message"'
    assert message_part["Content-Type"] == "application/vnd.digipost-v8+xml; charset=UTF-8"
    assert b"<message-id>" + message.message_id.encode() in message_part.get_payload(decode=True)
    uuid_text = str(message.primary_document.uuid)
    assert document_part["Content-Disposition"] == f'attachment; filename="{uuid_text}"'
    assert document_part["Content-Type"] == "application/pdf"
    assert document_part.get_payload(decode=True) == contents[message.primary_document.uuid]


def test_the_entrypoint_is_fetched_once_and_cached(live_digipost: LiveDigipost) -> None:
    recorder = RecordingTransport()
    with DigipostClient(live_digipost.config(), transport=recorder) as client:
        for _ in range(2):
            client.send(*letter())
    assert [r.url.path for r in recorder.requests] == [
        "/digipost/",
        "/digipost/messages",
        "/digipost/messages",
    ]


# ------------------------------------------------------------------------------------ errors


def test_unknown_recipient_raises_the_servers_error_code(live_digipost: LiveDigipost) -> None:
    message, contents = letter(PersonalIdentificationNumber(PAPER_PERSON))
    with DigipostClient(live_digipost.config()) as client, pytest.raises(DigipostApiError) as raised:
        client.send(message, contents)
    assert raised.value.status == 404
    assert raised.value.error_code == "UNKNOWN_RECIPIENT"
    assert raised.value.error_type is ErrorType.CLIENT_DATA
    assert raised.value.error_message == "The recipient does not have a Digipost account."


@pytest.mark.anyio
async def test_async_unknown_recipient_raises_the_servers_error_code(live_digipost: LiveDigipost) -> None:
    message, contents = letter(PersonalIdentificationNumber(PAPER_PERSON))
    async with AsyncDigipostClient(live_digipost.config()) as client:
        with pytest.raises(DigipostApiError) as raised:
            await client.send(message, contents)
    assert (raised.value.status, raised.value.error_code) == (404, "UNKNOWN_RECIPIENT")


def test_a_key_the_server_does_not_know_is_refused(live_digipost: LiveDigipost) -> None:
    stranger_key, _ = generate_test_key_and_certificate("Noen andre")
    config = DigipostConfig.from_pem(BROKER, stranger_key, base_url=live_digipost.base_url)
    with DigipostClient(config) as client, pytest.raises(DigipostApiError) as raised:
        client.send(*letter())
    assert (raised.value.status, raised.value.error_code) == (403, "INVALID_SIGNATURE")
    assert "===START===" in raised.value.error_message


def test_an_unknown_broker_is_refused(live_digipost: LiveDigipost) -> None:
    config = DigipostConfig.from_pem(999999, live_digipost.key_pem, base_url=live_digipost.base_url)
    with DigipostClient(config) as client, pytest.raises(DigipostApiError) as raised:
        client.send(*letter())
    assert (raised.value.status, raised.value.error_code) == (403, "UNKNOWN_USER_ID")


def test_schema_invalid_messages_never_leave_the_client(live_digipost: LiveDigipost) -> None:
    recorder = RecordingTransport()
    with DigipostClient(live_digipost.config(), transport=recorder) as client:
        with pytest.raises(InvalidRequestError) as invalid:
            client.send(*letter(DigipostAddress("ola.nordmann#1234"), subject="x" * 256))
        message, _ = letter()
        with pytest.raises(InvalidRequestError) as mismatch:
            client.send(message, {uuid.uuid4(): b"%PDF-"})
    assert invalid.value.error_code == "SCHEMA_VALIDATION_ERROR"
    assert "subject" in invalid.value.error_message
    assert mismatch.value.error_code == "DOCUMENTS_AND_FILES_MISMATCH"
    assert len(mismatch.value.problems) == 2
    assert all(r.url.path == "/digipost/" for r in recorder.requests)


# ------------------------------------------------------------------------------------ response verification


@pytest.mark.parametrize(
    ("tamper", "complaint"),
    [
        (_flip_a_byte, "X-Content-SHA256 does not match"),
        (_flip_and_rehash, "X-Digipost-Signature does not verify"),
        (_change_status, "X-Digipost-Signature does not verify"),
        (_drop_signature, "no X-Digipost-Signature"),
    ],
)
def test_a_tampered_response_raises_a_signature_error(
    live_digipost: LiveDigipost, tamper: Tamper, complaint: str
) -> None:
    transport = TamperingTransport(tamper)
    with (
        DigipostClient(live_digipost.config(), transport=transport) as client,
        pytest.raises(ResponseSignatureError) as raised,
    ):
        client.send(*letter())
    assert raised.value.error_code == "SERVER_SIGNATURE_ERROR"
    assert complaint in raised.value.error_message


@pytest.mark.anyio
async def test_async_client_verifies_responses_too(live_digipost: LiveDigipost) -> None:
    transport = AsyncTamperingTransport(_flip_and_rehash)
    async with AsyncDigipostClient(live_digipost.config(), transport=transport) as client:
        with pytest.raises(ResponseSignatureError):
            await client.send(*letter())


def test_a_response_dated_outside_the_clock_skew_is_refused(live_digipost: LiveDigipost) -> None:
    def ten_minutes_ahead() -> datetime:
        return datetime.now(UTC) + timedelta(minutes=10)

    client = DigipostClient(live_digipost.config(clock=ten_minutes_ahead))
    with client, pytest.raises(ResponseSignatureError) as raised:
        client.entrypoint()
    assert "outside the accepted interval" in raised.value.error_message


# ------------------------------------------------------------------------------------ datatypes and keys


@pytest.mark.parametrize("kind", sorted(VALID))
def test_every_datatype_class_is_sent_on_a_document(live_digipost: LiveDigipost, kind: str) -> None:
    datatype = datatypes.DATATYPE_KINDS[kind].model_validate(_fields_of(kind))
    message, contents = letter(data_type=datatype)
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send(message, contents)
    assert delivery.status is MessageStatus.DELIVERED


def _fields_of(kind: str) -> dict[str, Any]:
    """The reference example of ``kind`` as plain field values (the SDK renders it back to XML)."""
    return parse_datatype_xml(VALID[kind].encode()).model_dump(by_alias=False)


def test_invoice_and_appointment_built_in_python(live_digipost: LiveDigipost) -> None:
    invoice = Invoice(
        due_date=datetime(2030, 1, 31, tzinfo=UTC),
        sum=Decimal("1250.50"),
        creditor_account="25931430000",
        kid="1234567890",
    )
    appointment = Appointment(start_time=datetime(2030, 3, 1, 9, 30, tzinfo=UTC), place="Legekontoret")
    with DigipostClient(live_digipost.config()) as client:
        for datatype in (invoice, appointment):
            delivery = client.send(*letter(data_type=datatype))
            assert delivery.status is MessageStatus.DELIVERED


def test_pkcs12_key_store_configuration(live_digipost: LiveDigipost, tmp_path: Path) -> None:
    keystore = pkcs12.serialize_key_and_certificates(
        b"broker",
        load_private_key(live_digipost.key_pem),
        load_certificate(live_digipost.certificate_pem),
        None,
        serialization.BestAvailableEncryption(b"hemmelig"),
    )
    path = tmp_path / "broker.p12"
    path.write_bytes(keystore)
    config = DigipostConfig.from_pkcs12(BROKER, path, "hemmelig", base_url=live_digipost.base_url)
    with DigipostClient(config) as client:
        assert client.send(*letter()).status is MessageStatus.DELIVERED
    with pytest.raises(KeyLoadError):
        DigipostConfig.from_pkcs12(BROKER, keystore, "feil passord")


def test_pem_key_from_a_file(live_digipost: LiveDigipost, tmp_path: Path) -> None:
    path = tmp_path / "broker.pem"
    path.write_bytes(live_digipost.key_pem)
    config = DigipostConfig.from_pem(BROKER, path, base_url=live_digipost.base_url + "/")
    assert config.base_url == live_digipost.base_url
    with DigipostClient(config) as client:
        assert client.send(*letter()).status is MessageStatus.DELIVERED


# ------------------------------------------------------------------------------------ identification


def test_identify_recipients(live_digipost: LiveDigipost) -> None:
    with DigipostClient(live_digipost.config()) as client:
        user = client.identify(PersonalIdentificationNumber(MAILBOX_PERSON), include_person_alias=True)
        paper = client.identify(PersonalIdentificationNumber(PAPER_PERSON))
        unknown = client.identify(PersonalIdentificationNumber(UNKNOWN_VALID_PERSON))
        invalid = client.identify(OrganisationNumber("123456789"))
    assert user.is_digipost_user
    assert user.person_alias
    assert paper.result is IdentificationResultCode.IDENTIFIED
    assert paper.person_alias
    assert (unknown.result, unknown.unidentified_reason) == (
        IdentificationResultCode.UNIDENTIFIED,
        UnidentifiedReason.NOT_FOUND,
    )
    assert (invalid.result, invalid.invalid_reason) == (
        IdentificationResultCode.INVALID,
        InvalidReason.INVALID_ORGANISATION_NUMBER,
    )


@pytest.mark.anyio
async def test_async_identify(live_digipost: LiveDigipost) -> None:
    async with AsyncDigipostClient(live_digipost.config()) as client:
        result = await client.identify(PersonalIdentificationNumber(MAILBOX_PERSON))
    assert result.result is IdentificationResultCode.DIGIPOST


# ------------------------------------------------------------------------------------ status and events


def test_document_status_of_a_delivered_and_a_printed_letter(live_digipost: LiveDigipost) -> None:
    digital, digital_contents = letter()
    paper, paper_contents = letter(PersonalIdentificationNumber(PAPER_PERSON))
    with DigipostClient(live_digipost.config()) as client:
        client.send(digital, digital_contents)
        client.send_with_print_fallback(paper, PRINT_DETAILS, paper_contents)
        delivered = client.document_status(digital.primary_document.uuid)
        printed = client.document_status(str(paper.primary_document.uuid))
    assert delivered.uuid == digital.primary_document.uuid
    assert (delivered.status, delivered.channel) == (DeliveryStatus.DELIVERED, Channel.DIGIPOST)
    assert delivered.sender_id == BROKER
    assert delivered.is_primary_document is True
    assert delivered.content_hash == sha256_b64(digital_contents[digital.primary_document.uuid])
    assert printed.channel is Channel.PRINT


def test_unknown_document_status_is_an_api_error(live_digipost: LiveDigipost) -> None:
    with DigipostClient(live_digipost.config()) as client, pytest.raises(DigipostApiError) as raised:
        client.document_status(uuid.uuid4())
    assert raised.value.status == 404


async def _open_as_recipient(runtime: Runtime, document_uuid: str) -> None:
    async with runtime.reader() as uow:
        sender = await uow.senders.by_digipost_id(BROKER)
        recipient = await uow.recipients.by_party_id(parse_party_id(MAILBOX_PERSON))
        assert sender is not None
        assert recipient is not None
        shipment = await uow.shipments.by_document_external_id(sender.id, document_uuid)
        assert shipment is not None
    await open_letter(runtime, recipient.id, shipment.id, CoreAuthenticationLevel.IDPORTEN_4)


def test_document_events_report_an_opened_letter(live_digipost: LiveDigipost) -> None:
    message, contents = letter()
    start = datetime.now(UTC) - timedelta(minutes=1)
    with DigipostClient(live_digipost.config()) as client:
        client.send(message, contents)
        live_digipost.run(_open_as_recipient, live_digipost.runtime, str(message.primary_document.uuid))
        events = client.document_events(start, datetime.now(UTC) + timedelta(minutes=1), max_results=1000)
        first_page = client.document_events(start, datetime.now(UTC) + timedelta(minutes=1), max_results=1)
    opened = [e for e in events if e.uuid == message.primary_document.uuid]
    assert [e.type for e in opened] == [DocumentEventType.OPENED]
    assert opened[0].created >= start
    assert len(first_page) == 1


@pytest.mark.anyio
async def test_async_status_and_events(live_digipost: LiveDigipost) -> None:
    message, contents = letter()
    async with AsyncDigipostClient(live_digipost.config()) as client:
        await client.send(message, contents)
        status = await client.document_status(message.primary_document.uuid)
        events = await client.document_events(
            datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(hours=1)
        )
    assert status.status is DeliveryStatus.DELIVERED
    assert all(isinstance(event.type, DocumentEventType) for event in events)


# ------------------------------------------------------------------------------------ sharing


@dataclass(frozen=True)
class SharingIds:
    request: uuid.UUID
    recipient: uuid.UUID
    letter_document: uuid.UUID


async def _sharing_ids(runtime: Runtime, request_uuid: str, letter_uuid: str) -> SharingIds:
    async with runtime.reader() as uow:
        sender = await uow.senders.by_digipost_id(BROKER)
        recipient = await uow.recipients.by_party_id(parse_party_id(MAILBOX_PERSON))
        assert sender is not None
        assert recipient is not None
        shipment = await uow.shipments.by_document_external_id(sender.id, letter_uuid)
        assert shipment is not None
    return SharingIds(await find_request(runtime, sender.id, request_uuid), recipient.id, shipment.primary.id)


def test_the_full_sharing_flow(live_digipost: LiveDigipost) -> None:
    request = ShareDocumentsRequest(max_share_duration_seconds=1_209_600, purpose="Vi trenger kontoutskrift")
    request_message, request_contents = letter(data_type=request)
    letter_message, letter_contents = letter(subject="Kontoutskrift mars")
    scan = a_pdf("Skannet kvittering")
    with DigipostClient(live_digipost.config()) as client:
        client.send(request_message, request_contents)
        client.send(letter_message, letter_contents)
        request_uuid = request_message.primary_document.uuid
        before = client.share_documents_request_state(request_uuid)
        assert before.shared_documents == ()
        assert before.stop_sharing_link is None

        ids = live_digipost.run(
            _sharing_ids, live_digipost.runtime, str(request_uuid), str(letter_message.primary_document.uuid)
        )
        items = [InboxDocument(ids.letter_document), Upload(scan, "kvittering.pdf", "application/pdf")]
        live_digipost.run(share_documents, live_digipost.runtime, ids.request, ids.recipient, items)

        state = client.share_documents_request_state(str(request_uuid))
        inbox_letter, upload = state.shared_documents
        assert inbox_letter.subject == "Kontoutskrift mars"
        assert inbox_letter.origin == OrganisationOrigin("974760673", "Testkommune")
        assert isinstance(upload.origin, PrivatePersonOrigin)
        assert state.shared_at_time is not None
        assert state.expiry_time == state.shared_at_time + timedelta(seconds=1_209_600)
        assert (
            client.fetch_shared_document(inbox_letter)
            == letter_contents[letter_message.primary_document.uuid]
        )
        assert client.fetch_shared_document(upload) == scan
        content = client.shared_document_content(upload)
        assert content.content_type == "application/pdf"
        assert content.uri.startswith("http")

        events = client.document_events(
            datetime.now(UTC) - timedelta(minutes=5),
            datetime.now(UTC) + timedelta(minutes=1),
            max_results=1000,
        )
        assert DocumentEventType.SHARE_DOCUMENTS_REQUEST_DOCUMENTS_SHARED in {
            e.type for e in events if e.uuid == request_uuid
        }

        client.stop_sharing(state)
        after = client.share_documents_request_state(request_uuid)
        assert after.shared_documents == ()
        assert after.stop_sharing_link is None
        with pytest.raises(DigipostApiError) as gone:
            client.fetch_shared_document(inbox_letter)
    assert gone.value.error_code == "DOCUMENT_NOT_FOUND"


# ------------------------------------------------------------------------------------ additional data


def test_invoice_payment_added_to_a_sent_invoice(live_digipost: LiveDigipost) -> None:
    invoice = Invoice(
        due_date=datetime(2030, 1, 31, tzinfo=UTC), sum=Decimal("99.90"), creditor_account="25931430000"
    )
    payment = InvoicePayment(
        payment_id="p-1",
        payment_status="PDNG",
        payment_time=datetime.now(UTC),
        debtor_account="12345678903",
        payment_channel="nettbank",
        payment_bank=datatypes.PaymentBank(name="Banken"),
    )
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send(*letter(data_type=invoice))
        assert delivery.primary_document.add_data_link is not None
        client.add_additional_data(delivery.primary_document, payment)


# ------------------------------------------------------------------------------------ batches


def test_batch_lifecycle(live_digipost: LiveDigipost) -> None:
    with DigipostClient(live_digipost.config()) as client:
        batch = client.create_batch()
        assert batch.status is BatchStatus.CREATED
        message, contents = letter()
        held = client.send(Message(message.primary_document, message.recipient, batch=batch.uuid), contents)
        assert held.status is MessageStatus.COMPLETE
        fetched = client.get_batch(batch.uuid)
        assert (fetched.status, fetched.count_digipost) == (BatchStatus.NOT_COMMITTED, 1)
        completed = client.complete_batch(fetched)
        assert completed.status in (BatchStatus.COMMITTED, BatchStatus.DONE)

        cancelled = client.create_batch(uuid.uuid4())
        client.cancel_batch(cancelled)
        with pytest.raises(DigipostApiError) as raised:
            client.send(*_in_batch(cancelled.uuid))
    assert (raised.value.status, raised.value.error_code) == (409, "INVALID_TRANSACTION")


def _in_batch(batch_uuid: uuid.UUID) -> tuple[Message, dict[uuid.UUID, bytes]]:
    message, contents = letter()
    return Message(message.primary_document, message.recipient, batch=batch_uuid), contents


@pytest.mark.anyio
async def test_async_batch_lifecycle(live_digipost: LiveDigipost) -> None:
    async with AsyncDigipostClient(live_digipost.config()) as client:
        batch = await client.create_batch()
        await client.send(*_in_batch(batch.uuid))
        completed = await client.complete_batch(await client.get_batch(str(batch.uuid)))
    assert completed.uuid == batch.uuid
    assert completed.status in (BatchStatus.COMMITTED, BatchStatus.DONE)


# ------------------------------------------------------------------------------------ sender information


def test_sender_information(live_digipost: LiveDigipost) -> None:
    with DigipostClient(live_digipost.config()) as client:
        information = client.sender_information()
    assert information.sender_id == BROKER
    assert information.status.value == "VALID_SENDER"
    assert information.has_feature("no.digipost.feature.delivery.digipost")

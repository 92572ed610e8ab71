"""The SDK's XML both ways, without a server: every optional part of a message renders valid v8,
and every response element the reference describes reads into its typed model."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import xmlschema
from lxml import etree

from postbud.dialects.digipost.signing import http_date
from postbud.sdk.digipost import (
    AuthenticationLevel,
    BatchStatus,
    Channel,
    DigipostAddress,
    Document,
    DocumentEventType,
    EmailDeliveredMetadata,
    EmailNotification,
    EmailNotificationFailedMetadata,
    EmailRecipient,
    ErrorType,
    FailedPeppolMetadata,
    FailedPrintMetadata,
    ForeignAddress,
    HashAlgorithm,
    InvalidRequestError,
    Invoice,
    Message,
    MoveFilesFromPublicSectorMetadata,
    NameAndAddress,
    NondeliverableHandling,
    NorwegianAddress,
    OrganisationOrigin,
    PersonalIdentificationNumber,
    PostmarkedMetadata,
    PrintColors,
    PrintDetails,
    PrintIfUnread,
    PrintInstruction,
    PrintRecipient,
    PrivatePersonOrigin,
    RequestForRegistration,
    RequestForRegistrationExpiredMetadata,
    SenderOrganization,
    SenderStatus,
    SensitivityLevel,
    SmsNotification,
    SmsNotificationFailedMetadata,
    SmsOverrides,
    UnexpectedResponseError,
    xml_in,
    xml_out,
)
from postbud.sdk.digipost.links import Entrypoint, Link
from postbud.sdk.digipost.multipart import multipart_body
from postbud.sdk.digipost.operations import document_events, match_contents

V8 = "http://api.digipost.no/schema/v8"
WHEN = datetime(2030, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
PRINT = PrintDetails(
    recipient=PrintRecipient("Kari Nordmann", ForeignAddress("Main Street 1", country_code="SE")),
    return_address=PrintRecipient("Testkommune", NorwegianAddress("0150", "Oslo", addressline1="Postboks 1")),
    color=PrintColors.COLORS,
    nondeliverable_handling=NondeliverableHandling.SHRED,
    print_instructions=(PrintInstruction("returkonvolutt", "true"),),
)


@pytest.fixture(scope="module")
def independent_schema() -> xmlschema.XMLSchema10:
    """A second, pure-Python validator, so the SDK's output is not only judged by libxml2."""
    from importlib.resources import files

    source = files("postbud.dialects.digipost.schema").joinpath("api_v8.xsd").read_text()
    return xmlschema.XMLSchema10(source)


def full_message() -> Message:
    primary = Document(
        "Faktura",
        file_type="PDF",
        opening_receipt="Bekreft at du har lest",
        sms_notification=SmsNotification(
            at=(WHEN,), after_hours=(2, 24), overrides=SmsOverrides("+4799999999", "Du har post")
        ),
        email_notification=EmailNotification("ola@example.no", "Ny post", "Les den i Digipost", (WHEN,)),
        authentication_level=AuthenticationLevel.TWO_FACTOR,
        sensitivity_level=SensitivityLevel.SENSITIVE,
        data_type=Invoice(due_date=WHEN, sum=Decimal("10.00"), creditor_account="25931430000"),
        technical_types=("a", "b"),
    )
    return Message(
        primary,
        NameAndAddress("Ola Nordmann", "Storgata 1", "0155", "Oslo", birth_date=date(1980, 1, 2)),
        attachments=(Document("Vedlegg", opened=True),),
        sender_organization=SenderOrganization("974760673", "avdeling-1"),
        print_details=PRINT,
        delivery_time=WHEN,
        invoice_reference="faktura-1",
        print_if_unread=PrintIfUnread(WHEN + timedelta(days=7), PRINT),
        request_for_registration=RequestForRegistration(
            WHEN, phone_number="+4799999999", print_details=PRINT
        ),
        batch=uuid.uuid4(),
    )


def test_every_optional_part_of_a_message_renders_valid_v8(independent_schema: xmlschema.XMLSchema10) -> None:
    message = full_message()
    body = xml_out.message_xml(message)
    independent_schema.validate(body.decode())
    root = etree.fromstring(body)
    primary = root.find(f"{{{V8}}}primary-document")
    assert primary is not None
    assert primary.get("technical-type") == "a,b"
    assert primary.findtext(f"{{{V8}}}file-type") == "pdf"
    assert primary.find(f"{{{V8}}}data-type/{{http://api.digipost.no/schema/datatypes}}invoice") is not None
    assert root.findtext(f"{{{V8}}}recipient/{{{V8}}}print-details/{{{V8}}}color") == "COLORS"
    assert root.findtext(f"{{{V8}}}delivery-time") == "2030-05-01T12:00:00+02:00"


def test_recipients_and_identification_render_valid_v8(independent_schema: xmlschema.XMLSchema10) -> None:
    for recipient in (EmailRecipient(("a@example.no", "b@example.no")), DigipostAddress("ola#1234")):
        independent_schema.validate(xml_out.message_xml(Message(Document("x"), recipient)).decode())
    body = xml_out.identification_xml(PersonalIdentificationNumber("15108695088"), include_person_alias=True)
    independent_schema.validate(body.decode())
    assert b'include-personalias-for-digipost-user="true"' in body
    independent_schema.validate(xml_out.batch_xml(uuid.uuid4()).decode())


def test_what_the_schema_forbids_is_refused_before_sending() -> None:
    too_long = Message(Document("x" * 256), PersonalIdentificationNumber("15108695088"))
    with pytest.raises(InvalidRequestError) as raised:
        xml_out.message_xml(too_long)
    assert raised.value.error_code == "SCHEMA_VALIDATION_ERROR"
    assert "/message/primary-document/subject" in raised.value.problems[0]
    naive = Message(
        Document("x"), PersonalIdentificationNumber("15108695088"), delivery_time=datetime(2030, 1, 1)
    )
    with pytest.raises(InvalidRequestError):
        xml_out.message_xml(naive)


def test_models_refuse_impossible_values() -> None:
    with pytest.raises(ValueError, match="11 digits"):
        PersonalIdentificationNumber("1234")
    with pytest.raises(ValueError, match="recipient, print details"):
        Message(Document("x"))
    with pytest.raises(ValueError, match="exactly one of country"):
        ForeignAddress("Main Street 1")
    document = Document("x")
    with pytest.raises(ValueError, match="own uuid"):
        Message(document, DigipostAddress("a#1"), attachments=(document,))


def test_contents_must_match_the_documents_exactly() -> None:
    primary, attachment = Document("a"), Document("b")
    message = Message(primary, DigipostAddress("a#1"), attachments=(attachment,))
    matched = match_contents(message, {str(attachment.uuid): b"2", primary.uuid: b"1"})
    assert [(doc.uuid, content) for doc, content in matched] == [
        (primary.uuid, b"1"),
        (attachment.uuid, b"2"),
    ]
    with pytest.raises(InvalidRequestError) as raised:
        match_contents(message, {primary.uuid: b"1", "not-a-uuid": b"x"})
    assert raised.value.error_code == "DOCUMENTS_AND_FILES_MISMATCH"


def test_multipart_parts_are_named_and_typed_like_the_java_client() -> None:
    document = Document("x", file_type="png")
    body, content_type = multipart_body(b"<message/>", [(document, b"\x89PNG")], boundary="grense")
    assert content_type == "multipart/vnd.digipost-v8+xml; boundary=grense"
    assert body == (
        b'--grense\r\nContent-Disposition: attachment; filename="message"\r\n'
        b"Content-Type: application/vnd.digipost-v8+xml; charset=UTF-8\r\n\r\n<message/>\r\n"
        b'--grense\r\nContent-Disposition: attachment; filename="' + str(document.uuid).encode() + b'"\r\n'
        b"Content-Type: application/png\r\n\r\n\x89PNG\r\n--grense--\r\n"
    )


def test_event_query_times_are_percent_encoded_with_milliseconds() -> None:
    root = Entrypoint(None, (Link("https://x/relations/document_events", "https://api/documents/events"),))
    start = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    call = document_events(root, start, start + timedelta(hours=1), offset=0, max_results=50, sender_id=7)
    assert call.request.url == (
        "https://api/documents/events?from=2024-01-02T03%3A04%3A05.000%2B01%3A00"
        "&to=2024-01-02T04%3A04%3A05.000%2B01%3A00&offset=0&maxResults=50&sender=7"
    )


# ------------------------------------------------------------------------------------ reading


def xml(root: str, body: str = "", attributes: str = "") -> bytes:
    namespaces = f'xmlns="{V8}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    return f"<{root} {namespaces} {attributes}>{body}</{root}>".encode()


def event(metadata: str = "", kind: str = "OPENED") -> str:
    return (
        f'<event uuid="{uuid.UUID(int=1)}" type="{kind}" created="2024-01-02T03:04:05.123+01:00" '
        f'document-created="2024-01-01T00:00:00Z">{metadata}</event>'
    )


def test_document_events_with_every_metadata_type() -> None:
    body = xml(
        "document-events",
        event()
        + event(
            '<metadata xsi:type="email-delivered-metadata" email-address="a@b.no"/>', "EMAIL_MESSAGE_SENT"
        )
        + event(
            '<metadata xsi:type="email-notification-failed-metadata" email-address="a@b.no" '
            'error-code="E1"/>',
            "EMAIL_NOTIFICATION_FAILED",
        )
        + event(
            '<metadata xsi:type="sms-notification-failed-metadata" mobile-number="+47" error-code="S1"/>',
            "SMS_NOTIFICATION_FAILED",
        )
        + event('<metadata xsi:type="failed-print-metadata" error-code="P1"/>', "PRINT_FAILED")
        + event('<metadata xsi:type="failed-peppol-metadata" error-code="X1"/>', "PEPPOL_FAILED")
        + event(
            '<metadata xsi:type="postmarked-metadata" postmarked-date="2024-01-03T00:00:00+01:00"/>',
            "POSTMARKED",
        )
        + event(
            '<metadata xsi:type="request-for-registration-expired-metadata" fallback-channel="PRINT"/>',
            "REQUEST_FOR_REGISTRATION_EXPIRED",
        )
        + event(
            '<metadata xsi:type="move-files-from-public-sector-metadata" opened="true" '
            'delivery-time="2024-01-01T00:00:00Z" subject="Brev" authentication-level="PASSWORD" '
            'sensitivity-level="NORMAL" destination-mailbox="Kommune" destination-mailbox-address="k#1">'
            f'<document uuid="{uuid.UUID(int=2)}" technical-type="t"/><x509Certificate>MII</x509Certificate>'
            "</metadata>",
            "MOVE_FILES_FROM_PUBLIC_SECTOR",
        ),
    )
    events = xml_in.document_events(body)
    assert [e.metadata for e in events][:8] == [
        None,
        EmailDeliveredMetadata("a@b.no"),
        EmailNotificationFailedMetadata("a@b.no", "E1"),
        SmsNotificationFailedMetadata("+47", "S1"),
        FailedPrintMetadata("P1"),
        FailedPeppolMetadata("X1"),
        PostmarkedMetadata(datetime(2024, 1, 3, tzinfo=timezone(timedelta(hours=1)))),
        RequestForRegistrationExpiredMetadata("PRINT"),
    ]
    moved = events.events[8].metadata
    assert isinstance(moved, MoveFilesFromPublicSectorMetadata)
    assert moved.documents[0].uuid == uuid.UUID(int=2)
    assert events.events[0].type is DocumentEventType.OPENED
    assert events.events[0].document_created == datetime(2024, 1, 1, tzinfo=UTC)


def test_document_status_with_attachments() -> None:
    attachment = f'<attachments uuid="{uuid.UUID(int=2)}" status="DELIVERED" is-primary-document="false"/>'
    body = xml(
        "document-status",
        attachment,
        f'uuid="{uuid.UUID(int=1)}" sender-id="5" status="NOT_DELIVERED" created="2024-01-01T00:00:00Z" '
        'read="Y" channel="PRINT" is-primary-document="true" content-hash="abc" '
        'content-hash-algorithm="SHA256"',
    )
    status = xml_in.document_status(body)
    assert (status.read, status.channel, status.content_hash_algorithm) == (
        True,
        Channel.PRINT,
        HashAlgorithm.SHA256,
    )
    assert status.attachments[0].is_primary_document is False


def test_share_state_origins_and_links() -> None:
    link = '<link rel="https://x/relations/get_shared_document_content_stream" uri="https://x/s"/>'
    shared = (
        "<shared-document><delivery-time>2024-01-01T00:00:00Z</delivery-time><subject>A</subject>"
        "<file-type>pdf</file-type><file-size-bytes>12</file-size-bytes>"
        '<origin><organisation organisation-number="974760673" name="K"/></origin>'
        + link
        + "</shared-document>"
        "<shared-document><delivery-time>2024-01-01T00:00:00Z</delivery-time><subject>B</subject>"
        "<file-type>png</file-type><file-size-bytes>1</file-size-bytes>"
        '<origin><private-person name="Ola"/></origin></shared-document>'
    )
    body = xml(
        "share-documents-request-state",
        f"<shared-documents>{shared}</shared-documents><shared-at-time>2024-01-01T00:00:00Z</shared-at-time>"
        '<link rel="https://x/relations/stop_sharing" uri="https://x/stop"/>',
    )
    state = xml_in.share_documents_request_state(body)
    first, second = state.shared_documents
    assert first.origin == OrganisationOrigin("974760673", "K")
    assert second.origin == PrivatePersonOrigin("Ola")
    assert first.content_stream_link is not None
    assert first.content_stream_link.uri == "https://x/s"
    assert state.stop_sharing_link is not None


def test_batch_sender_information_and_errors() -> None:
    batch = xml_in.batch(
        xml("batch", f"<uuid>{uuid.UUID(int=3)}</uuid><status>DONE</status><count-print>2</count-print>")
    )
    assert (batch.status, batch.count_print, batch.count_digipost) == (BatchStatus.DONE, 2, None)
    info = xml_in.sender_information(
        xml(
            "sender-information",
            "<sender-id>5</sender-id><status>VALID_SENDER</status><supported-features>"
            '<feature param="3">no.digipost.feature.validation.print.bleed</feature></supported-features>',
        )
    )
    assert info.status is SenderStatus.VALID_SENDER
    assert info.features[0].param == "3"
    error = xml_in.api_error(
        400,
        xml(
            "error",
            "<error-code>MISSING_SUBJECT</error-code><error-message>m</error-message>"
            "<error-type>CLIENT_DATA</error-type>",
        ),
    )
    assert (error.status, error.error_code, error.error_type) == (
        400,
        "MISSING_SUBJECT",
        ErrorType.CLIENT_DATA,
    )
    assert xml_in.api_error(503, b"").error_code == "API_UNAVAILABLE"
    assert xml_in.api_error(418, b"teapot").error_type is ErrorType.CLIENT_TECHNICAL


def test_unexpected_bodies_are_reported_not_guessed() -> None:
    with pytest.raises(UnexpectedResponseError):
        xml_in.batch(xml("document-status"))
    with pytest.raises(UnexpectedResponseError):
        xml_in.batch(
            b'<!DOCTYPE x [<!ENTITY e "boom">]><batch xmlns="' + V8.encode() + b'"><uuid>&e;</uuid></batch>'
        )
    with pytest.raises(UnexpectedResponseError):
        xml_in.identification_result(xml("identification-result", "<result>MAYBE</result>"))
    assert http_date()  # the shared signing module is importable alongside the SDK


def test_the_sdk_loads_no_server_code() -> None:
    probe = (
        "import sys, postbud.sdk.digipost\n"
        "server = ('starlette', 'sqlalchemy', 'uvicorn', 'postbud.services', 'postbud.storage',"
        " 'postbud.dialects.digipost.app', 'postbud.dialects.digipost.send')\n"
        "print(sorted(m for m in sys.modules if m.startswith(server)))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"

"""The Altinn SDK's own wire work: models to JSON and back, the dotted form of the multipart
initialize, ProblemDetails read into exceptions, and token expiry."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from uuid import UUID

import pytest

from postbud.sdk.altinn import (
    AltinnApiError,
    Correspondence,
    CorrespondenceDetails,
    CorrespondenceStatus,
    InitializeCorrespondenceAttachment,
    InitializeCorrespondenceContent,
    InitializeCorrespondences,
    InitializeCorrespondencesResponse,
    Notification,
    NotificationChannel,
    ReplyOption,
    SandboxToken,
    SearchRole,
    StaticToken,
    token_expiry,
)
from postbud.sdk.altinn.operations import form_fields, initialize_with_attachments, search
from postbud.sdk.altinn.wire import from_json, to_json

ID = UUID("0192a6f5-0000-7000-8000-000000000001")


def _request() -> InitializeCorrespondences:
    return InitializeCorrespondences(
        correspondence=Correspondence(
            resource_id="skd-melding",
            senders_reference="case-1",
            content=InitializeCorrespondenceContent(
                message_title="Vedtak",
                message_body="Se **vedlegg**.",
                attachments=[InitializeCorrespondenceAttachment("vedtak.pdf", "a-1")],
            ),
            due_date_time=datetime(2027, 1, 31, 12, tzinfo=UTC),
            is_confirmation_needed=True,
            property_list={"caseNumber": "123"},
            reply_options=[ReplyOption("https://example.no/svar", "Svar")],
            notification=Notification(NotificationChannel.EMAIL_PREFERRED, send_reminder=True),
        ),
        recipients=["0192:991825827", "15108695088"],
        idempotent_key=ID,
    )


def test_a_request_is_written_in_altinns_camel_case_without_nulls() -> None:
    body = to_json(_request())
    correspondence = body["correspondence"]
    assert correspondence["resourceId"] == "skd-melding"
    assert correspondence["dueDateTime"] == "2027-01-31T12:00:00+00:00"
    assert correspondence["replyOptions"] == [{"linkURL": "https://example.no/svar", "linkText": "Svar"}]
    assert correspondence["notification"] == {
        "notificationChannel": "EmailPreferred",
        "notificationTemplate": "CustomMessage",
        "sendReminder": True,
    }
    assert correspondence["content"]["attachments"] == [{"fileName": "vedtak.pdf", "sendersReference": "a-1"}]
    assert "messageSender" not in correspondence
    assert body["idempotentKey"] == str(ID)
    assert body["existingAttachments"] == []


def test_the_multipart_initialize_is_dotted_as_altinns_form_binding_reads_it() -> None:
    call = initialize_with_attachments(_request(), [])
    fields = dict(call.form or [])
    assert fields["correspondence.resourceId"] == "skd-melding"
    assert fields["correspondence.content.attachments[0].fileName"] == "vedtak.pdf"
    assert fields["correspondence.propertyList.caseNumber"] == "123"
    assert fields["correspondence.replyOptions[0].linkURL"] == "https://example.no/svar"
    assert fields["correspondence.isConfirmationNeeded"] == "true"
    assert fields["recipients[0]"] == "0192:991825827"
    assert fields["recipients[1]"] == "15108695088"
    assert form_fields({"a": [{"b": False}]}) == [("a[0].b", "false")]


def test_search_parameters_are_named_as_the_api_names_them() -> None:
    call = search("skd-melding", role=SearchRole.SENDER)
    assert call.params == {"resourceId": "skd-melding", "role": "Sender"}


def test_answers_are_read_in_any_case_with_enums_by_name_or_number() -> None:
    answer = from_json(
        InitializeCorrespondencesResponse,
        {
            "Correspondences": [
                {"correspondenceId": str(ID), "status": 1, "recipient": "urn:x", "notifications": None}
            ],
            "attachmentIds": [],
            "somethingNew": True,
        },
    )
    assert answer.correspondences[0].status is CorrespondenceStatus.READY_FOR_PUBLISH
    details = from_json(
        CorrespondenceDetails,
        {
            "correspondenceId": str(ID),
            "status": "published",
            "statusHistory": [
                {"status": "Initialized", "statusChanged": "2026-12-04T10:00:00.123456+00:00"},
                {"status": 2, "statusText": "Published"},
            ],
            "propertyList": {"a": "b"},
        },
    )
    assert details.status is CorrespondenceStatus.PUBLISHED
    assert [e.status for e in details.status_history] == [
        CorrespondenceStatus.INITIALIZED,
        CorrespondenceStatus.PUBLISHED,
    ]
    assert details.status_history[0].status_changed == datetime(2026, 12, 4, 10, 0, 0, 123456, tzinfo=UTC)
    with pytest.raises(ValueError, match="status"):
        from_json(CorrespondenceDetails, {"correspondenceId": str(ID), "status": "Lost"})


def test_problem_details_become_an_exception_with_altinns_code() -> None:
    body = {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "Bad Request",
        "status": 400,
        "detail": "Recipients must be unique",
        "code": "CORR-01006",
        "traceId": "00-abc-def-00",
        "errorCode": 1006,
    }
    error = AltinnApiError.from_response(400, {}, json.dumps(body).encode())
    assert (error.status, error.code, error.error_code) == (400, "CORR-01006", 1006)
    assert error.detail == "Recipients must be unique"
    assert str(error) == "400 CORR-01006 Recipients must be unique"
    validation = {"status": 400, "code": "STD-00000", "errors": {"Recipients": ["at most 500"], "x": "odd"}}
    error = AltinnApiError.from_response(400, {}, json.dumps(validation).encode())
    assert error.errors == {"Recipients": ["at most 500"]}
    assert str(error) == "400 STD-00000 Recipients: at most 500"
    bare = AltinnApiError.from_response(400, {}, b'"Invalid notification template"')
    assert bare.detail == "Invalid notification template"
    assert bare.code is None
    empty = AltinnApiError.from_response(401, {"www-authenticate": 'Bearer error="invalid_token"'}, b"")
    assert empty.www_authenticate == 'Bearer error="invalid_token"'
    assert str(empty) == "401"


def test_token_expiry_is_read_from_the_token() -> None:
    payload = base64.urlsafe_b64encode(json.dumps({"exp": 1800000000}).encode()).rstrip(b"=").decode()
    assert token_expiry(f"e30.{payload}.sig") == 1800000000
    assert token_expiry("not a token") is None
    assert StaticToken("abc")() == "abc"


def test_a_sandbox_token_names_exactly_one_party_and_a_scope() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        SandboxToken(scopes=["altinn:correspondence.read"], command=["postbud"])
    with pytest.raises(ValueError, match="scope"):
        SandboxToken(org="974761076", scopes=[], command=["postbud"])


def test_notification_orders_are_read_into_typed_models() -> None:
    sending = {
        "id": str(ID),
        "succeeded": False,
        "recipient": {"emailAddress": None, "organizationNumber": "988077917", "isReserved": None},
        "sendStatus": {"status": "Failed_RecipientNotIdentified", "description": "No contact details"},
    }
    details = from_json(
        CorrespondenceDetails,
        {
            "correspondenceId": str(ID),
            "status": "Published",
            "notifications": [
                {
                    "id": str(ID),
                    "sendersReference": "corr-sak-1",
                    "isReminder": False,
                    "notificationChannel": "Email",
                    "processingStatus": {"status": "Completed", "lastUpdate": "2026-12-04T10:00:00+00:00"},
                    "notificationStatusDetails": {
                        "email": sending,
                        "sms": None,
                        "emails": [sending],
                        "smses": [],
                    },
                }
            ],
        },
    )
    (order,) = details.notifications or []
    assert order.notification_channel == "Email"
    assert order.processing_status is not None
    assert order.processing_status.last_update == datetime(2026, 12, 4, 10, tzinfo=UTC)
    assert order.notification_status_details is not None
    (email,) = order.notification_status_details.emails
    assert email.succeeded is False
    assert email.recipient is not None
    assert email.recipient.organization_number == "988077917"
    assert email.send_status is not None
    assert email.send_status.status == "Failed_RecipientNotIdentified"

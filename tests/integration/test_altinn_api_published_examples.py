"""Altinn's own published requests, as its repository has them, against Postbud with only the base
URL and the tokens changed (reference §16): the Bruno collection's initialize (JSON with PascalCase
keys in places, and the multipart form with lower-case dotted keys and a trailing empty field), and
the k6 use-case test ``case_initialize_correspondence.js``: initialize with a new attachment, poll as
recipient until Published, the attachment's overview as sender, the recipient's byte-identical
download, purge, then 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.integration.altinn_api_fixtures import (
    API,
    ORG_RECIPIENT,
    OWNER,
    PERSON,
    Altinn,
    altinn,
    correspondence,
    problem,
)

__all__ = ["altinn"]


def iso(moment: datetime) -> str:
    """As JavaScript's ``toISOString()``: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def test_the_bruno_collections_json_initialize(altinn: Altinn) -> None:
    now = altinn.runtime.clock.now()
    body: dict[str, Any] = {
        "correspondence": {
            "resourceId": "skd-melding",
            "sendersReference": "1",
            "content": {
                "language": "nb",
                "messageTitle": "Testmelding tittel",
                "messageSummary": "Ett sammendrag for meldingen",
                "messageBody": "Som kan være plain text eller **markdown**",
                "attachments": [],
            },
            "requestedPublishTime": iso(now),
            "dueDateTime": iso(now + timedelta(days=14)),
            "externalReferences": [],
            "propertyList": {"caseNumber": "123", "etc": "can-use-for-anything"},
            "replyOptions": [{"linkURL": "https://digdir-samarbeid.slack.com/", "linkText": "Slack"}],
            "notification": {
                "notificationTemplate": "CustomMessage",
                "notificationChannel": "EmailAndSms",
                "SendReminder": True,
                "EmailSubject": "Test av Correspondence: E-post varsel",
                "ReminderEmailSubject": "Test av Correspondence: E-post påminnelse",
                "SmsBody": "Dette er SMS-en som sendes ut ved varsling",
                "ReminderSmsBody": "Dette er SMS-en som sendes ut ved påminnelse",
                "EmailBody": "Dette er mailteksten som sendes ut",
                "ReminderEmailBody": "Dette er eposten som sendes ut ved påminnelse",
            },
            "IgnoreReservation": False,
            "IsConfirmationNeeded": True,
        },
        "Recipients": [
            f"urn:altinn:organization:identifier-no:{ORG_RECIPIENT}",
            f"urn:altinn:person:identifier-no:{PERSON}",
        ],
        "existingAttachments": [],
    }
    response = altinn.initialize(body)
    assert response.status_code == 200, response.text
    cid = response.json()["correspondences"][0]["correspondenceId"]
    details = altinn.get(f"/correspondence/{cid}/details", altinn.as_org(ORG_RECIPIENT)).json()
    assert details["isConfirmationNeeded"] is True
    assert details["propertyList"] == {"caseNumber": "123", "etc": "can-use-for-anything"}


def test_the_bruno_collections_multipart_initialize(altinn: Altinn) -> None:
    now = altinn.runtime.clock.now()
    fields = {
        "correspondence.resourceid": "skd-melding",
        "correspondence.sendersreference": "1",
        "correspondence.content.language": "nb",
        "correspondence.content.messagetitle": "Testmelding tittel",
        "correspondence.content.messagesummary": "Ett sammendrag for meldingen",
        "correspondence.content.messagebody": "Som kan være plain text eller **markdown**",
        "correspondence.requestedpublishtime": iso(now),
        "correspondence.duedatetime": iso(now + timedelta(days=14)),
        "correspondence.propertylist.casenumber": "123",
        "correspondence.propertylist.etc": "can-use-for-anything",
        "correspondence.replyoptions[0].linkurl": "https://digdir-samarbeid.slack.com/",
        "correspondence.replyoptions[0].linktext": "Slack",
        "correspondence.notification.notificationtemplate": "CustomMessage",
        "correspondence.notification.notificationchannel": "EmailAndSms",
        "correspondence.notification.sendreminder": "true",
        "correspondence.notification.emailsubject": "Test av Correspondence: E-post varsel",
        "correspondence.notification.reminderemailsubject": "Test av Correspondence: E-post påminnelse",
        "correspondence.notification.smsbody": "Dette er SMS-en som sendes ut ved varsling",
        "correspondence.notification.remindersmsbody": "Dette er SMS-en som sendes ut ved påminnelse",
        "correspondence.notification.emailbody": "Dette er mailteksten som sendes ut",
        "correspondence.notification.reminderemailbody": "Dette er eposten som sendes ut ved påminnelse",
        "correspondence.ignorereservation": "false",
        "correspondence.isconfirmationneeded": "true",
        "recipients[0]": f"urn:altinn:organization:identifier-no:{ORG_RECIPIENT}",
        "recipients[1]": f"urn:altinn:person:identifier-no:{PERSON}",
        "correspondence.content.attachments[0].sendersReference": "test-file-1",
        "correspondence.content.attachments[0].filename": "test-file.txt",
        "": "",
    }
    content = b"This is a test file\n"
    files = {"Attachments": ("test-file.txt", content, "text/plain")}
    response = altinn.http.post(
        f"{API}/correspondence/upload", data=fields, files=files, headers=altinn.as_sender()
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert len(answer["correspondences"]) == 2
    (attachment_id,) = answer["attachmentIds"]
    cid = answer["correspondences"][1]["correspondenceId"]
    person = altinn.as_person(PERSON)
    overview = altinn.get(f"/correspondence/{cid}", person).json()
    assert overview["propertyList"] == {"casenumber": "123", "etc": "can-use-for-anything"}
    download = altinn.get(f"/correspondence/{cid}/attachment/{attachment_id}/download", person)
    assert download.content == content


def test_the_k6_use_case_test(altinn: Altinn) -> None:
    attachment = b"Use case attachment\n" * 50
    form = {
        "request.Correspondence.ResourceId": "skd-melding",
        "request.Correspondence.SendersReference": "usecase-1733350000000",
        "request.Correspondence.Content.Language": "nb",
        "request.Correspondence.Content.MessageTitle": "Use case test title",
        "request.Correspondence.Content.MessageSummary": "Use case test summary",
        "request.Correspondence.Content.MessageBody": "Use case test body",
        "request.Correspondence.Content.Attachments[0].FileName": "usecase-attachment.txt",
        "request.Correspondence.Content.Attachments[0].DisplayName": "usecase-attachment.txt",
        "request.Correspondence.Content.Attachments[0].IsEncrypted": "false",
        "request.Correspondence.Content.Attachments[0].SendersReference": "usecase-attachment-1733350000000",
        "request.Correspondence.Content.Attachments[0].DataLocationType": "0",
        "request.Recipients[0]": f"urn:altinn:organization:identifier-no:{ORG_RECIPIENT}",
    }
    files = {"attachments": ("usecase-attachment.txt", attachment, "text/plain")}
    # As its helpers/altinnTokenService.js: one service owner's client for both roles.
    write, read = "altinn:correspondence.write", "altinn:correspondence.read"
    sender = {"Authorization": f"Bearer {altinn.org_token(OWNER, f'{write} altinn:serviceowner')}"}
    recipient = {"Authorization": f"Bearer {altinn.org_token(OWNER, f'{read} altinn:serviceowner')}"}
    # TC01
    response = altinn.http.post(f"{API}/correspondence/upload", data=form, files=files, headers=sender)
    assert response.status_code == 200, response.text
    cid = response.json()["correspondences"][0]["correspondenceId"]
    attachment_id = response.json()["attachmentIds"][0]
    # TC02: the recipient's overview reaches Published (2 or "published")
    overview = altinn.http.get(f"{API}/correspondence/{cid}", headers=recipient)
    assert overview.status_code == 200
    assert overview.json()["status"] in (2, "Published")
    # TC03
    attachment_overview = altinn.http.get(f"{API}/attachment/{attachment_id}", headers=sender)
    assert attachment_overview.status_code == 200
    assert isinstance(attachment_overview.json(), dict)
    # TC04
    download = altinn.http.get(
        f"{API}/correspondence/{cid}/attachment/{attachment_id}/download", headers=recipient
    )
    assert download.status_code == 200
    assert download.content == attachment
    # TC05
    assert altinn.http.delete(f"{API}/correspondence/{cid}/purge", headers=recipient).status_code == 200
    assert altinn.http.get(f"{API}/correspondence/{cid}", headers=recipient).status_code == 404


def test_the_owners_read_token_without_the_service_owner_scope_is_no_recipient(altinn: Altinn) -> None:
    (cid,) = altinn.initialized(correspondence())
    reader = {"Authorization": f"Bearer {altinn.org_token(OWNER, 'altinn:correspondence.read')}"}
    problem(altinn.get(f"/correspondence/{cid}", reader), 401, 4001)

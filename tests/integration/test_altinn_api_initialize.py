"""Initialize (C1) over HTTP through the whole app: to several recipients as one all-or-nothing
request, the wire conventions of §1, and each refused rule with its catalogue code (§4, §9)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.altinn_api_fixtures import (
    API,
    ORG_RECIPIENT,
    OTHER_OWNER,
    OTHER_PERSON,
    OTHER_RESOURCE,
    PERSON,
    RESERVED_PERSON,
    UNREGISTERED_ORG,
    Altinn,
    altinn,
    correspondence,
    letters,
    problem,
    validation,
)

__all__ = ["altinn"]

ORG_URN = f"urn:altinn:organization:identifier-no:{ORG_RECIPIENT}"


def test_one_request_makes_one_correspondence_per_recipient(altinn: Altinn) -> None:
    body = correspondence(f"0192:{ORG_RECIPIENT}", PERSON, f"urn:altinn:person:identifier-no:{OTHER_PERSON}")
    response = altinn.initialize(body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["attachmentIds"] == []
    assert [c["recipient"] for c in answer["correspondences"]] == [
        ORG_URN,
        f"urn:altinn:person:identifier-no:{PERSON}",
        f"urn:altinn:person:identifier-no:{OTHER_PERSON}",
    ]
    assert {c["status"] for c in answer["correspondences"]} == {"ReadyForPublish"}
    assert all(c["notifications"] is None for c in answer["correspondences"])
    ids = [c["correspondenceId"] for c in answer["correspondences"]]
    assert len({uuid.UUID(i) for i in ids}) == 3
    assert letters(altinn) == 3

    overview = altinn.get(f"/correspondence/{ids[0]}", altinn.as_sender()).json()
    assert overview["status"] == "Published"  # published at once: no requestedPublishTime
    assert overview["sender"] == "urn:altinn:organization:identifier-no:974761076"
    assert overview["resourceId"] == "skd-melding"
    assert overview["sendersReference"] == "case-123"
    assert overview["propertyList"] == {"caseNumber": "123"}
    assert overview["replyOptions"] == [{"linkURL": "https://example.no/svar", "linkText": "Svar"}]
    assert overview["notification"] is None  # nulls are written
    assert overview["dueDateTime"] is None
    assert overview["ignoreReservation"] is None  # not given: null, not false
    assert overview["created"].endswith("+00:00")


def test_names_are_case_insensitive_and_enums_are_names_or_numbers(altinn: Altinn) -> None:
    body = {
        "Correspondence": {
            "ResourceId": "urn:altinn:resource:skd-melding",
            "SendersReference": "ref",
            "Content": {"Language": "EN", "MessageTitle": "Title", "MessageBody": "Body"},
            "ExternalReferences": [{"ReferenceValue": "abc", "ReferenceType": 0}],
            "IsConfirmationNeeded": False,
        },
        "Recipients": [ORG_URN],
    }
    ids = altinn.initialized(body)
    overview = altinn.get(f"/correspondence/{ids[0]}", altinn.as_org(ORG_RECIPIENT)).json()
    assert overview["externalReferences"] == [{"referenceValue": "abc", "referenceType": "Generic"}]
    assert overview["content"]["language"] == "en"
    assert overview["resourceId"] == "skd-melding"


def test_501_recipients_are_refused_by_model_validation(altinn: Altinn) -> None:
    errors = validation(altinn.initialize(correspondence(*[f"0192:{ORG_RECIPIENT}"] * 501)))
    assert errors == {"Recipients": ["Recipients can contain at most 500 recipients"]}
    assert letters(altinn) == 0


def test_a_duplicate_recipient_is_1006_in_any_of_its_forms(altinn: Altinn) -> None:
    problem(altinn.initialize(correspondence(f"0192:{ORG_RECIPIENT}", ORG_URN)), 400, 1006)
    assert letters(altinn) == 0


def test_a_bad_national_id_check_digit_is_a_validation_error(altinn: Altinn) -> None:
    errors = validation(altinn.initialize(correspondence(PERSON[:-1] + str((int(PERSON[-1]) + 1) % 10))))
    assert errors == {"Recipients": ["The given Recipient national identity number is not valid"]}


def test_an_idempotent_key_twice_is_409_and_with_two_recipients_1047(altinn: Altinn) -> None:
    key = str(uuid.uuid4())
    body = correspondence() | {"idempotentKey": key}
    first = altinn.initialized(body)
    problem(altinn.initialize(body), 409, 1034)
    assert letters(altinn) == 1
    found = altinn.get(
        "/correspondence", altinn.as_sender(), resourceId="skd-melding", role="Sender", idempotentKey=key
    )
    assert found.json() == {"ids": first}
    two = correspondence(ORG_URN, PERSON) | {"idempotentKey": str(uuid.uuid4())}
    problem(altinn.initialize(two), 400, 1047)
    errors = validation(altinn.initialize(correspondence() | {"idempotentKey": "not-a-guid"}))
    assert errors == {"IdempotentKey": ["The idempotency key must be a valid non-empty GUID"]}


def test_the_resource_decides_the_sender(altinn: Altinn) -> None:
    problem(altinn.initialize(correspondence(resource="no-such-resource")), 400, 1036)
    problem(altinn.initialize(correspondence(resource=OTHER_RESOURCE)), 401, 4001)
    assert altinn.initialized(correspondence(resource=OTHER_RESOURCE), orgnr=OTHER_OWNER)


def test_an_unknown_recipient_is_1029_naming_it(altinn: Altinn) -> None:
    body = problem(altinn.initialize(correspondence(ORG_URN, f"0192:{UNREGISTERED_ORG}")), 404, 1029)
    assert f"urn:altinn:organization:identifier-no:{UNREGISTERED_ORG}" in body["detail"]
    assert letters(altinn) == 0


def test_a_reserved_single_recipient_is_422_unless_reservation_is_ignored(altinn: Altinn) -> None:
    problem(altinn.initialize(correspondence(RESERVED_PERSON)), 422, 1030)
    body = correspondence(RESERVED_PERSON, ignoreReservation=True)
    assert altinn.initialized(body)


@pytest.mark.parametrize(
    ("changes", "number"),
    [
        ({"isConfirmationNeeded": True}, 1016),
        ({"dueDateTime": "2001-01-01T00:00:00+00:00"}, 1008),
        (
            {"requestedPublishTime": "2099-01-02T00:00:00+00:00", "dueDateTime": "2099-01-01T00:00:00+00:00"},
            1009,
        ),
        ({"content": {"messageTitle": "", "messageBody": "b"}}, 1020),
        ({"content": {"messageTitle": "<b>x</b>", "messageBody": "b"}}, 1002),
        ({"content": {"messageTitle": "x" * 256, "messageBody": "b"}}, 1037),
        ({"content": {"messageTitle": "t", "messageSummary": "s" * 256, "messageBody": "b"}}, 1042),
        ({"content": {"messageTitle": "t", "messageBody": "<script>x</script>"}}, 1003),
        ({"content": {"messageTitle": "t", "messageBody": "   "}}, 1021),
        ({"content": {"messageTitle": "t", "messageBody": "b" * 30001}}, 1022),
        ({"content": {"language": "sv", "messageTitle": "t", "messageBody": "b"}}, 1023),
        ({"messageSender": "<i>x</i>"}, 1039),
        ({"replyOptions": [{"linkURL": "http://example.no"}]}, 1035),
        ({"content": None}, 1019),
        ({"isConfidential": True}, 1061),
        (
            {
                "externalReferences": [
                    {"referenceValue": str(uuid.uuid4()), "referenceType": "DialogportenDialogId"}
                ]
            },
            1054,
        ),
    ],
)
def test_each_broken_rule_is_its_catalogue_error_and_nothing_is_written(
    altinn: Altinn, changes: dict[str, Any], number: int
) -> None:
    response = altinn.initialize(correspondence(**changes))
    status = 404 if number == 1054 else 400
    problem(response, status, number)
    assert letters(altinn) == 0


def test_an_existing_attachment_that_is_not_there_is_1007(altinn: Altinn) -> None:
    body = correspondence() | {"existingAttachments": [str(uuid.uuid4())]}
    problem(altinn.initialize(body), 400, 1007)


def test_new_attachments_need_their_files_so_json_cannot_declare_them(altinn: Altinn) -> None:
    content = {
        "messageTitle": "t",
        "messageBody": "b",
        "attachments": [{"fileName": "a.pdf", "sendersReference": "r"}],
    }
    problem(altinn.initialize(correspondence(content=content)), 400, 1005)


def test_malformed_json_and_wrong_types_are_validation_errors(altinn: Altinn) -> None:
    headers = altinn.as_sender() | {"content-type": "application/json"}
    broken = altinn.http.post(f"{API}/correspondence", content=b"{not json", headers=headers)
    assert "$" in validation(broken)
    errors = validation(altinn.initialize(correspondence(isConfirmationNeeded="yes")))
    assert list(errors) == ["Correspondence.IsConfirmationNeeded"]
    errors = validation(altinn.initialize({"recipients": [ORG_URN]}))
    assert errors == {"Correspondence": ["The Correspondence field is required."]}


def test_a_template_name_it_does_not_know_is_a_bare_json_string(altinn: Altinn) -> None:
    body = correspondence(notification={"notificationTemplate": "Nope", "notificationChannel": "Email"})
    response = altinn.initialize(body)
    assert response.status_code == 400
    assert response.json() == "Invalid notification template"


def test_a_custom_message_needs_its_channels_texts(altinn: Altinn) -> None:
    body = correspondence(notification={"notificationTemplate": 0, "notificationChannel": "Sms"})
    problem(altinn.initialize(body), 400, 3004)


def test_only_senders_initialize_and_json_is_refused_at_the_multipart_path(altinn: Altinn) -> None:
    refused = altinn.http.post(
        f"{API}/correspondence", json=correspondence(), headers=altinn.as_org(ORG_RECIPIENT)
    )
    assert refused.status_code == 403
    assert altinn.http.post(f"{API}/correspondence", json=correspondence()).status_code == 401
    wrong = altinn.http.post(
        f"{API}/correspondence/upload", json=correspondence(), headers=altinn.as_sender()
    )
    assert wrong.status_code == 415


def test_an_accept_header_without_json_is_406(altinn: Altinn) -> None:
    headers = altinn.as_sender() | {"accept": "application/xml"}
    response = altinn.http.post(f"{API}/correspondence", json=correspondence(), headers=headers)
    assert response.status_code == 406
    assert response.headers["content-type"].startswith("text/plain")
    assert letters(altinn) == 0

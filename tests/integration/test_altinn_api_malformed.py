"""Malformed and wrongly typed initialize requests, JSON and multipart: each is a 4xx in the dialect's
own format naming the field, never a 5xx, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.altinn_api_fixtures import API, ORG_RECIPIENT, Altinn, altinn, correspondence, letters

__all__ = ["altinn"]

ORG = f"0192:{ORG_RECIPIENT}"


def with_correspondence(**changes: Any) -> dict[str, Any]:
    return correspondence(ORG, **changes)


def with_content(**changes: Any) -> dict[str, Any]:
    return with_correspondence(content={"messageTitle": "t", "messageBody": "b", **changes})


def with_attachment(**changes: Any) -> dict[str, Any]:
    return with_content(attachments=[{"fileName": "a.pdf", "sendersReference": "r", **changes}])


def reference(kind: Any) -> list[dict[str, Any]]:
    return [{"referenceValue": "v", "referenceType": kind}]


BODIES: list[tuple[str, Any]] = [
    ("an array", [1, 2]),
    ("a string", "hello"),
    ("recipients as a string", correspondence() | {"recipients": ORG}),
    ("recipients with a number", correspondence() | {"recipients": [ORG, 5]}),
    ("recipients empty", correspondence() | {"recipients": []}),
    ("recipients with null", correspondence() | {"recipients": [None]}),
    ("correspondence as a list", {"correspondence": [], "recipients": [ORG]}),
    ("content as a string", with_correspondence(content="text")),
    ("title as a number", with_correspondence(content={"messageTitle": 5, "messageBody": "b"})),
    ("attachments as an object", with_content(attachments={})),
    ("propertyList as a list", with_correspondence(propertyList=["a"])),
    ("propertyList with a number", with_correspondence(propertyList={"a": 1})),
    ("propertyList too big", with_correspondence(propertyList={str(i): "v" for i in range(11)})),
    ("reply option without a URL", with_correspondence(replyOptions=[{"linkText": "x"}])),
    ("reply options as strings", with_correspondence(replyOptions=["https://x.no"])),
    ("reference type unknown", with_correspondence(externalReferences=reference("Nope"))),
    ("reference type out of range", with_correspondence(externalReferences=reference(99))),
    ("eleven references", with_correspondence(externalReferences=reference(0) * 11)),
    ("publish time a number", with_correspondence(requestedPublishTime=12345)),
    ("due date not a date", with_correspondence(dueDateTime="tomorrow")),
    ("confirmation as a string", with_correspondence(isConfirmationNeeded="true")),
    ("idempotent key a number", correspondence() | {"idempotentKey": 5}),
    ("existing attachments not GUIDs", correspondence() | {"existingAttachments": ["x"]}),
    ("notification as a string", with_correspondence(notification="email")),
    ("notification without a channel", with_correspondence(notification={"notificationTemplate": 1})),
    ("notification channel unknown", with_correspondence(notification={"notificationChannel": "Pigeon"})),
    ("resource id with a colon", with_correspondence(resourceId="a:b")),
    ("resource id too long", with_correspondence(resourceId="r" * 300)),
    ("senders reference too long", with_correspondence(sendersReference="r" * 4097)),
    ("senders reference missing", with_correspondence(sendersReference=None)),
    ("message sender too long", with_correspondence(messageSender="m" * 256)),
    ("language of three letters", with_content(language="nob")),
    ("checksum in upper case", with_attachment(checksum="A" * 32)),
    ("a huge integer", with_attachment(expirationInDays=10**40)),
]  # fmt: skip


@pytest.mark.parametrize(("what", "body"), BODIES, ids=[what for what, _ in BODIES])
def test_a_malformed_json_request_is_a_4xx_problem(altinn: Altinn, what: str, body: Any) -> None:
    response = altinn.http.post(f"{API}/correspondence", json=body, headers=altinn.as_sender())
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    problem = response.json()
    assert problem.get("errors") or problem.get("errorCode"), problem
    assert letters(altinn) == 0


FORMS: list[tuple[str, dict[str, str]]] = [
    ("no fields", {}),
    ("a bad index", {"recipients[x]": ORG, "correspondence.resourceId": "skd-melding"}),
    ("a boolean that is not one", {"correspondence.isConfirmationNeeded": "maybe", "recipients[0]": ORG}),
    ("an integer that is not one", {"correspondence.content.attachments[0].expirationindays": "x"}),
    ("a key that is only dots", {"...": "x", "recipients[0]": ORG}),
    ("an expiry beyond the calendar", {
        "correspondence.resourceId": "skd-melding", "correspondence.sendersReference": "r",
        "correspondence.content.messageTitle": "t", "correspondence.content.messageBody": "b",
        "correspondence.content.attachments[0].fileName": "a.pdf",
        "correspondence.content.attachments[0].sendersReference": "r",
        "correspondence.content.attachments[0].expirationInDays": "2000000", "recipients[0]": ORG,
    }),
]  # fmt: skip


@pytest.mark.parametrize(("what", "fields"), FORMS, ids=[what for what, _ in FORMS])
def test_a_malformed_form_is_a_4xx_problem(altinn: Altinn, what: str, fields: dict[str, str]) -> None:
    files = {"attachments": ("a.pdf", b"%PDF-1.4", "application/pdf")}
    response = altinn.http.post(
        f"{API}/correspondence/upload", data=fields, files=files, headers=altinn.as_sender()
    )
    assert 400 <= response.status_code < 500, (what, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    assert letters(altinn) == 0


def test_a_broken_multipart_body_is_a_4xx_problem(altinn: Altinn) -> None:
    headers = altinn.as_sender() | {"content-type": "multipart/form-data; boundary=xyz"}
    response = altinn.http.post(f"{API}/correspondence/upload", content=b"--xyz\r\nbroken", headers=headers)
    assert 400 <= response.status_code < 500, response.text


def test_a_shared_attachment_expiring_beyond_the_calendar_is_a_4xx(altinn: Altinn) -> None:
    for days in (2_000_000, 10**40):
        body = {
            "resourceId": "skd-melding",
            "fileName": "a.pdf",
            "sendersReference": "r",
            "expirationInDays": days,
        }
        response = altinn.http.post(f"{API}/attachment", json=body, headers=altinn.as_sender())
        assert response.status_code == 400, response.text
        assert "ExpirationInDays" in response.json()["errors"]

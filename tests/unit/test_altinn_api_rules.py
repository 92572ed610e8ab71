"""The Altinn dialect's pure parts: the status vocabulary and its "highest status" rule (§5.1), the
recipient forms (§3.1), the JSON and form binding conventions (§1, §3), the text rules (§3.3) and the
error catalogue's ProblemDetails (§9)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from postbud.dialects.altinn.errors import CATALOGUE, AltinnError, ValidationProblem, error, from_domain
from postbud.dialects.altinn.http_in import form_tree
from postbud.dialects.altinn.initialize_in import read_initialize
from postbud.dialects.altinn.model import NotificationChannel, Role
from postbud.dialects.altinn.recipients import BAD_NATIONAL_ID, RecipientInvalid, parse_recipient, urn_of
from postbud.dialects.altinn.statuses import CorrespondenceStatus, current, latest, status_history
from postbud.dialects.altinn.text_rules import is_markdown_without_html, is_plain_text
from postbud.dialects.altinn.wire import enum_of, parse_time
from postbud.domain.errors import Conflict, ConflictCode, NotFound, NotPermitted
from postbud.domain.events import EventType, ShipmentEvent

T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)
SHIPMENT = uuid.uuid4()


def event(kind: EventType, minutes: int, **data: Any) -> ShipmentEvent:
    return ShipmentEvent(
        uuid.uuid4(), SHIPMENT, uuid.uuid4(), kind, T0 + timedelta(minutes=minutes), data=data
    )


def names(entries: list[Any]) -> list[str]:
    return [e.status.name for e in entries]


def test_the_current_status_is_the_highest_never_fetched() -> None:
    document = uuid.uuid4()
    attachment = uuid.uuid4()
    events = [
        event(EventType.CREATED, 0),
        event(EventType.ROUTED, 0),
        event(EventType.DELIVERED, 1),
        event(EventType.FETCHED, 2),
        event(EventType.ATTACHMENT_DOWNLOADED, 3, document_id=str(document)),
        event(EventType.OPENED, 4),
        event(EventType.CONFIRMED, 5),
        event(EventType.FETCHED, 6),
    ]
    history = status_history(events, {str(document): attachment})
    assert names(history) == [
        "Initialized",
        "ReadyForPublish",
        "Published",
        "Fetched",
        "AttachmentsDownloaded",
        "Read",
        "Confirmed",
        "Fetched",
    ]
    # As the real service: a download (12) outranks a later confirmation (6).
    assert current(history).status is CorrespondenceStatus.AttachmentsDownloaded
    assert current(history).text == f"Attachment {attachment} has been downloaded"
    assert latest(history).status is CorrespondenceStatus.Fetched
    assert current(status_history(events[:4])).status is CorrespondenceStatus.Published


def test_purges_are_named_by_who_purged() -> None:
    by_recipient = status_history([event(EventType.CREATED, 0), event(EventType.PURGED, 1, by="recipient")])
    by_sender = status_history([event(EventType.CREATED, 0), event(EventType.PURGED, 1, by="sender")])
    assert current(by_recipient).status is CorrespondenceStatus.PurgedByRecipient
    assert current(by_sender).status is CorrespondenceStatus.PurgedByAltinn
    failed = status_history(
        [event(EventType.CREATED, 0), event(EventType.NOT_DELIVERED, 1, reason="reserved")]
    )
    assert (current(failed).status, current(failed).text) == (CorrespondenceStatus.Failed, "reserved")


@pytest.mark.parametrize(
    ("raw", "urn"),
    [
        ("0192:988077917", "urn:altinn:organization:identifier-no:988077917"),
        (
            "urn:altinn:organization:identifier-no:988077917",
            "urn:altinn:organization:identifier-no:988077917",
        ),
        (
            "URN:ALTINN:ORGANIZATION:IDENTIFIER-NO:988077917",
            "urn:altinn:organization:identifier-no:988077917",
        ),
        ("15108695088", "urn:altinn:person:identifier-no:15108695088"),
        ("urn:altinn:person:identifier-no:15108695088", "urn:altinn:person:identifier-no:15108695088"),
        (
            "urn:altinn:person:idporten-email:Kari@Example.no",
            "urn:altinn:person:idporten-email:kari@example.no",
        ),
        ("urn:altinn:person:legacy-selfidentified:kari", "urn:altinn:person:legacy-selfidentified:kari"),
    ],
)
def test_recipient_forms_are_normalised_to_lower_case_urns(raw: str, urn: str) -> None:
    assert parse_recipient(raw).urn == urn


@pytest.mark.parametrize(
    "raw", ["988077917", "0192:98807791", "15108695089", "urn:altinn:person:idporten-email:a:b@c"]
)
def test_forms_the_validator_refuses(raw: str) -> None:
    with pytest.raises(RecipientInvalid):
        parse_recipient(raw)
    with pytest.raises(RecipientInvalid, match=BAD_NATIONAL_ID):
        parse_recipient("15108695089")


def test_a_core_party_is_written_back_as_its_urn() -> None:
    assert urn_of("no-org:988077917") == "urn:altinn:organization:identifier-no:988077917"
    assert urn_of("no-person:15108695088") == "urn:altinn:person:identifier-no:15108695088"
    assert urn_of(None) is None


def test_enums_bind_by_name_in_any_case_or_by_number() -> None:
    assert enum_of(NotificationChannel, "emailpreferred") is NotificationChannel.EmailPreferred
    assert enum_of(NotificationChannel, 4) is NotificationChannel.EmailAndSms
    assert enum_of(NotificationChannel, "4") is NotificationChannel.EmailAndSms
    assert enum_of(Role, "RecipientAndSender") is Role.RecipientAndSender
    assert enum_of(Role, 7) is None
    assert enum_of(Role, True) is None
    assert enum_of(Role, "Nobody") is None


def test_times_keep_their_offset_and_default_to_utc() -> None:
    assert parse_time("2026-05-16T09:55:28+02:00") == datetime(2026, 5, 16, 7, 55, 28, tzinfo=UTC)
    assert parse_time("2026-05-16T09:55:28Z") == datetime(2026, 5, 16, 9, 55, 28, tzinfo=UTC)
    assert parse_time("2026-05-16T09:55:28") == datetime(2026, 5, 16, 9, 55, 28, tzinfo=UTC)
    assert parse_time("yesterday") is None


def test_a_form_is_the_same_tree_as_the_json() -> None:
    built = form_tree(
        [
            ("request.Correspondence.ResourceId", "r"),
            ("correspondence.content.attachments[1].fileName", "b.pdf"),
            ("correspondence.content.attachments[0].fileName", "a.pdf"),
            ("correspondence.content.attachments[0].isEncrypted", "TRUE"),
            ("correspondence.content.attachments[0].expirationInDays", "30"),
            ("correspondence.propertyList.CaseNumber", "42"),
            ("Recipients[1]", "y"),
            ("recipients[0]", "x"),
            ("correspondence.messageSender", ""),
        ]
    )
    assert built["recipients"] == ["x", "y"]
    content = built["correspondence"]["content"]
    assert [a["filename"] for a in content["attachments"]] == ["a.pdf", "b.pdf"]
    assert content["attachments"][0]["isencrypted"] is True
    assert content["attachments"][0]["expirationindays"] == 30
    assert built["correspondence"]["propertylist"] == {"CaseNumber": "42"}
    assert built["correspondence"]["messagesender"] is None
    assert built["correspondence"]["resourceid"] == "r"


def test_model_binding_names_every_broken_field_by_its_aspnet_key() -> None:
    body = {
        "correspondence": {"content": {"language": "nob", "attachments": [{"checksum": "ABC"}]}},
        "recipients": ["0192:988077917", 7],
        "idempotentKey": "00000000-0000-0000-0000-000000000000",
    }
    with pytest.raises(ValidationProblem) as raised:
        read_initialize(body)
    fields = {i.field for i in raised.value.invalid}
    assert fields == {
        "Recipients",
        "IdempotentKey",
        "Correspondence.ResourceId",
        "Correspondence.SendersReference",
        "Correspondence.Content.Language",
        "Correspondence.Content.Attachments[0].Checksum",
        "Correspondence.Content.Attachments[0].SendersReference",
    }
    document = json.loads(bytes(raised.value.response().body))
    assert document["errors"]["Correspondence.Content.Language"] == [
        "The ISO6391 field must be exactly 2 characters long!"
    ]
    assert document["validationErrors"][0]["code"] == "CORR.VLD-00000"
    assert document["title"] == "Bad Request"


def test_plain_text_and_markdown_rules() -> None:
    assert is_plain_text("Vedtak om skatt 2025")
    assert not is_plain_text("<b>Vedtak</b>")
    assert not is_plain_text("**Vedtak**")
    assert not is_plain_text("# Vedtak")
    assert not is_plain_text("[lenke](https://example.no)")
    assert is_plain_text("snake_case_name and 2 * 3 = 6")
    assert is_markdown_without_html("# Tittel\n\nSe **vedlegg** og [lenke](https://x.no).")
    assert is_markdown_without_html("Kode: `<b>` er lov i kode")
    assert not is_markdown_without_html("Hei <script>alert(1)</script>")


def test_every_catalogue_error_is_problem_details_with_its_code() -> None:
    for number in CATALOGUE:
        exc = error(number, "x")
        document = json.loads(bytes(exc.response().body))
        assert document["code"] == f"CORR-{number:05d}"
        assert document["errorCode"] == number
        assert document["status"] == exc.status
        assert document["type"].startswith("https://tools.ietf.org/html/rfc")
        assert document["detail"]
    assert error(1029, "a, b").detail == "Could not find partyId for the following recipients: a, b"
    assert (error(1034).status, error(1030, "x").status, error(4001).status) == (409, 422, 401)


def test_core_errors_map_onto_the_catalogue() -> None:
    def number(exc: Exception) -> int:
        mapped = from_domain(exc)  # type: ignore[arg-type]
        assert isinstance(mapped, AltinnError)
        return mapped.number

    assert number(NotFound("attachment", "x")) == 2001
    assert number(NotFound("shipment", "x")) == 1001
    assert number(NotPermitted("no")) == 4001
    assert number(Conflict("idempotency_key", "again", ConflictCode.DUPLICATE)) == 1034
    assert number(Conflict("letter", "twice", ConflictCode.ALREADY_DONE)) == 1014

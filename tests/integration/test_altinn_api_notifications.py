"""A correspondence's notification (§3.5, §7) through the core's notice plans: the channel its choice
and the recipient's contact details give, MissingContact without any, a reminder seven days later
while unread (the sandbox clock moves it), and the outcomes in overview and details."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    PERSON,
    Altinn,
    altinn,
    correspondence,
)

__all__ = ["altinn"]


def published(world: Altinn, body: dict[str, Any]) -> list[str]:
    """Initialize with a publish time an hour ahead, then move the clock and run the publish jobs."""
    at = world.runtime.clock.now() + timedelta(hours=1)
    body["correspondence"]["requestedPublishTime"] = at.astimezone(UTC).isoformat()
    ids = world.initialized(body)
    world.advance(timedelta(hours=1, minutes=1))
    world.work()
    return ids


def notifications(world: Altinn, cid: str) -> list[dict[str, Any]]:
    details = world.get(f"/correspondence/{cid}/details", world.as_sender())
    assert details.status_code == 200, details.text
    found: list[dict[str, Any]] = details.json()["notifications"]
    return found


def test_a_generic_notice_goes_by_e_mail_and_a_reminder_follows_while_unread(altinn: Altinn) -> None:
    notification = {
        "notificationTemplate": "GenericAltinnMessage",
        "notificationChannel": 2,
        "sendReminder": True,
    }
    org_letter, silent_letter = published(
        altinn,
        correspondence(f"0192:{ORG_RECIPIENT}", f"0192:{OTHER_ORG_RECIPIENT}", notification=notification),
    )
    (sent,) = notifications(altinn, org_letter)
    assert sent["notificationChannel"] == "EmailPreferred"
    assert sent["isReminder"] is False
    assert sent["sendersReference"] == "corr-case-123"
    assert sent["resourceId"] == "skd-melding"
    email = sent["notificationStatusDetails"]["email"]
    assert email["succeeded"] is True
    assert email["recipient"]["emailAddress"] == "post@bedrift.example"
    assert email["recipient"]["organizationNumber"] == ORG_RECIPIENT
    assert sent["notificationStatusDetails"]["sms"] is None
    overview = altinn.get(f"/correspondence/{org_letter}", altinn.as_sender()).json()
    assert overview["notifications"] == [{"notificationOrderId": sent["id"], "isReminder": False}]

    (missing,) = notifications(altinn, silent_letter)
    assert missing["notificationStatusDetails"]["emails"][0]["succeeded"] is False
    assert (
        missing["notificationStatusDetails"]["emails"][0]["sendStatus"]["status"]
        == "Failed_RecipientNotIdentified"
    )

    altinn.advance(timedelta(days=8))  # seven days on, moved into the SMS hours (09–20 Oslo)
    altinn.work()
    reminders = [n for n in notifications(altinn, org_letter) if n["isReminder"]]
    assert len(reminders) == 1
    assert reminders[0]["notificationStatusDetails"]["emails"][0]["succeeded"] is True


def test_a_correspondence_published_at_once_is_notified_too(altinn: Altinn) -> None:
    notification = {"notificationTemplate": "GenericAltinnMessage", "notificationChannel": "Email"}
    (letter,) = altinn.initialized(correspondence(f"0192:{ORG_RECIPIENT}", notification=notification))
    altinn.work()
    (sent,) = notifications(altinn, letter)
    assert sent["isReminder"] is False
    assert sent["notificationStatusDetails"]["email"]["succeeded"] is True
    assert sent["notificationStatusDetails"]["email"]["recipient"]["emailAddress"] == "post@bedrift.example"


def test_no_reminder_once_read(altinn: Altinn) -> None:
    notification = {
        "notificationTemplate": "CustomMessage",
        "notificationChannel": "Sms",
        "smsBody": "Ny melding fra $sendersName$",
        "sendReminder": True,
        "reminderSmsBody": "Husk meldingen",
    }
    (cid,) = published(altinn, correspondence(PERSON, notification=notification))
    (sent,) = notifications(altinn, cid)
    assert sent["notificationChannel"] == "Sms"
    assert sent["notificationStatusDetails"]["sms"]["recipient"]["mobileNumber"] == "+4791234567"
    assert sent["notificationStatusDetails"]["sms"]["recipient"]["nationalIdentityNumber"] == PERSON
    person = altinn.as_person(PERSON)
    altinn.get(f"/correspondence/{cid}", person)
    altinn.post(f"/correspondence/{cid}/markasread", person)
    altinn.advance(timedelta(days=8))  # seven days on, moved into the SMS hours (09–20 Oslo)
    altinn.work()
    assert [n["isReminder"] for n in notifications(altinn, cid)] == [False]


def test_the_condition_endpoints_say_whether_to_notify(altinn: Altinn) -> None:
    scope = "altinn:system/notifications.condition.check"
    checker = {"Authorization": f"Bearer {altinn.org_token(OTHER_ORG_RECIPIENT, scope)}"}
    (cid,) = published(altinn, correspondence(PERSON))

    def check(path: str) -> Any:
        response = altinn.get(f"/correspondence/{cid}/notification/{path}", checker)
        assert response.status_code == 200, response.text
        return response.json()["sendNotification"]

    assert (check("check/main"), check("check")) == (True, True)
    person = altinn.as_person(PERSON)
    altinn.get(f"/correspondence/{cid}", person)
    altinn.post(f"/correspondence/{cid}/markasread", person)
    assert (check("check/main"), check("check")) == (True, False)  # no reminder once read
    altinn.delete(f"/correspondence/{cid}/purge", person)
    assert (check("check/main"), check("check")) == (False, False)
    refused = altinn.get(f"/correspondence/{cid}/notification/check", altinn.as_sender())
    assert refused.status_code == 403

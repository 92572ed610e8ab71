"""A notification's custom recipients (§3.5, §7) on SQLite and PostgreSQL, over a real SMTP server:
told besides the recipient (or instead of it, with ``overrideRegisteredContactInformation``), by an
address of their own or an organisation's registered one, shown in details; each broken rule its
catalogue code in the real service's order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from postbud.app import create_app
from postbud.config import Settings
from tests.integration.altinn_api_fixtures import (
    ORG_RECIPIENT,
    OTHER_ORG_RECIPIENT,
    Altinn,
    _prepare,
    correspondence,
    letters,
    problem,
)
from tests.integration.test_channels import SmtpInbox, smtp

__all__ = ["smtp"]

EXTRA = "regnskap@bedrift.example"


@pytest.fixture
def world(tmp_path: Path, database_url: str, smtp: SmtpInbox) -> Iterator[Altinn]:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0, smtp_url=smtp.url)
    with TestClient(create_app(settings)) as http:
        found = Altinn(http)
        found.run(_prepare, found.runtime)
        yield found


def notified(*recipients: str, **notification: Any) -> dict[str, Any]:
    texts = {"emailSubject": "Ny melding", "emailBody": "Du har fått en melding fra $sendersName$."}
    return correspondence(*recipients, notification={"notificationChannel": "Email", **texts, **notification})


def sent_to(smtp: SmtpInbox) -> list[str]:
    return sorted(str(m["To"]) for m in smtp.messages)


def test_custom_recipients_are_told_besides_the_recipient(world: Altinn, smtp: SmtpInbox) -> None:
    body = notified(f"0192:{ORG_RECIPIENT}", customRecipients=[{"EmailAddress": EXTRA}])
    (cid,) = world.initialized(body)
    world.work()
    assert sent_to(smtp) == ["post@bedrift.example", EXTRA]
    details = world.get(f"/correspondence/{cid}/details", world.as_sender()).json()
    told = {
        n["notificationStatusDetails"]["email"]["recipient"]["emailAddress"]: n["notificationStatusDetails"][
            "email"
        ]
        for n in details["notifications"]
    }
    assert told[EXTRA]["recipient"]["organizationNumber"] is None
    assert told["post@bedrift.example"]["recipient"]["organizationNumber"] == ORG_RECIPIENT
    assert all(t["succeeded"] for t in told.values())


def test_an_override_tells_only_the_custom_recipients(world: Altinn, smtp: SmtpInbox) -> None:
    body = notified(
        f"0192:{ORG_RECIPIENT}",
        customRecipient={"emailAddress": EXTRA},  # the deprecated single form
        overrideRegisteredContactInformation=True,
    )
    world.initialized(body)
    world.work()
    assert sent_to(smtp) == [EXTRA]


def test_an_organisation_as_custom_recipient_is_told_at_its_registered_address(
    world: Altinn, smtp: SmtpInbox
) -> None:
    body = notified(
        f"0192:{OTHER_ORG_RECIPIENT}",  # has no e-mail address of its own: MissingContact
        customNotificationRecipients=[{"recipients": [{"organizationNumber": ORG_RECIPIENT}]}],
    )
    world.initialized(body)
    world.work()
    assert sent_to(smtp) == ["post@bedrift.example"]


@pytest.mark.parametrize(
    ("changes", "recipients", "number"),
    [
        ({"overrideRegisteredContactInformation": True}, 1, 3022),
        ({"customRecipients": [{"emailAddress": EXTRA}]}, 2, 3017),
        ({"customRecipients": [{}]}, 1, 3019),
        ({"customRecipients": [{"emailAddress": EXTRA, "mobileNumber": "+4791234567"}]}, 1, 3018),
        (
            {"customRecipients": [{"emailAddress": EXTRA}], "emailBody": "Hei $recipientName$"},
            1,
            3015,
        ),
        ({"customRecipients": [{"emailAddress": "ikke en adresse"}]}, 1, 3011),
        ({"customRecipients": [{"emailAddress": "a@b.example;c@d.example"}]}, 1, 3011),
        ({"customRecipients": [{"mobileNumber": "91234567"}]}, 1, 3012),
        ({"customRecipients": [{"mobileNumber": "+47123"}]}, 1, 3012),
    ],
)
def test_custom_recipient_refusals(
    world: Altinn, changes: dict[str, Any], recipients: int, number: int
) -> None:
    parties = [f"0192:{ORG_RECIPIENT}", f"0192:{OTHER_ORG_RECIPIENT}"][:recipients]
    problem(world.initialize(notified(*parties, **changes)), 400, number)
    assert letters(world) == 0


def test_a_valid_mobile_number_as_custom_recipient_is_accepted(world: Altinn) -> None:
    body = notified(f"0192:{ORG_RECIPIENT}", customRecipients=[{"mobileNumber": "004791234567"}])
    assert world.initialize(body).status_code == 200

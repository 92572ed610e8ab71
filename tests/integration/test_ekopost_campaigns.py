"""Campaign and envelope life cycles over HTTP on SQLite and PostgreSQL: listing with the seed's
filters and defaults (newest first), states and their times, the output date holding a closed
campaign's envelopes, cancelling an opened or a closed campaign, and cancelling an envelope."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from postbud.domain.status import ShipmentStatus
from postbud.services.sandbox.clock import advance_clock
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITH_MAILBOX,
    Ekopost,
    content_body,
    ekopost,
    letter_pdf,
)

__all__ = ["ekopost"]
FUTURE = "2099-01-01 08:00:00"


def _closed_envelope(ekopost: Ekopost, campaign_id: str, **fields: object) -> str:
    envelope = ekopost.envelope(campaign_id, **fields)
    path = f"/campaigns/{campaign_id}/envelopes/{envelope['id']}"
    assert ekopost.post(path + "/content", content_body(letter_pdf())).status_code == 200
    assert ekopost.post(path + "/close").status_code == 200
    return str(envelope["id"])


def test_campaigns_are_listed_newest_first_by_today_name_and_state(ekopost: Ekopost) -> None:
    first = ekopost.campaign(name="Januari")
    time.sleep(0.01)
    second = ekopost.campaign(name="Februari")
    ekopost.post(f"/campaigns/{second['id']}/cancel", {})
    listed = ekopost.get("/campaigns").json()  # default: created today
    assert [c["id"] for c in listed] == [second["id"], first["id"]]
    assert [c["id"] for c in ekopost.get("/campaigns", params={"name": "Januari"}).json()] == [first["id"]]
    cancelled = ekopost.get("/campaigns", params={"state": "cancelled"}).json()
    assert [c["id"] for c in cancelled] == [second["id"]]
    assert ekopost.get("/campaigns", params={"start": "2020-01-01", "stop": "2020-02-01"}).json() == []
    assert ekopost.get("/campaigns", key=ekopost.other_api_key).json() == []
    got = ekopost.get(f"/campaigns/{first['id']}").json()
    assert got == first


def test_a_closed_campaign_holds_its_envelopes_until_its_output_date(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign(output_date=FUTURE)
    envelope_id = _closed_envelope(ekopost, campaign["id"])
    closed = ekopost.post(f"/campaigns/{campaign['id']}/close", [])
    assert closed.json()["state"] == "closed"
    assert closed.json()["output_date"] == "2099-01-01T08:00:00"
    assert closed.json()["state_changed_at"] >= campaign["state_changed_at"]
    envelope = ekopost.get(f"/campaigns/{campaign['id']}/envelopes/{envelope_id}").json()
    assert envelope["state"] == "closed"
    assert envelope["transaction"] == {"state": "closed", "state_changed_at": envelope["state_changed_at"]}


def test_a_closed_campaign_is_cancelled_until_its_output_date_releases_it(ekopost: Ekopost) -> None:
    held = ekopost.campaign(output_date=FUTURE)
    held_envelope = _closed_envelope(ekopost, held["id"])
    assert ekopost.post(f"/campaigns/{held['id']}/close").status_code == 200
    cancelled = ekopost.post(f"/campaigns/{held['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["state"] == "cancelled"
    envelope = ekopost.get(f"/campaigns/{held['id']}/envelopes/{held_envelope}").json()
    assert envelope["state"] == "cancelled"
    released = ekopost.campaign(output_date="2026-01-01")
    address = {"$type": "einbox", "recipient": NO_PERSON_WITH_MAILBOX}
    released_envelope = _closed_envelope(ekopost, released["id"], address=address)
    assert ekopost.post(f"/campaigns/{released['id']}/close").status_code == 200
    ekopost.wait_for(released_envelope, ShipmentStatus.DELIVERED, ShipmentStatus.OPENED)
    refused = ekopost.post(f"/campaigns/{released['id']}/cancel")
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "127"
    again = ekopost.post(f"/campaigns/{held['id']}/cancel")
    assert again.json()["error_code"] == "127"


def test_envelopes_are_listed_by_name_and_state_and_one_is_cancelled(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign(output_date=FUTURE)
    kept = _closed_envelope(ekopost, campaign["id"], name="Kept")
    dropped = ekopost.envelope(campaign["id"], name="Dropped")["id"]
    path = f"/campaigns/{campaign['id']}/envelopes"
    cancelled = ekopost.post(f"{path}/{dropped}/cancel", [])
    assert cancelled.status_code == 200
    assert cancelled.json()["state"] == "cancelled"
    assert [e["id"] for e in ekopost.get(path, params={"name": "Kept"}).json()] == [kept]
    assert [e["id"] for e in ekopost.get(path, params={"state": "cancelled"}).json()] == [dropped]
    assert len(ekopost.get(path).json()) == 2
    assert ekopost.get(f"/campaigns/{campaign['id']}").json()["envelope_count"] == 2
    # A closed envelope is cancelled too, before the print house has it.
    assert ekopost.post(f"{path}/{kept}/cancel").json()["state"] == "cancelled"
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200


def test_a_reply_mail_envelope_needs_its_template(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign(replymail="true", output_date=FUTURE)
    assert campaign["replymail"] is True
    envelope = ekopost.envelope(campaign["id"])
    path = f"/campaigns/{campaign['id']}/envelopes/{envelope['id']}"
    assert ekopost.post(path + "/content", content_body(letter_pdf())).status_code == 200
    plain = ekopost.post(path + "/content", content_body(letter_pdf(()), type="attachment"))
    assert plain.status_code == 200
    refused = ekopost.post(path + "/close")
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "142"
    template = {**content_body(letter_pdf(()), type="attachment"), "replymail": True}
    added = ekopost.post(path + "/content", template)
    assert added.json()["type"] == "attachment"
    assert ekopost.post(path + "/close").status_code == 200


def test_the_sandbox_clock_releases_a_closed_campaign_on_its_output_date(ekopost: Ekopost) -> None:
    now = ekopost.runtime.clock.now()
    output = (now + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    campaign = ekopost.campaign(output_date=output)
    address = {"$type": "einbox", "recipient": NO_PERSON_WITH_MAILBOX}
    envelope_id = _closed_envelope(ekopost, campaign["id"], address=address)
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").json()["state"] == "closed"
    ekopost.run(lambda: asyncio.sleep(0.5))
    assert ekopost.get(f"/campaigns/{campaign['id']}/envelopes/{envelope_id}").json()["state"] == "closed"
    ekopost.run(lambda: advance_clock(ekopost.runtime, timedelta(days=2, minutes=1)))
    ekopost.wait_for(envelope_id, ShipmentStatus.DELIVERED, ShipmentStatus.OPENED)
    deadline = time.monotonic() + 30
    while ekopost.get(f"/campaigns/{campaign['id']}").json()["state"] != "completed":
        assert time.monotonic() < deadline, "the campaign never completed"
        ekopost.run(lambda: asyncio.sleep(0.1))

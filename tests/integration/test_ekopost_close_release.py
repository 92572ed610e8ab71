"""Closing a campaign over Ekopost's API answers 200 with the campaign closed and leaves its release
to a job; until that job has released anything, the campaign can still be cancelled (SQLite and
PostgreSQL; no job workers, so nothing runs between the requests)."""

from __future__ import annotations

from sqlalchemy import func, select

from postbud.domain.status import ShipmentStatus
from postbud.services.letters.batch_state import letters_in_batch
from postbud.services.letters.batches import find_batch
from postbud.services.parties.senders import find_sender
from postbud.storage import schema
from tests.integration.test_ekopost_fixtures import (
    CUSTOMER_ORGNR,
    Ekopost,
    content_body,
    ekopost_without_workers,
    letter_pdf,
)

__all__ = ["ekopost_without_workers"]


def _closed_envelopes(ekopost: Ekopost, campaign_id: str, count: int) -> list[str]:
    envelopes = []
    for _ in range(count):
        envelope = ekopost.envelope(campaign_id)
        path = f"/campaigns/{campaign_id}/envelopes/{envelope['id']}"
        assert ekopost.post(path + "/content", content_body(letter_pdf())).status_code == 200
        assert ekopost.post(path + "/close").status_code == 200
        envelopes.append(str(envelope["id"]))
    return envelopes


def _statuses(ekopost: Ekopost, campaign_id: str) -> list[ShipmentStatus]:
    async def statuses() -> list[ShipmentStatus]:
        sender = await find_sender(CUSTOMER_ORGNR, ekopost.runtime)
        batch = await find_batch(ekopost.runtime, sender.id, "ekopost", campaign_id)
        return [letter.status for letter in await letters_in_batch(ekopost.runtime, batch.id)]

    return ekopost.run(statuses)


def _queued_kinds(ekopost: Ekopost) -> dict[str, int]:
    """How many jobs of each kind of the print line's are queued (ready, not run)."""

    async def kinds() -> dict[str, int]:
        j = schema.jobs.c
        query = (
            select(j.kind, func.count())
            .where(j.kind.in_(["batch.release", "print_line.run", "shipment.publish"]))
            .group_by(j.kind)
        )
        async with ekopost.runtime.reader() as uow:
            return {kind: int(n) for kind, n in await uow.conn.execute(query)}

    return ekopost.run(kinds)


def test_the_close_answers_with_the_campaign_closed_and_releases_nothing_itself(
    ekopost_without_workers: Ekopost,
) -> None:
    ekopost = ekopost_without_workers
    campaign = ekopost.campaign()  # output date: now, so its release job is due at once
    _closed_envelopes(ekopost, campaign["id"], 3)
    closed = ekopost.post(f"/campaigns/{campaign['id']}/close")
    assert closed.status_code == 200, closed.text
    assert (closed.json()["state"], closed.json()["envelope_count"]) == ("closed", 3)
    assert _statuses(ekopost, campaign["id"]) == [ShipmentStatus.SCHEDULED] * 3
    assert _queued_kinds(ekopost) == {"batch.release": 1}, "the close queues its release, nothing else"
    again = ekopost.post(f"/campaigns/{campaign['id']}/close")
    assert (again.status_code, again.json()["error_code"]) == (400, "127")


def test_a_closed_campaign_whose_release_has_not_begun_is_cancelled(ekopost_without_workers: Ekopost) -> None:
    ekopost = ekopost_without_workers
    campaign = ekopost.campaign()
    envelopes = _closed_envelopes(ekopost, campaign["id"], 2)
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    cancelled = ekopost.post(f"/campaigns/{campaign['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["state"] == "cancelled"
    for envelope_id in envelopes:
        shown = ekopost.get(f"/campaigns/{campaign['id']}/envelopes/{envelope_id}").json()
        assert shown["state"] == "cancelled"

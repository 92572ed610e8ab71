"""The campaign-completed renderer: Ekopost's own campaigns at their end only; the rest is left to
the core's neutral payload (None)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from postbud.dialects.ekopost.webhook import campaign_completed
from postbud.domain.batches import Batch, BatchEvent, BatchState, BatchStatus
from postbud.domain.status import ShipmentStatus
from postbud.webhooks.formats import RenderContext
from postbud.webhooks.notices import BatchLetter, BatchNotice

AT = datetime(2026, 12, 4, 10, tzinfo=UTC)
CONTEXT = RenderContext(uuid.uuid4(), "http://localhost:8080")


def _notice(dialect: str, state: BatchState) -> BatchNotice:
    batch = Batch(
        uuid.uuid4(), uuid.uuid4(), dialect, "c-1", BatchStatus.COMPLETED, AT, AT, name="Kampanj",
        state=state, state_changed_at=AT,
    )  # fmt: skip
    event = BatchEvent(uuid.uuid4(), batch.id, batch.sender_id, state, AT)
    letter = BatchLetter(uuid.uuid4(), None, ShipmentStatus.POSTED, None, AT)
    return BatchNotice(event, batch, (letter,))


def test_a_completed_ekopost_campaign_is_rendered_with_its_envelopes() -> None:
    rendered = campaign_completed(_notice("ekopost", BatchState.COMPLETED), CONTEXT)
    assert rendered is not None
    assert rendered["event"] == "campaign_completed"
    assert rendered["id"] == str(CONTEXT.delivery_id)
    assert rendered["campaign"]["id"] == "c-1"
    assert rendered["envelopes"][0]["state"] == "posted"


def test_other_dialects_and_states_on_the_way_are_left_to_the_core() -> None:
    assert campaign_completed(_notice("digipost", BatchState.COMPLETED), CONTEXT) is None
    assert campaign_completed(_notice("ekopost", BatchState.TRANSFERRED), CONTEXT) is None

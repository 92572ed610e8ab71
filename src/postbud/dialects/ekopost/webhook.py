"""Ekopost's webhook: "campaign completed", with the campaign and every envelope's id and state.

Rendered for subscriptions of format ``ekopost`` when one of this dialect's campaigns reaches an end
(completed, failed or cancelled); the core signs the body (``X-Ekopost-Signature``, hex HMAC-SHA1
with the subscription's secret) and retries it like every webhook. Other notices are left to the
core's neutral rendering.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postbud.dialects.ekopost.context import DIALECT
from postbud.dialects.ekopost.render import campaign, when
from postbud.dialects.ekopost.states import campaign_state, envelope_state
from postbud.domain.batches import FINAL_STATES
from postbud.webhooks.formats import RenderContext
from postbud.webhooks.notices import BatchNotice, Notice


def campaign_completed(notice: Notice, context: RenderContext) -> Mapping[str, Any] | None:
    if not isinstance(notice, BatchNotice) or notice.batch.dialect != DIALECT:
        return None
    if notice.event.type not in FINAL_STATES:
        return None
    return {
        "event": "campaign_completed",
        "id": str(context.delivery_id),
        "state": campaign_state(notice.event.type),
        "occurred_at": when(notice.event.at),
        "campaign": campaign(notice.batch, len(notice.letters)),
        "envelopes": [
            {
                "id": str(letter.id),
                "state": envelope_state(letter.status),
                "state_changed_at": when(letter.updated_at),
            }
            for letter in notice.letters
        ],
    }

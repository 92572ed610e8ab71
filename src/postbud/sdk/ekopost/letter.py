"""One letter in one call: campaign → envelope → content → close the envelope → close the campaign.

Written once as a sequence of :class:`~.operations.Call` steps that both clients drive. When a step
fails after the campaign was made, the campaign is cancelled (as published integrations do) so no
half-built campaign is left open, and the step's error is raised.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Sequence
from datetime import date, datetime
from typing import Any

from . import operations as ops
from .addresses import Address, PostalAddress
from .errors import EkopostClientError
from .models import NewCampaign, NewContent, NewEnvelope, SentLetter
from .operations import Call
from .values import Plex, Postage

Steps = Generator[Call[Any], Any, SentLetter]


def send_letter_steps(
    document: bytes,
    *,
    address: Address | None,
    name: str,
    campaign_name: str | None,
    output_date: date | datetime | str | None,
    cost_center: str | None,
    postage: Postage | str,
    plex: Plex | str,
    color: bool,
    attachments: Sequence[bytes],
    return_address: PostalAddress | None,
    unique_id: str | None,
) -> Steps:
    campaign = yield ops.create_campaign(
        NewCampaign(name=campaign_name or name, output_date=output_date, cost_center=cost_center)
    )
    try:
        envelope = yield ops.create_envelope(
            campaign.id,
            NewEnvelope(
                name=name, address=address, postage=postage, plex=plex, color=color, unique_id=unique_id
            ),
        )
        main = NewContent.document(
            document, return_address=True if return_address is not None else None, address=return_address
        )
        content = yield ops.create_content(campaign.id, envelope.id, main)
        added = []
        for attachment in attachments:
            added.append(
                (yield ops.create_content(campaign.id, envelope.id, NewContent.attachment(attachment)))
            )
        closed_envelope = yield ops.close_envelope(campaign.id, envelope.id)
        closed_campaign = yield ops.close_campaign(campaign.id)
    except EkopostClientError as failure:
        with contextlib.suppress(EkopostClientError):  # the step's error is the one to raise
            yield ops.cancel_campaign(campaign.id)
        raise failure
    return SentLetter(campaign=closed_campaign, envelope=closed_envelope, document=content, attachments=added)

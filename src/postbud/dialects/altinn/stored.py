"""What a correspondence keeps beyond the core letter: Altinn's own fields, as one JSON value in the
letter's properties (``altinn``). The body is the letter's primary document (Markdown); its
attachments are stand-alone attachments the letter names; everything else the core reads (sender,
recipient, sender's reference, publish time, due date and confirmation) is the letter's own."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from postbud.domain.letter_presentation import LetterLink, presentation_properties
from postbud.domain.resources import LETTER_RESOURCE_PROPERTY
from postbud.domain.shipments import Shipment

PROPERTY = "altinn"
BODY_FILE_TYPE = "md"
BODY_MIME = "text/markdown"


@dataclass(frozen=True, slots=True)
class CorrespondenceRecord:
    resource_id: str
    sender_urn: str
    message_sender: str | None
    language: str
    title: str
    summary: str
    requested_publish_time: str | None
    due_date_time: str | None
    external_references: list[dict[str, Any]] = field(default_factory=list)
    property_list: dict[str, str] = field(default_factory=dict)
    reply_options: list[dict[str, Any]] = field(default_factory=list)
    notification: dict[str, Any] | None = None
    ignore_reservation: bool | None = None
    is_confirmation_needed: bool = False
    is_confidential: bool = False
    allow_forwarding: bool = False
    idempotent_key: str | None = None
    attachment_ids: list[str] = field(default_factory=list)
    """The stand-alone attachments the correspondence names, in its order."""

    def as_properties(self) -> dict[str, str]:
        # The resource also as the core's own property: an indexed column, for search.
        # The summary and reply options also under the core's names: what the inbox shows.
        record = json.dumps(asdict(self), separators=(",", ":"))
        links = [LetterLink(o["linkURL"], o.get("linkText")) for o in self.reply_options]
        shown = presentation_properties(self.summary, links)
        return {PROPERTY: record, LETTER_RESOURCE_PROPERTY: self.resource_id, **shown}


def record_of(shipment: Shipment) -> CorrespondenceRecord | None:
    """The correspondence a letter is, or None for a letter another dialect sent."""
    if shipment.dialect != "altinn":
        return None
    raw = shipment.properties.get(PROPERTY)
    if not raw:
        return None
    data = json.loads(raw)
    return CorrespondenceRecord(**data)

"""What an envelope and its contents keep of their wire form, stored with the core's letter.

The envelope's own fields (name, address as written, postage, plex, colour, REK services, agent)
travel in the letter's properties under one key; a content's type and creation time in its
document's id, which is scoped to the letter.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

ENVELOPE_KEY = "ekopost.envelope"
_CONTENT_PREFIX = "ekopost:"
REPLYMAIL_TEMPLATE = "replymail"
"""The content type recorded for an attachment marked ``replymail`` (the reply-mail template)."""


@dataclass(frozen=True, slots=True)
class EnvelopeRecord:
    name: str | None
    address: dict[str, Any]
    postage: str
    plex: str
    color: bool
    pu: bool = False
    kb: bool = False
    consignor_contact: str | None = None
    agent: str | None = None
    warning: str | None = None

    def as_properties(self) -> dict[str, str]:
        return {ENVELOPE_KEY: json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))}

    @classmethod
    def of(cls, properties: dict[str, str]) -> EnvelopeRecord | None:
        raw = properties.get(ENVELOPE_KEY)
        if raw is None:
            return None
        return cls(**json.loads(raw))


def content_id_of(content_type: str, created_at: datetime) -> str:
    """The document's id (scoped to its letter) that records the content's type and time."""
    return f"{_CONTENT_PREFIX}{content_type}:{created_at.isoformat()}"


def content_meta(external_id: str | None) -> tuple[str, datetime] | None:
    if not external_id or not external_id.startswith(_CONTENT_PREFIX):
        return None
    content_type, _, at = external_id[len(_CONTENT_PREFIX) :].partition(":")
    try:
        return content_type, datetime.fromisoformat(at)
    except ValueError:
        return None

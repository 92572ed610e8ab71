"""Where the next page of a list (newest first) starts: the time and id of the last row shown, handed
to the client as an opaque cursor and read back from it."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime

from postbud.domain.errors import RuleCode, ValidationFailed


def encode_cursor(at: datetime, row_id: uuid.UUID) -> str:
    raw = f"{at.isoformat()}|{row_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, what: str = "a cursor", zoned: bool = False) -> tuple[datetime, uuid.UUID]:
    """The time and id in ``cursor``; ``zoned``: its time must carry a zone. Anything else is a
    ``ValidationFailed`` on the field ``cursor``: it is not ``what`` this server handed out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, row_id = raw.partition("|")
        moment = datetime.fromisoformat(at)
        if zoned and moment.tzinfo is None:
            raise ValueError("a cursor's time has a zone")
        return moment, uuid.UUID(row_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed.of(
            "cursor", f"is not {what} this server handed out", RuleCode.WRONG_FORMAT
        ) from None

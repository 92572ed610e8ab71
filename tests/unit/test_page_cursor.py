"""A list's page cursor: the last row's time and id, read back exactly; anything else is a clear
error on the field ``cursor``."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
from postbud.services.page_cursor import decode_cursor, encode_cursor

AT = datetime(2026, 12, 5, 8, 30, 15, 123456, tzinfo=UTC)
ROW = uuid.UUID("6f0c5a4e-7d1b-4f7e-9a51-3c2b1d0e9f8a")


def test_a_cursor_gives_back_its_time_and_id() -> None:
    cursor = encode_cursor(AT, ROW)
    assert "=" not in cursor
    assert decode_cursor(cursor) == (AT, ROW)
    assert decode_cursor(cursor, zoned=True) == (AT, ROW)


@pytest.mark.parametrize(
    "cursor", ["", "not a cursor", "!!!", base64.urlsafe_b64encode(b"2026-12-05|not-a-uuid").decode()]
)
def test_anything_else_is_refused_on_the_cursor_field(cursor: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(cursor)
    assert refused.value.first == FieldError(
        "cursor", "is not a cursor this server handed out", RuleCode.WRONG_FORMAT
    )


def test_a_zoned_cursor_refuses_a_time_without_a_zone_in_its_own_words() -> None:
    naive = base64.urlsafe_b64encode(f"2026-12-05T08:30:15|{ROW}".encode()).decode()
    assert decode_cursor(naive)[0].tzinfo is None
    with pytest.raises(ValidationFailed) as refused:
        decode_cursor(naive, what="a feed position", zoned=True)
    assert refused.value.first.rule == "is not a feed position this server handed out"

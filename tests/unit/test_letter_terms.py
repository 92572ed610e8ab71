"""A letter's terms as a send states them, and the terms that cannot hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.letter_terms import Deadlines, DocumentExpiry, LetterTerms

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
LETTER = uuid.uuid4()
DOCUMENTS = [uuid.uuid4(), uuid.uuid4()]


def test_deadlines_become_a_letters_terms_by_document_position() -> None:
    deadlines = Deadlines(NOW + timedelta(days=7), True, ((1, NOW + timedelta(days=30)),))
    terms = deadlines.for_letter(LETTER, DOCUMENTS)
    assert terms == LetterTerms(
        LETTER, NOW + timedelta(days=7), True, (DocumentExpiry(DOCUMENTS[1], NOW + timedelta(days=30)),)
    )
    terms.check(NOW, set(DOCUMENTS), publish_at=NOW + timedelta(days=1))


def test_an_expiry_of_a_document_the_letter_lacks_is_refused() -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        Deadlines(expiry_by_position=((2, NOW), (-1, NOW))).for_letter(LETTER, DOCUMENTS)
    assert [e.field for e in excinfo.value.errors] == [
        "document_expiry[0].position",
        "document_expiry[1].position",
    ]


@pytest.mark.parametrize(
    ("terms", "publish_at", "expected"),
    [
        (LetterTerms(LETTER, due_at=NOW), None, [("due_at", RuleCode.IN_PAST)]),
        (
            LetterTerms(LETTER, due_at=NOW + timedelta(hours=1)),
            NOW + timedelta(hours=2),
            [("due_at", RuleCode.BEFORE_OTHER)],
        ),
        (
            LetterTerms(
                LETTER,
                document_expiry=(
                    DocumentExpiry(DOCUMENTS[0], NOW + timedelta(hours=1)),
                    DocumentExpiry(DOCUMENTS[0], NOW - timedelta(hours=1)),
                ),
            ),
            None,
            [
                ("document_expiry[1].document_id", RuleCode.NOT_UNIQUE),
                ("document_expiry[1].expires_at", RuleCode.IN_PAST),
            ],
        ),
    ],
)
def test_terms_that_cannot_hold(
    terms: LetterTerms, publish_at: datetime | None, expected: list[tuple[str, RuleCode]]
) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        terms.check(NOW, set(DOCUMENTS), publish_at=publish_at)
    assert [(e.field, e.code) for e in excinfo.value.errors] == expected

"""The Digipost catalogue maps the core's rule codes, never its words, to the codes real clients expect.

The expected codes are written out here rather than read from the catalogue, so a changed mapping
fails a test; every member of each code enum must be named in the catalogue.
"""

from __future__ import annotations

import pytest

from postbud.dialects.digipost.errors import (
    CONFLICT_CODES,
    PERMISSION_CODES,
    VALIDATION_CODES,
    from_domain,
)
from postbud.domain.errors import (
    Conflict,
    ConflictCode,
    FieldError,
    NotFound,
    NotPermitted,
    PermissionCode,
    RuleCode,
    ValidationFailed,
)

EXPECTED_RULES = {
    RuleCode.INVALID: ("VALIDATION_FAILED", 400),
    RuleCode.REQUIRED: ("VALIDATION_FAILED", 400),
    RuleCode.EMPTY: ("VALIDATION_FAILED", 400),
    RuleCode.TOO_LARGE: ("FILE_TOO_LARGE", 400),
    RuleCode.TOO_LONG: ("VALIDATION_FAILED", 400),
    RuleCode.TOO_MANY: ("VALIDATION_FAILED", 400),
    RuleCode.TOO_FEW: ("VALIDATION_FAILED", 400),
    RuleCode.NOT_UNIQUE: ("VALIDATION_FAILED", 400),
    RuleCode.IN_PAST: ("VALIDATION_FAILED", 400),
    RuleCode.BEFORE_OTHER: ("VALIDATION_FAILED", 400),
    RuleCode.WRONG_FORMAT: ("VALIDATION_FAILED", 400),
    RuleCode.FILE_TYPE: ("VALIDATION_FAILED", 400),
    RuleCode.PRINT_NEEDS_PDF: ("CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF", 400),
    RuleCode.CHECKSUM_MISMATCH: ("VALIDATION_FAILED", 400),
    RuleCode.DATATYPE: ("VALIDATION_FAILED", 400),
    RuleCode.UNKNOWN_RECIPIENT: ("UNKNOWN_RECIPIENT", 404),
    RuleCode.UNDELIVERABLE: ("UNKNOWN_RECIPIENT", 404),
    RuleCode.NO_CONTACT: ("VALIDATION_FAILED", 400),
}
EXPECTED_CONFLICTS = {
    ConflictCode.DUPLICATE: ("DUPLICATE_MESSAGE", 400),
    ConflictCode.DUPLICATE_DOCUMENT: ("DUPLICATE_DOCUMENT_ID", 400),
    ConflictCode.WRONG_STATE: ("INVALID_TRANSACTION", 409),
    ConflictCode.ALREADY_DONE: ("INVALID_TRANSACTION", 409),
    ConflictCode.NOT_YET: ("INVALID_TRANSACTION", 409),
}
EXPECTED_PERMISSIONS = {
    PermissionCode.NOT_OWNER: ("BROKER_NOT_AUTHORIZED", 403),
    PermissionCode.NOT_APPROVED: ("BROKER_NOT_AUTHORIZED", 403),
    PermissionCode.LIMIT_REACHED: ("ORGANISATION_LETTERS_PER_MONTH_EXCEEDED", 403),
}


def test_every_code_has_a_decided_digipost_code() -> None:
    assert set(VALIDATION_CODES) == set(RuleCode)
    assert set(CONFLICT_CODES) == set(ConflictCode)
    assert set(PERMISSION_CODES) == set(PermissionCode)


@pytest.mark.parametrize(("rule", "expected"), EXPECTED_RULES.items(), ids=lambda v: str(v))
def test_a_broken_rule_maps_by_its_code(rule: RuleCode, expected: tuple[str, int]) -> None:
    error = from_domain(ValidationFailed.of("documents[0]", "any words at all", rule))
    assert (error.code, error.status) == expected
    assert error.message == "documents[0]: any words at all"


@pytest.mark.parametrize(("conflict", "expected"), EXPECTED_CONFLICTS.items(), ids=lambda v: str(v))
def test_a_conflict_maps_by_its_code(conflict: ConflictCode, expected: tuple[str, int]) -> None:
    error = from_domain(Conflict("external_id", "clashes", conflict))
    assert (error.code, error.status) == expected


@pytest.mark.parametrize(("permission", "expected"), EXPECTED_PERMISSIONS.items(), ids=lambda v: str(v))
def test_a_refusal_maps_by_its_code(permission: PermissionCode, expected: tuple[str, int]) -> None:
    error = from_domain(NotPermitted("not yours", permission))
    assert (error.code, error.status) == expected


def test_a_delivery_time_in_the_past_has_its_own_code_and_other_times_do_not() -> None:
    publish = from_domain(ValidationFailed.of("publish_at", "must not be in the past", RuleCode.IN_PAST))
    deadline = from_domain(ValidationFailed.of("due_at", "must not be in the past", RuleCode.IN_PAST))
    other_rule = from_domain(ValidationFailed.of("publish_at", "not a time", RuleCode.WRONG_FORMAT))
    assert (publish.code, deadline.code, other_rule.code) == (
        "DELIVERY_DATE_HISTORICAL",
        "VALIDATION_FAILED",
        "VALIDATION_FAILED",
    )


def test_the_words_of_a_rule_do_not_choose_the_code() -> None:
    worded_like_print = from_domain(ValidationFailed.of("documents[0]", "print requires PDF documents"))
    worded_like_size = from_domain(ValidationFailed.of("documents[0]", "larger than 10 bytes"))
    assert worded_like_print.code == worded_like_size.code == "VALIDATION_FAILED"
    duplicate_document_by_field_only = from_domain(Conflict("documents.id", "used", ConflictCode.DUPLICATE))
    assert duplicate_document_by_field_only.code == "DUPLICATE_MESSAGE"


def test_the_first_broken_rule_chooses_the_code_and_the_message_names_them_all() -> None:
    error = from_domain(
        ValidationFailed(
            [
                FieldError(
                    "documents[1].file_type", "print requires PDF documents", RuleCode.PRINT_NEEDS_PDF
                ),
                FieldError("documents[2]", "larger than 5 bytes", RuleCode.TOO_LARGE),
            ]
        )
    )
    assert error.code == "CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF"
    assert "documents[1].file_type" in error.message
    assert "documents[2]" in error.message


@pytest.mark.parametrize(
    ("entity", "code"),
    [
        ("recipient", "UNKNOWN_RECIPIENT"),
        ("batch", "UNKNOWN_BATCH"),
        ("sender", "UNKNOWN_SENDER"),
        ("letter", "GENERAL_ERROR"),
    ],
)
def test_not_found_maps_by_the_kind_of_thing(entity: str, code: str) -> None:
    error = from_domain(NotFound(entity, "x"))
    assert (error.code, error.status) == (code, 404)

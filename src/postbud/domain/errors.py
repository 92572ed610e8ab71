"""Errors the core raises. Each dialect maps them onto its own wire format.

An error names the field it concerns, the rule that was broken in words, and the rule as a stable
``RuleCode``. Dialects choose their own error codes (Digipost's ``error-code``, Ekopost's 0–143,
Altinn's 1001–4010) from the ``RuleCode`` and the field, never from the words, which may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RuleCode(StrEnum):
    """Which rule an input broke, stable across releases: dialects key their catalogues on it."""

    INVALID = "invalid"
    """Malformed or out of range, with no more specific rule below."""
    REQUIRED = "required"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    TOO_FEW = "too_few"
    NOT_UNIQUE = "not_unique"
    """Repeated inside one request (two recipients, two document ids alike)."""
    IN_PAST = "in_past"
    BEFORE_OTHER = "before_other"
    """A time that must come after another one of the request (a due date before publish)."""
    WRONG_FORMAT = "wrong_format"
    """A value in the wrong syntax or with a wrong check digit (identifiers, addresses, e-mail)."""
    FILE_TYPE = "file_type"
    """A document's declared type is not allowed, or its content is not of that type."""
    PRINT_NEEDS_PDF = "print_needs_pdf"
    CHECKSUM_MISMATCH = "checksum_mismatch"
    DATATYPE = "datatype"
    """A datatype (invoice, appointment, …) breaks its own rules."""
    UNKNOWN_RECIPIENT = "unknown_recipient"
    UNDELIVERABLE = "undeliverable"
    """No channel can take the letter."""
    NO_CONTACT = "no_contact"
    """A notice or registration request has no address to go to."""


class ConflictCode(StrEnum):
    """Why a request clashes with what is stored."""

    DUPLICATE = "duplicate"
    """A letter, batch or idempotency key with this id exists already."""
    DUPLICATE_DOCUMENT = "duplicate_document"
    WRONG_STATE = "wrong_state"
    """The thing exists but its state does not allow this (a closed batch, a published letter)."""
    ALREADY_DONE = "already_done"
    """Asked for twice (confirm after confirm, purge after purge)."""
    NOT_YET = "not_yet"
    """Asked for too early (confirm before fetch, purge of an unpublished letter by its recipient)."""


class PermissionCode(StrEnum):
    NOT_OWNER = "not_owner"
    """The caller's party neither sent nor received it."""
    NOT_APPROVED = "not_approved"
    """The sender lacks an agreement for this (print, direct print, a resource)."""
    LIMIT_REACHED = "limit_reached"
    """A configured quota (per month, per day) is used up."""


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    rule: str
    code: RuleCode = RuleCode.INVALID

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


class DomainError(Exception):
    """Base of every error the core raises on purpose."""


class ValidationFailed(DomainError):
    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    @classmethod
    def of(cls, field: str, rule: str, code: RuleCode = RuleCode.INVALID) -> ValidationFailed:
        return cls(FieldError(field, rule, code))

    @property
    def first(self) -> FieldError:
        return self.errors[0]


class NotFound(DomainError):
    def __init__(self, entity: str, key: object) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"{entity} {key!s} not found")


class Conflict(DomainError):
    """The request clashes with something already stored (a duplicate id, a closed batch)."""

    def __init__(self, field: str, rule: str, code: ConflictCode = ConflictCode.DUPLICATE) -> None:
        self.field = field
        self.rule = rule
        self.code = code
        super().__init__(f"{field}: {rule}")


class NotPermitted(DomainError):
    """The caller is known but may not do this (missing scope, agreement or ownership)."""

    def __init__(
        self, rule: str, code: PermissionCode = PermissionCode.NOT_APPROVED, *, quota: str | None = None
    ) -> None:
        self.rule = rule
        self.code = code
        self.quota = quota
        """With LIMIT_REACHED: which quota (``domain/print_limits.py`` names them), for dialects that
        answer each with a code of its own."""
        super().__init__(rule)

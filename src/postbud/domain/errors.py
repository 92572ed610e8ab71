"""Errors the core raises. Each dialect maps them onto its own wire format.

An error names the field it concerns and the rule that was broken, so every dialect can
answer "which field, which rule" in its own vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    rule: str

    def __str__(self) -> str:
        return f"{self.field}: {self.rule}"


class DomainError(Exception):
    """Base of every error the core raises on purpose."""


class ValidationFailed(DomainError):
    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))

    @classmethod
    def of(cls, field: str, rule: str) -> ValidationFailed:
        return cls(FieldError(field, rule))


class NotFound(DomainError):
    def __init__(self, entity: str, key: object) -> None:
        self.entity = entity
        self.key = key
        super().__init__(f"{entity} {key!s} not found")


class Conflict(DomainError):
    """The request clashes with something already stored (a duplicate id, a closed batch)."""

    def __init__(self, field: str, rule: str) -> None:
        self.field = field
        self.rule = rule
        super().__init__(f"{field}: {rule}")


class NotPermitted(DomainError):
    """The caller is known but may not do this (missing scope, agreement or ownership)."""

    def __init__(self, rule: str) -> None:
        self.rule = rule
        super().__init__(rule)

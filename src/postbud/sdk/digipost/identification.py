"""Answer to "is this person or organisation in Digipost?" (``identification-result``, §7)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["IdentificationResult", "IdentificationResultCode", "InvalidReason", "UnidentifiedReason"]


class IdentificationResultCode(StrEnum):
    DIGIPOST = "DIGIPOST"
    """A Digipost user: send digitally."""
    IDENTIFIED = "IDENTIFIED"
    """Identified but not a user; ``person_alias`` may be used for later identification."""
    UNIDENTIFIED = "UNIDENTIFIED"
    INVALID = "INVALID"


class UnidentifiedReason(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    MULTIPLE_MATCHES = "MULTIPLE_MATCHES"


class InvalidReason(StrEnum):
    INVALID_PERSONAL_IDENTIFICATION_NUMBER = "INVALID_PERSONAL_IDENTIFICATION_NUMBER"
    INVALID_ORGANISATION_NUMBER = "INVALID_ORGANISATION_NUMBER"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True)
class IdentificationResult:
    result: IdentificationResultCode
    digipost_address: str | None = None
    person_alias: str | None = None
    unidentified_reason: UnidentifiedReason | None = None
    invalid_reason: InvalidReason | None = None

    @property
    def is_digipost_user(self) -> bool:
        return self.result is IdentificationResultCode.DIGIPOST

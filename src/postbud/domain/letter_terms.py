"""What a sender asks of a letter's recipient: read it, and confirm it, by a due date; and until
when each of its documents may be downloaded (Altinn's dueDateTime, isConfirmationNeeded and the
expiration time of an attachment on a correspondence)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed


@dataclass(frozen=True, slots=True)
class DocumentExpiry:
    document_id: uuid.UUID
    """The letter's document (``Document.id``)."""
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LetterTerms:
    shipment_id: uuid.UUID
    due_at: datetime | None = None
    """When it is noted whether the recipient read it (and confirmed it, if asked) in time."""
    needs_confirmation: bool = False
    """The recipient must confirm it, and may purge it only after confirming."""
    document_expiry: tuple[DocumentExpiry, ...] = ()

    def check(
        self, now: datetime, document_ids: set[uuid.UUID], *, publish_at: datetime | None = None
    ) -> None:
        """Refuse terms that cannot hold: a due date or expiry in the past, a due date before the
        letter is published, an unknown document."""
        errors: list[FieldError] = []
        if self.due_at is not None and self.due_at <= now:
            errors.append(FieldError("due_at", "must be in the future", RuleCode.IN_PAST))
        elif self.due_at is not None and publish_at is not None and self.due_at < publish_at:
            errors.append(FieldError("due_at", "must not be before the publish time", RuleCode.BEFORE_OTHER))
        seen: set[uuid.UUID] = set()
        for i, expiry in enumerate(self.document_expiry):
            where = f"document_expiry[{i}]"
            if expiry.document_id not in document_ids:
                errors.append(
                    FieldError(f"{where}.document_id", "not a document of this letter", RuleCode.INVALID)
                )
            if expiry.document_id in seen:
                errors.append(FieldError(f"{where}.document_id", "named twice", RuleCode.NOT_UNIQUE))
            seen.add(expiry.document_id)
            if expiry.expires_at <= now:
                errors.append(FieldError(f"{where}.expires_at", "must be in the future", RuleCode.IN_PAST))
        if errors:
            raise ValidationFailed(errors)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Terms as a send states them, before its letters and their documents have ids: the same for
    every letter of a request (Altinn's dueDateTime, isConfirmationNeeded, and each attachment's
    expirationTime, by the document's position in the letter: 0 is the primary document)."""

    due_at: datetime | None = None
    needs_confirmation: bool = False
    expiry_by_position: tuple[tuple[int, datetime], ...] = ()

    def for_letter(self, shipment_id: uuid.UUID, document_ids: list[uuid.UUID]) -> LetterTerms:
        """The letter's terms, given its document ids in position order."""
        errors = [
            FieldError(f"document_expiry[{i}].position", "the letter has no document there", RuleCode.INVALID)
            for i, (position, _) in enumerate(self.expiry_by_position)
            if not 0 <= position < len(document_ids)
        ]
        if errors:
            raise ValidationFailed(errors)
        return LetterTerms(
            shipment_id,
            self.due_at,
            self.needs_confirmation,
            tuple(DocumentExpiry(document_ids[position], at) for position, at in self.expiry_by_position),
        )

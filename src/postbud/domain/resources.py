"""The resource registry: what an Altinn resource id stands for.

A correspondence names a resource; its owner is the sender, its confidentiality and minimum
authentication level decide who may read it and how the notices may speak of it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed

MAX_RESOURCE_ID = 255
MAX_TITLE = 255
AUTH_LEVELS = range(0, 5)
"""0 (none) to 4 (high), as ID-porten and Altinn number them."""
URN_PREFIX = "urn:altinn:resource:"
LETTER_RESOURCE_PROPERTY = "resource"
"""The letter property that names the resource a letter is about; stored in an indexed column, so
the letters of one resource are found without reading the others."""
_RESOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


def resource_id(value: str) -> str:
    """A resource id as Altinn writes it (lower-case letters, digits, ``-`` and ``_``); the
    ``urn:altinn:resource:`` form is accepted too."""
    text = value.strip().removeprefix(URN_PREFIX)
    if not text:
        raise ValidationFailed.of("id", "must not be empty", RuleCode.REQUIRED)
    if len(text) > MAX_RESOURCE_ID:
        raise ValidationFailed.of("id", f"at most {MAX_RESOURCE_ID} characters", RuleCode.TOO_LONG)
    if not _RESOURCE_ID.fullmatch(text):
        raise ValidationFailed.of(
            "id",
            "lower-case letters, digits, '-' and '_', starting with a letter or digit",
            RuleCode.WRONG_FORMAT,
        )
    return text


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    owner_sender_id: uuid.UUID
    owner_organisation_number: str
    created_at: datetime
    titles: Mapping[str, str] = field(default_factory=dict)
    """Title per language code (``nb``, ``nn``, ``en``)."""
    confidential: bool = False
    min_auth_level: int = 0

    @property
    def urn(self) -> str:
        return URN_PREFIX + self.id

    def title(self, language: str) -> str | None:
        """The title in ``language``, else in Norwegian Bokmål, else in any language there is."""
        return self.titles.get(language) or self.titles.get("nb") or next(iter(self.titles.values()), None)


def validate_titles(titles: Mapping[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    errors: list[FieldError] = []
    for language, title in titles.items():
        lang, text = language.strip().lower(), title.strip()
        if not _LANGUAGE.fullmatch(lang):
            errors.append(FieldError("title", f"{language!r} is not a language code", RuleCode.WRONG_FORMAT))
        elif not text:
            errors.append(FieldError("title", "must not be empty", RuleCode.EMPTY))
        elif len(text) > MAX_TITLE:
            errors.append(FieldError("title", f"at most {MAX_TITLE} characters", RuleCode.TOO_LONG))
        else:
            clean[lang] = text
    if errors:
        raise ValidationFailed(errors)
    return clean


def validate_auth_level(level: int) -> int:
    if level not in AUTH_LEVELS:
        raise ValidationFailed.of("min_auth_level", "0 to 4", RuleCode.INVALID)
    return level

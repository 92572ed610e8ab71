"""Use case: the shipment a person means by an id they typed — whole, or any unique start of it (as git)."""

from __future__ import annotations

import string
import uuid
from typing import Final

from postbud.domain.errors import NotFound, RuleCode, ValidationFailed
from postbud.services.runtime import Runtime

MIN_PREFIX: Final = 4
"""Shorter starts match too many letters to be worth a look-up."""


async def resolve_shipment_id(typed: str, runtime: Runtime) -> uuid.UUID:
    """The whole id, or the one shipment whose id starts with ``typed``.

    ``ValidationFailed`` for what cannot start an id and when several ids start so (type more of
    it); ``NotFound`` when none does.
    """
    text = typed.strip().lower()
    try:
        return uuid.UUID(text)
    except ValueError:
        pass
    digits = text.replace("-", "")
    if not digits or any(c not in string.hexdigits for c in digits) or len(digits) > 32:
        raise ValidationFailed.of(
            "shipment_id",
            "a shipment id (36 characters) or the start of one (hex digits)",
            RuleCode.WRONG_FORMAT,
        )
    if len(digits) < MIN_PREFIX:
        raise ValidationFailed.of(
            "shipment_id", f"give at least {MIN_PREFIX} characters of the id", RuleCode.TOO_FEW
        )
    async with runtime.reader() as uow:
        found = await uow.shipment_ids.starting_with(digits)
    if not found:
        raise NotFound("shipment", typed)
    if len(found) > 1:
        raise ValidationFailed.of(
            "shipment_id", f"{typed!r} starts more than one shipment id; type more of it", RuleCode.NOT_UNIQUE
        )
    return found[0]

"""Use cases: a sender tags a person (by fødselsnummer), removes the tag, reads a person's tags.

Tags are the sender's own: another sender sees none of them. Adding and removing are idempotent.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.domain.identifiers import InvalidIdentifier, fodselsnummer
from postbud.services.runtime import Runtime


class PersonTag(StrEnum):
    PUBLIC_MAILBOX = "public_mailbox"


def _person(personal_id: str) -> str:
    try:
        return fodselsnummer(personal_id, allow_synthetic=True)
    except InvalidIdentifier as exc:
        raise ValidationFailed.of("personal-identification-number", str(exc), RuleCode.INVALID) from exc


async def add_tag(runtime: Runtime, sender_id: uuid.UUID, personal_id: str, tag: PersonTag) -> None:
    person = _person(personal_id)
    async with runtime.unit_of_work() as uow:
        await uow.tags.add(sender_id, person, tag.value, now=runtime.clock.now())


async def remove_tag(runtime: Runtime, sender_id: uuid.UUID, personal_id: str, tag: PersonTag) -> None:
    person = _person(personal_id)
    async with runtime.unit_of_work() as uow:
        await uow.tags.remove(sender_id, person, tag.value)


async def tags_of(runtime: Runtime, sender_id: uuid.UUID, personal_id: str) -> list[PersonTag]:
    person = _person(personal_id)
    async with runtime.reader() as uow:
        return [PersonTag(tag) for tag in await uow.tags.of(sender_id, person)]

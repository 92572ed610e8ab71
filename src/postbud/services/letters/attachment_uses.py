"""Which letters name a stand-alone attachment (Altinn's ``correspondenceIds`` of an attachment)."""

from __future__ import annotations

import uuid

from postbud.services.runtime import Runtime


async def letters_naming(attachment_id: uuid.UUID, runtime: Runtime) -> list[uuid.UUID]:
    """The letters whose documents are this attachment, purged ones included, oldest first."""
    async with runtime.reader() as uow:
        return await uow.attachments.letters_naming(attachment_id)

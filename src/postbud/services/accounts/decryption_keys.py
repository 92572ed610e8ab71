"""The private half of a recipient's encryption key, for opening what a sender pre-encrypted for them."""

from __future__ import annotations

from postbud.domain.identifiers import PartyId
from postbud.services.runtime import Runtime


async def recipient_private_key_pem(runtime: Runtime, party: PartyId) -> str | None:
    """None when the recipient is unknown or was never given a key (nothing was encrypted for them)."""
    async with runtime.reader() as uow:
        recipient = await uow.recipients.by_party_id(party)
        key = await uow.recipients.key(recipient.id) if recipient is not None else None
    return key.private_key_pem if key is not None else None

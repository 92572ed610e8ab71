"""The inbox reader confirms or deletes a letter: the core's recipient actions (the same as
Altinn's confirm and purge), for a letter that is in the reader's inbox."""

from __future__ import annotations

import uuid

from postbud.domain.letter_actions import AsRecipient
from postbud.services.inbox.query import Letter, get_letter
from postbud.services.recipient_actions.confirm import confirm_letter
from postbud.services.recipient_actions.fetch import record_fetched
from postbud.services.recipient_actions.purge import purge_letter
from postbud.services.runtime import Runtime


async def confirm_in_inbox(runtime: Runtime, recipient_id: uuid.UUID, shipment_id: uuid.UUID) -> None:
    """Looking at the letter is its fetch (a confirmation needs one first, as in Altinn)."""
    caller = _reader(await get_letter(runtime, recipient_id, shipment_id))
    await record_fetched(runtime, caller, shipment_id)
    await confirm_letter(runtime, caller, shipment_id)


async def delete_in_inbox(runtime: Runtime, recipient_id: uuid.UUID, shipment_id: uuid.UUID) -> None:
    """Purged by its recipient: gone from the inbox and from the sender's view (Altinn's purge)."""
    caller = _reader(await get_letter(runtime, recipient_id, shipment_id))
    await purge_letter(runtime, caller, shipment_id)


def _reader(letter: Letter) -> AsRecipient:
    """The inbox's owner as the recipient the letter names (its inbox holds only its own letters)."""
    return AsRecipient(letter.shipment.recipient_party or "")

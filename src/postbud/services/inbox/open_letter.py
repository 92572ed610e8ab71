"""Use case: a recipient reads a letter, which the sender learns as the ``opened`` event (once).

Two things may stand before the content. A document may require a stronger sign-in than the
session has (Digipost's authentication level): the recipient must step up first. And a sender may
ask for an opening receipt: the recipient is told the sender will know, and opens deliberately.
Nothing of the content — page images, the original file, attachments — is given out before both
are settled, so the gates are checked for every read, not only for the letter page.
"""

from __future__ import annotations

import uuid

from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.errors import DomainError, NotFound
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.services.inbox.query import Letter, get_letter
from postbud.services.letters.record_event import record_events
from postbud.services.runtime import Runtime

OPENED_KEY = "opened"
_INBOXES = frozenset({Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX})


class StepUpRequired(DomainError):
    """The letter needs a stronger sign-in than the session's."""

    def __init__(self, level: AuthenticationLevel) -> None:
        self.level = level
        super().__init__(f"this letter requires signing in at level {level.value}")


class OpeningReceiptPending(DomainError):
    """The sender asked to be told when the letter is opened; the recipient has not agreed yet."""

    def __init__(self) -> None:
        super().__init__("the sender will be told when this letter is opened; confirm to open it")


def needs_receipt(letter: Letter) -> bool:
    primary = letter.shipment.primary
    kind = (primary.datatype or {}).get("kind")
    return primary.opening_receipt or kind == "opening-receipt"


def check_readable(letter: Letter, level: AuthenticationLevel) -> None:
    if letter.required_level.rank > level.rank:
        raise StepUpRequired(letter.required_level)
    if needs_receipt(letter) and not letter.opened:
        raise OpeningReceiptPending()


async def readable_letter(
    runtime: Runtime, recipient_id: uuid.UUID, shipment_id: uuid.UUID, level: AuthenticationLevel
) -> Letter:
    """The letter, if the session may see its content now (for page images, downloads, cards)."""
    letter = await get_letter(runtime, recipient_id, shipment_id)
    check_readable(letter, level)
    return letter


def _inbox_channel(letter: Letter) -> Channel:
    if letter.shipment.channel in _INBOXES:
        return letter.shipment.channel
    delivered = (e.channel for e in letter.events if e.type is EventType.DELIVERED and e.channel in _INBOXES)
    return next(delivered, Channel.DIGITAL_MAILBOX)


async def open_letter(
    runtime: Runtime,
    recipient_id: uuid.UUID,
    shipment_id: uuid.UUID,
    level: AuthenticationLevel,
    *,
    accept_receipt: bool = False,
) -> Letter:
    """Show the letter, recording ``opened`` the first time (the dedup key makes it once)."""
    letter = await get_letter(runtime, recipient_id, shipment_id)
    if accept_receipt and needs_receipt(letter) and letter.required_level.rank <= level.rank:
        await _record_opened(runtime, letter)
        letter = await get_letter(runtime, recipient_id, shipment_id)
    check_readable(letter, level)
    if not letter.opened:
        await _record_opened(runtime, letter)
        letter = await get_letter(runtime, recipient_id, shipment_id)
    return letter


async def _record_opened(runtime: Runtime, letter: Letter) -> None:
    async with runtime.unit_of_work() as uow:
        shipment = await uow.shipments.get(letter.shipment.id, for_update=True)
        if shipment is None:
            raise NotFound("letter", letter.shipment.id)
        draft = EventDraft(EventType.OPENED, _inbox_channel(letter), {"by": "recipient"}, OPENED_KEY)
        await record_events(uow, shipment, [draft], now=runtime.clock.now())

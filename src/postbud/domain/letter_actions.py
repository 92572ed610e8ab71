"""Who may do what to one letter, and when: the rules of the per-letter and recipient use cases.

Pure: the use cases read the letter and its events under a lock, ask these rules, and record what
they allow. A caller is a core value (the sending organisation, or the recipient party), never a
request or a token; each dialect turns its own authentication into one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from postbud.domain.errors import Conflict, ConflictCode, NotPermitted, PermissionCode
from postbud.domain.events import EventType, ShipmentEvent
from postbud.domain.shipments import Shipment
from postbud.domain.status import ShipmentStatus

FETCH_DEBOUNCE = timedelta(seconds=15)
"""Looking a letter up again within this time records no second ``fetched`` (as Altinn does)."""

UNPUBLISHED = frozenset(
    {ShipmentStatus.DRAFT, ShipmentStatus.ACCEPTED, ShipmentStatus.SCHEDULED, ShipmentStatus.ROUTED}
)
"""Not yet handed to a channel nor shown to the recipient: its sender may still take it back."""
AVAILABLE = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.OPENED})
"""In the recipient's hands: what a recipient may fetch, read, confirm, download and purge."""
_SENDER_PURGEABLE = UNPUBLISHED | {
    ShipmentStatus.FAILED,
    ShipmentStatus.NOT_DELIVERED,
    ShipmentStatus.CANCELLED,
    ShipmentStatus.EXPIRED,
}


@dataclass(frozen=True, slots=True)
class AsSender:
    sender_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class AsRecipient:
    party: str
    """The recipient as the letter names it (``Shipment.recipient_party``: ``str(PartyId)`` or a mailbox)."""


Caller = AsSender | AsRecipient


def is_sender(caller: Caller, shipment: Shipment) -> bool:
    return isinstance(caller, AsSender) and caller.sender_id == shipment.sender_id


def is_recipient(caller: Caller, shipment: Shipment) -> bool:
    return isinstance(caller, AsRecipient) and caller.party == shipment.recipient_party


def require_party(caller: Caller, shipment: Shipment) -> None:
    if not (is_sender(caller, shipment) or is_recipient(caller, shipment)):
        raise NotPermitted("only the letter's sender or recipient may do this", PermissionCode.NOT_OWNER)


def require_sender(caller: Caller, shipment: Shipment) -> None:
    if not is_sender(caller, shipment):
        raise NotPermitted("only the letter's sender may do this", PermissionCode.NOT_OWNER)


def require_recipient(caller: Caller, shipment: Shipment) -> None:
    if not is_recipient(caller, shipment):
        raise NotPermitted("only the letter's recipient may do this", PermissionCode.NOT_OWNER)


@dataclass(frozen=True, slots=True)
class LetterFacts:
    """What the letter's events say about its recipient's dealings with it."""

    status: ShipmentStatus
    last_fetched_at: datetime | None
    opened: bool
    confirmed: bool
    downloaded: frozenset[str]
    """Document ids (as text) already downloaded."""
    expired: frozenset[str]
    """Document ids (as text) whose download time is over."""

    @property
    def fetched(self) -> bool:
        return self.last_fetched_at is not None


def facts_of(status: ShipmentStatus, events: Iterable[ShipmentEvent]) -> LetterFacts:
    last_fetched_at: datetime | None = None
    opened = confirmed = False
    downloaded: set[str] = set()
    expired: set[str] = set()
    for event in events:
        if event.type is EventType.FETCHED:
            last_fetched_at = event.at if last_fetched_at is None else max(last_fetched_at, event.at)
        elif event.type is EventType.OPENED:
            opened = True
        elif event.type is EventType.CONFIRMED:
            confirmed = True
        elif event.type is EventType.ATTACHMENT_DOWNLOADED:
            downloaded.add(str(event.data.get("document_id")))
        elif event.type is EventType.ATTACHMENT_EXPIRED:
            expired.add(str(event.data.get("document_id")))
    return LetterFacts(status, last_fetched_at, opened, confirmed, frozenset(downloaded), frozenset(expired))


def require_available(facts: LetterFacts) -> None:
    """The letter must be in the recipient's hands: not before publication, not after its end."""
    if facts.status is ShipmentStatus.PURGED:
        raise Conflict("letter", "the letter was purged", ConflictCode.WRONG_STATE)
    if facts.status in AVAILABLE:
        return
    if facts.status in UNPUBLISHED:
        raise Conflict("letter", "the letter is not published yet", ConflictCode.NOT_YET)
    raise Conflict("letter", f"the letter is {facts.status}, not available", ConflictCode.WRONG_STATE)


def fetch_counts(facts: LetterFacts, now: datetime) -> bool:
    """Whether a fetch now is a new one, or within the debounce of the last."""
    return facts.last_fetched_at is None or now - facts.last_fetched_at >= FETCH_DEBOUNCE


def check_read(facts: LetterFacts) -> None:
    require_available(facts)
    if not facts.fetched:
        raise Conflict(
            "letter", "the letter must be fetched before it is marked as read", ConflictCode.NOT_YET
        )
    if facts.opened:
        raise Conflict("letter", "the letter is read already", ConflictCode.ALREADY_DONE)


def check_confirm(facts: LetterFacts) -> None:
    require_available(facts)
    if not facts.fetched:
        raise Conflict("letter", "the letter must be fetched before it is confirmed", ConflictCode.NOT_YET)
    if facts.confirmed:
        raise Conflict("letter", "the letter is confirmed already", ConflictCode.ALREADY_DONE)


def check_cancel(facts: LetterFacts) -> None:
    if facts.status is ShipmentStatus.CANCELLED:
        raise Conflict("letter", "the letter is cancelled already", ConflictCode.ALREADY_DONE)
    if facts.status not in UNPUBLISHED:
        raise Conflict(
            "letter", f"the letter is {facts.status}: too late to cancel it", ConflictCode.WRONG_STATE
        )


def check_sender_purge(facts: LetterFacts) -> None:
    if facts.status is ShipmentStatus.PURGED:
        raise Conflict("letter", "the letter is purged already", ConflictCode.ALREADY_DONE)
    if facts.status not in _SENDER_PURGEABLE:
        raise Conflict(
            "letter",
            f"the letter is {facts.status}: its sender may purge it only before",
            ConflictCode.WRONG_STATE,
        )


def check_recipient_purge(facts: LetterFacts, *, needs_confirmation: bool) -> None:
    if facts.status is ShipmentStatus.PURGED:
        raise Conflict("letter", "the letter is purged already", ConflictCode.ALREADY_DONE)
    require_available(facts)
    if needs_confirmation and not facts.confirmed:
        raise Conflict("letter", "the letter must be confirmed before it is purged", ConflictCode.NOT_YET)


def check_download(
    facts: LetterFacts,
    document_id: uuid.UUID,
    expires_at: datetime | None,
    now: datetime,
    *,
    attachment_ended: bool = False,
) -> None:
    """``expires_at``: the earliest of the letter's own expiry of the document and that of the
    stand-alone attachment it is; ``attachment_ended``: that attachment was purged or expired."""
    require_available(facts)
    if attachment_ended:
        raise Conflict("document", "the attachment is no longer available", ConflictCode.WRONG_STATE)
    if str(document_id) in facts.expired or (expires_at is not None and expires_at <= now):
        raise Conflict("document", "the document has expired", ConflictCode.WRONG_STATE)

"""The statuses the per-letter actions add: purged ends everything; the recipient's dealings
(fetched, confirmed, downloads, expiry, due-date notes) never move a letter's status."""

from __future__ import annotations

import pytest

from postbud.domain.events import EventType as E
from postbud.domain.status import TERMINAL, ShipmentStatus, derive_status


def test_purged_is_terminal_and_stays_whatever_comes_after() -> None:
    assert ShipmentStatus.PURGED in TERMINAL
    assert derive_status([E.CREATED, E.ROUTED, E.HELD, E.PURGED]) is ShipmentStatus.PURGED
    after = [E.DELIVERED, E.SENT_TO_PRINT, E.PRINTED, E.POSTED, E.OPENED, E.PRINT_FAILED, E.CANCELLED]
    assert derive_status([E.CREATED, E.ROUTED, E.DELIVERED, E.PURGED, *after]) is ShipmentStatus.PURGED


@pytest.mark.parametrize(
    "event",
    [E.FETCHED, E.CONFIRMED, E.ATTACHMENT_DOWNLOADED, E.ATTACHMENT_EXPIRED, E.NEVER_READ, E.NEVER_CONFIRMED],
)
def test_the_recipients_dealings_keep_the_status(event: E) -> None:
    for before in ([E.CREATED, E.ROUTED, E.DELIVERED], [E.CREATED, E.ROUTED, E.DELIVERED, E.OPENED]):
        assert derive_status([*before, event]) is derive_status(before)


def test_a_cancelled_letter_can_be_purged() -> None:
    assert derive_status([E.CREATED, E.ROUTED, E.HELD, E.CANCELLED, E.PURGED]) is ShipmentStatus.PURGED

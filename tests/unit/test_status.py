"""Status is a fold over the append-only event log."""

from __future__ import annotations

from postbud.domain.events import EventType as E
from postbud.domain.status import ShipmentStatus as S
from postbud.domain.status import derive_status


def test_digital_happy_path() -> None:
    assert derive_status([E.CREATED, E.ROUTED, E.DELIVERED]) is S.DELIVERED
    assert derive_status([E.CREATED, E.ROUTED, E.DELIVERED, E.OPENED]) is S.OPENED


def test_print_path() -> None:
    events = [E.CREATED, E.ROUTED, E.SENT_TO_PRINT, E.PRINTED, E.POSTED]
    assert derive_status(events) is S.POSTED


def test_notifications_do_not_change_status() -> None:
    assert derive_status([E.CREATED, E.ROUTED, E.DELIVERED, E.NOTIFICATION_FAILED]) is S.DELIVERED


def test_opened_is_not_undone_by_late_receipts() -> None:
    assert derive_status([E.CREATED, E.DELIVERED, E.OPENED, E.DELIVERED]) is S.OPENED


def test_terminal_states_stick() -> None:
    assert derive_status([E.CREATED, E.NOT_DELIVERED, E.DELIVERED]) is S.NOT_DELIVERED
    assert derive_status([E.CREATED, E.CANCELLED, E.ROUTED]) is S.CANCELLED


def test_failed_print_can_be_retried_into_print() -> None:
    assert derive_status([E.CREATED, E.ROUTED, E.PRINT_FAILED, E.SENT_TO_PRINT]) is S.IN_PRINT


def test_held_letter_is_scheduled() -> None:
    assert derive_status([E.CREATED, E.ROUTED, E.HELD]) is S.SCHEDULED
    assert derive_status([]) is None

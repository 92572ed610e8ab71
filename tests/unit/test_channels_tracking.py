"""Registered letters: UPU S10 tracking numbers (check digit, building, reading) and tracking states."""

from __future__ import annotations

import pytest

from postbud.domain.errors import Conflict, ConflictCode
from postbud.domain.identifiers import InvalidIdentifier
from postbud.domain.identifiers.tracking import s10, s10_check_digit, s10_tracking_number
from postbud.domain.print_layout import TrackingState
from postbud.domain.tracking import check_tracking_step, current_tracking


@pytest.mark.parametrize(
    ("serial", "check"),
    [("47312482", "9"), ("00000000", "5"), ("00000001", "4"), ("12345678", "5")],
)
def test_the_check_digit_follows_the_upu_weights(serial: str, check: str) -> None:
    assert s10_check_digit(serial) == check


def test_a_number_is_built_and_read_back() -> None:
    number = s10_tracking_number(47312482, "gb")
    assert number == "RR473124829GB"
    assert s10(" rr 473 124 829 gb ") == number
    assert s10_tracking_number(1, "SE") == "RR000000014SE"


@pytest.mark.parametrize(
    "bad", ["RR473124828GB", "RR47312482GB", "R1473124829GB", "RR473124829G", "", "RR4731248290GB"]
)
def test_a_wrong_number_is_refused(bad: str) -> None:
    with pytest.raises(InvalidIdentifier):
        s10(bad)


def test_a_serial_out_of_range_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        s10_tracking_number(10**8, "NO")
    with pytest.raises(InvalidIdentifier):
        s10_check_digit("1234567")


def test_tracking_states_go_forward_only() -> None:
    check_tracking_step(TrackingState.REGISTERED, TrackingState.AWAITING_PICKUP)
    check_tracking_step(TrackingState.IN_TRANSIT, TrackingState.RETURNED)
    for current, new, code in [
        (TrackingState.DELIVERED, TrackingState.DELIVERED, ConflictCode.ALREADY_DONE),
        (TrackingState.DELIVERED, TrackingState.RETURNED, ConflictCode.WRONG_STATE),
        (TrackingState.AWAITING_PICKUP, TrackingState.IN_TRANSIT, ConflictCode.WRONG_STATE),
    ]:
        with pytest.raises(Conflict) as caught:
            check_tracking_step(current, new)
        assert caught.value.code is code


def test_the_latest_tracking_data_wins() -> None:
    posted = {"postmarked": "2026-12-04", "tracking": {"number": "RR000000014NO", "state": "registered"}}
    moved = {"tracking": {"number": "RR000000014NO", "state": "in_transit"}}
    assert current_tracking([posted, moved]) == ("RR000000014NO", TrackingState.IN_TRANSIT)
    assert current_tracking([{"postmarked": "2026-12-04"}]) is None

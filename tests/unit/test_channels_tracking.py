"""UPU S10 tracking numbers of registered letters: check digit, building and reading."""

from __future__ import annotations

import pytest

from postbud.domain.identifiers import InvalidIdentifier
from postbud.domain.identifiers.tracking import s10, s10_check_digit, s10_tracking_number


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

"""UPU S10 item identifiers: the tracking numbers of registered letters, such as ``RR123456785NO``."""

from __future__ import annotations

import re

from postbud.domain.identifiers.errors import InvalidIdentifier

_KIND = "tracking number"
_S10 = re.compile(r"(?P<service>[A-Z]{2})(?P<serial>[0-9]{8})(?P<check>[0-9])(?P<country>[A-Z]{2})")
_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
REGISTERED_LETTER = "RR"
"""The service indicator of a registered letter."""


def s10_check_digit(serial: str) -> str:
    """The S10 check digit of an 8-digit serial: weights 8 6 4 2 3 5 9 7, 11 − sum mod 11 (10→0, 11→5)."""
    if len(serial) != len(_WEIGHTS) or not serial.isdigit():
        raise InvalidIdentifier(_KIND, serial, "the serial has 8 digits")
    check = 11 - sum(w * int(d) for w, d in zip(_WEIGHTS, serial, strict=True)) % 11
    return {10: "0", 11: "5"}.get(check, str(check))


def s10_tracking_number(serial: int, country: str, *, service: str = REGISTERED_LETTER) -> str:
    """Build the tracking number for ``serial`` (0 … 99 999 999) posted in ``country``."""
    if not 0 <= serial < 10**8:
        raise InvalidIdentifier(_KIND, str(serial), "the serial is 0 to 99999999")
    digits = f"{serial:08d}"
    return f"{service}{digits}{s10_check_digit(digits)}{country.upper()}"


def s10(value: str) -> str:
    """Validate an S10 tracking number; return it compact and upper case."""
    text = "".join(value.split()).upper()
    match = _S10.fullmatch(text)
    if match is None:
        raise InvalidIdentifier(_KIND, value, "two letters, 8 digits, a check digit and a country code")
    if s10_check_digit(match["serial"]) != match["check"]:
        raise InvalidIdentifier(_KIND, value, "check digit does not match (UPU S10)")
    return text

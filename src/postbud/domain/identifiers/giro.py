"""Swedish payment numbers: OCR references (Bankgirot), Bankgiro and PlusGiro numbers."""

from __future__ import annotations

from stdnum import luhn as _stdnum_luhn

from postbud.domain.identifiers._digits import compact_digits
from postbud.domain.identifiers.errors import InvalidIdentifier

_OCR = "OCR reference"
_BANKGIRO = "bankgiro number"
_PLUSGIRO = "plusgiro number"


def ocr_reference(value: str, *, length_digit: bool = False) -> str:
    """Validate an OCR reference (2–25 digits, Luhn check last); ``length_digit`` also demands the
    second-to-last digit to be the total length mod 10. Returns the digits."""
    number = compact_digits(_OCR, value, separators="", length=(2, 25))
    if not _stdnum_luhn.is_valid(number):
        raise InvalidIdentifier(_OCR, value, "check digit does not match (Luhn)")
    if length_digit and number[-2] != str(len(number) % 10):
        raise InvalidIdentifier(
            _OCR, value, f"length digit {number[-2]} does not match the length {len(number)} (mod 10)"
        )
    return number


def bankgiro(value: str) -> str:
    """Validate a Bankgiro number (7–8 digits, Luhn); return the digits."""
    return _luhn_number(_BANKGIRO, value, length=(7, 8))


def plusgiro(value: str) -> str:
    """Validate a PlusGiro number (2–8 digits, Luhn); return the digits."""
    return _luhn_number(_PLUSGIRO, value, length=(2, 8))


def _luhn_number(kind: str, value: str, *, length: tuple[int, int]) -> str:
    number = compact_digits(kind, value, separators="-", length=length)
    if not _stdnum_luhn.is_valid(number):
        raise InvalidIdentifier(kind, value, "check digit does not match (Luhn)")
    return number

"""Norwegian KID payment references: MOD10 (Luhn) or MOD11, 2–25 characters."""

from __future__ import annotations

import itertools

from stdnum import luhn as _stdnum_luhn

from postbud.domain.identifiers._digits import compact_digits, is_digits
from postbud.domain.identifiers.errors import InvalidIdentifier

_KID = "kid"
_BASE = "KID base"
_MIN_LENGTH = 2
_MAX_LENGTH = 25
# Nets/Mastercard write a hyphen where the MOD11 check would be 10.
_DASH = "-"


def kid(value: str) -> str:
    """Validate a KID; accept it when either MOD10 or MOD11 holds. Returns it without spaces."""
    number = "".join(value.split())
    if not _MIN_LENGTH <= len(number) <= _MAX_LENGTH:
        raise InvalidIdentifier(
            _KID, value, f"must be {_MIN_LENGTH}–{_MAX_LENGTH} characters, got {len(number)}"
        )
    base, check = number[:-1], number[-1]
    if not is_digits(base) or not (check == _DASH or is_digits(check)):
        raise InvalidIdentifier(_KID, value, "may contain only digits, with '-' allowed as the MOD11 check")
    if check == _DASH:
        if mod11_check(base) != _DASH:
            raise InvalidIdentifier(_KID, value, "check character '-' does not match (MOD11)")
    elif not (_stdnum_luhn.is_valid(number) or mod11_check(base) == check):
        raise InvalidIdentifier(_KID, value, "check digit matches neither MOD10 (Luhn) nor MOD11")
    return number


def mod11_check(base: str) -> str:
    """MOD11 check character for a KID base: weights 2–7 cycling from the right; '-' where it would be 10."""
    total = sum(w * int(d) for w, d in zip(itertools.cycle(range(2, 8)), reversed(base), strict=False))
    check = -total % 11
    return _DASH if check == 10 else str(check)


def kid_mod10(base: str) -> str:
    """Return ``base`` with its MOD10 (Luhn) check digit appended."""
    digits = compact_digits(_BASE, base, separators="", length=(_MIN_LENGTH - 1, _MAX_LENGTH - 1))
    return digits + _stdnum_luhn.calc_check_digit(digits)


def kid_mod11(base: str, *, allow_dash: bool = False) -> str:
    """Return ``base`` with its MOD11 check appended; a '-' check is refused unless ``allow_dash``."""
    digits = compact_digits(_BASE, base, separators="", length=(_MIN_LENGTH - 1, _MAX_LENGTH - 1))
    check = mod11_check(digits)
    if check == _DASH and not allow_dash:
        raise InvalidIdentifier(_BASE, base, "MOD11 remainder 1 would need '-' as check character")
    return digits + check

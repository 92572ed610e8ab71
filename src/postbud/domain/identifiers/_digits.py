"""Helpers shared by the digit-based identifiers."""

from __future__ import annotations

import re
from collections.abc import Sequence

from postbud.domain.identifiers.errors import InvalidIdentifier

_ASCII_DIGITS = re.compile(r"[0-9]+")


def is_digits(text: str) -> bool:
    """True for a non-empty string of ASCII digits (``str.isdigit`` also accepts '²' and '٣')."""
    return _ASCII_DIGITS.fullmatch(text) is not None


def compact_digits(kind: str, value: str, *, separators: str, length: int | tuple[int, int]) -> str:
    """Drop whitespace and ``separators``; demand ASCII digits of the given length (or inclusive range)."""
    number = "".join(value.split()).translate(str.maketrans("", "", separators))
    if number and not is_digits(number):
        allowed = " and ".join(repr(s) for s in separators)
        extra = f" (plus spaces and {allowed})" if separators else " (plus spaces)"
        raise InvalidIdentifier(kind, value, f"may contain only digits{extra}")
    low, high = (length, length) if isinstance(length, int) else length
    if not low <= len(number) <= high:
        expected = f"{low}" if low == high else f"{low}–{high}"
        raise InvalidIdentifier(kind, value, f"must be {expected} digits, got {len(number)}")
    return number


def weighted_sum(digits: str, weights: Sequence[int]) -> int:
    """Σ weight·digit, pairing from the left."""
    return sum(w * int(d) for w, d in zip(weights, digits, strict=True))


def mod11_check_digit(base: str, weights: Sequence[int]) -> int | None:
    """11 − (Σ mod 11), where 11 means 0; None where the result would be 10 (such bases are never issued)."""
    check = -weighted_sum(base, weights) % 11
    return None if check == 10 else check

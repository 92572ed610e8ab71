"""Plural forms for bokmål and English: one helper for the web pages, the CLI and the print cover sheet.

Both languages have CLDR's two cardinal categories: *one* for exactly 1 and *other* for everything
else (0, 2, 1.5). In a page text the choice is written in the placeholder's format spec,
``{count} {count:jobb|jobber}`` or ``{count} {count:job waits|jobs wait}``, so each language
carries its own words (and verb agreement) side by side.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

PLURAL_MARK: Final = "|"


def is_one(count: int | float | Decimal | str) -> bool:
    """CLDR's *one* for nb and en: the integer 1 (``1.0`` and ``"1"`` too, not ``1.5``)."""
    try:
        return Decimal(str(count)) == 1
    except ArithmeticError:
        return False


def plural(count: int | float | Decimal | str, one: str, other: str) -> str:
    return one if is_one(count) else other


def counted(count: int | float | Decimal | str, one: str, other: str) -> str:
    """``1 job``, ``2 jobs``, ``0 jobs``."""
    return f"{count} {plural(count, one, other)}"


class _PluralFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        if PLURAL_MARK in format_spec:
            one, _, other = format_spec.partition(PLURAL_MARK)
            return plural(value, one, other)
        return str(super().format_field(value, format_spec))


_FORMATTER: Final = _PluralFormatter()


def format_text(template: str, params: Mapping[str, object]) -> str:
    """``template.format(**params)``, with ``{name:one|other}`` choosing the plural form by ``name``."""
    return _FORMATTER.vformat(template, (), params)

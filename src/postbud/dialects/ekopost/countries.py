"""ISO 3166-1 alpha-2 country codes, and the English and Swedish country names Ekopost also takes."""

from __future__ import annotations

from functools import cache

from babel import Locale

# Territories CLDR knows that are not officially assigned ISO 3166-1 alpha-2 codes.
_NOT_ASSIGNED = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "QO", "UN", "XA", "XB", "XK", "ZZ"}
)


@cache
def _codes() -> frozenset[str]:
    codes = (str(k) for k in Locale("en").territories)
    return frozenset(k for k in codes if len(k) == 2 and k.isalpha() and k not in _NOT_ASSIGNED)


@cache
def _by_name() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in ("en", "sv", "nb"):
        for code, name in Locale(language).territories.items():
            if str(code) in _codes():
                names[str(name).casefold()] = str(code)
    return names


def country_code(value: str) -> str | None:
    """The alpha-2 code of ``value`` (a code in any case, or an English/Swedish/Norwegian name)."""
    text = value.strip()
    if len(text) == 2 and text.upper() in _codes():
        return text.upper()
    return _by_name().get(text.casefold())

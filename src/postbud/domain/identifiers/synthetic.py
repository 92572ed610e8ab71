"""Random but valid identifiers for sandbox data (the ``seed`` command)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Literal

from stdnum import luhn as _stdnum_luhn
from stdnum.no import fodselsnummer as _stdnum_fnr

from postbud.domain.identifiers._digits import mod11_check_digit
from postbud.domain.identifiers.kid import kid_mod10, mod11_check

_ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
_ACCOUNT_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_EARLIEST_BIRTH = dt.date(1940, 1, 1)
_LATEST_BIRTH = dt.date(2024, 12, 31)


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _random_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _individual_numbers(year: int) -> range:
    """The individual-number series (digits 7–9) that encodes ``year``'s century."""
    if 1854 <= year <= 1899:
        return range(500, 750)
    if 1900 <= year <= 1999:
        return range(500)
    if 2000 <= year <= 2039:
        return range(500, 1000)
    raise ValueError(f"no fødselsnummer series for birth year {year} (1854–2039)")


def generate_fodselsnummer(
    rng: random.Random,
    *,
    birth_date: dt.date | None = None,
    d_number: bool = False,
    synthetic: bool = False,
) -> str:
    """A valid fødselsnummer (or D-number) under the current rules, born 1940–2024 unless ``birth_date``.

    ``synthetic`` makes a Tenor test number (month + 80), which can never belong to a real person.
    """
    born = birth_date or _random_date(rng, _EARLIEST_BIRTH, _LATEST_BIRTH)
    series = _individual_numbers(born.year)
    day = born.day + (40 if d_number else 0)
    month = born.month + (80 if synthetic else 0)
    prefix = f"{day:02d}{month:02d}{born.year % 100:02d}"
    while True:
        base = f"{prefix}{rng.choice(series):03d}"
        k1 = _stdnum_fnr.calc_check_digit1(base)
        k2 = _stdnum_fnr.calc_check_digit2(base + k1)
        if len(k1) == 1 and len(k2) == 1:  # "10" marks a base that is never issued
            return base + k1 + k2


def generate_organisasjonsnummer(rng: random.Random) -> str:
    """A valid organisasjonsnummer starting with 8 or 9."""
    while True:
        base = rng.choice("89") + _digits(rng, 7)
        check = mod11_check_digit(base, _ORGNR_WEIGHTS)
        if check is not None:
            return f"{base}{check}"


def generate_norwegian_account(rng: random.Random) -> str:
    """A valid 11-digit kontonummer (MOD11; never the 0000 postgiro bank code)."""
    while True:
        base = rng.choice("123456789") + _digits(rng, 9)
        check = mod11_check_digit(base, _ACCOUNT_WEIGHTS)
        if check is not None:
            return f"{base}{check}"


def generate_swedish_personnummer(rng: random.Random, *, samordningsnummer: bool = False) -> str:
    """A valid personnummer (or samordningsnummer, day + 60), born 1940–2024, as 12 digits."""
    born = _random_date(rng, _EARLIEST_BIRTH, _LATEST_BIRTH)
    day = born.day + (60 if samordningsnummer else 0)
    ten = f"{born.year % 100:02d}{born.month:02d}{day:02d}{_digits(rng, 3)}"
    return f"{born.year // 100}{ten}{_stdnum_luhn.calc_check_digit(ten)}"


def generate_swedish_orgnr(rng: random.Random) -> str:
    """A valid 10-digit organisationsnummer whose third digit is 2 or more (a legal entity)."""
    base = rng.choice("2356789") + _digits(rng, 1) + rng.choice("23456789") + _digits(rng, 6)
    return base + _stdnum_luhn.calc_check_digit(base)


def generate_kid(rng: random.Random, length: int = 10, algorithm: Literal["mod10", "mod11"] = "mod10") -> str:
    """A valid KID of ``length`` digits (2–25), check digit included; MOD11 never yields '-'."""
    if not 2 <= length <= 25:
        raise ValueError(f"KID length must be 2–25, got {length}")
    if algorithm == "mod10":
        return kid_mod10(_digits(rng, length - 1))
    while True:
        base = _digits(rng, length - 1)
        check = mod11_check(base)
        if check != "-":
            return base + check

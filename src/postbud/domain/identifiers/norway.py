"""Norwegian fødselsnummer (with D-, H- and FH-numbers), organisasjonsnummer and kontonummer."""

from __future__ import annotations

import calendar

from stdnum.no import fodselsnummer as _stdnum_fnr
from stdnum.no import kontonr as _stdnum_kontonr
from stdnum.no import orgnr as _stdnum_orgnr

from postbud.domain.identifiers._digits import compact_digits, weighted_sum
from postbud.domain.identifiers.errors import InvalidIdentifier

_FNR = "fodselsnummer"
_ORGNR = "organisasjonsnummer"
_ACCOUNT = "kontonummer"

# K1 checked in its summing form: Σ(weights · d1..d10) mod 11. Until 2031 only remainder 0 is issued;
# Skatteetaten's series from 1 January 2032 also issues remainders 1, 2 and 3, and both must be accepted.
_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_K1_REMAINDERS = frozenset({0, 1, 2, 3})

_D_NUMBER_DAY_OFFSET = 40
_H_NUMBER_MONTH_OFFSET = 40
_SYNTHETIC_MONTH_OFFSET = 80


def fodselsnummer(value: str, *, allow_synthetic: bool = False) -> str:
    """Validate a fødselsnummer, D-number, H-number or FH-number; return the 11 digits.

    ``allow_synthetic`` accepts Tenor test numbers (month + 80). The century is not checked: the 2032
    series no longer encodes it in the individual number.
    """
    number = compact_digits(_FNR, value, separators=".-", length=11)
    if weighted_sum(number[:10], _K1_WEIGHTS) % 11 not in _K1_REMAINDERS:
        raise InvalidIdentifier(_FNR, value, "check digit K1 does not match (MOD11, remainder must be 0–3)")
    if _stdnum_fnr.calc_check_digit2(number[:10]) != number[10]:
        raise InvalidIdentifier(_FNR, value, "check digit K2 does not match (MOD11)")
    _check_birth_date(value, number, allow_synthetic=allow_synthetic)
    return number


def _check_birth_date(value: str, number: str, *, allow_synthetic: bool) -> None:
    if number[0] in "89":
        return  # FH-number: carries no birth date by design.
    day, month, year = int(number[0:2]), int(number[2:4]), int(number[4:6])
    variant = "birth date"
    if number[0] in "4567":
        day -= _D_NUMBER_DAY_OFFSET
        variant = "D-number birth date (day − 40)"
    if month > _SYNTHETIC_MONTH_OFFSET:
        if not allow_synthetic:
            raise InvalidIdentifier(
                _FNR, value, "month + 80 marks a synthetic (Tenor) test number, which is not accepted here"
            )
        month -= _SYNTHETIC_MONTH_OFFSET
        variant = "synthetic birth date (month − 80)"
    elif month > _H_NUMBER_MONTH_OFFSET:
        month -= _H_NUMBER_MONTH_OFFSET
        variant = "H-number birth date (month − 40)"
    if not _is_day_of_year(day, month, year):
        raise InvalidIdentifier(
            _FNR, value, f"{variant} {day:02d}.{month:02d}.{year:02d} is not a real calendar date"
        )


def _is_day_of_year(day: int, month: int, two_digit_year: int) -> bool:
    # 2000 + YY is a leap year exactly when some century would make YY one (2000 is leap), so 29.02.00
    # stays valid whatever century the person was born in.
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(2000 + two_digit_year, month)[1]


def organisasjonsnummer(value: str) -> str:
    """Validate a 9-digit organisasjonsnummer (MOD11); return the 9 digits."""
    number = compact_digits(_ORGNR, value, separators="", length=9)
    if not _stdnum_orgnr.is_valid(number):
        raise InvalidIdentifier(_ORGNR, value, "check digit does not match (MOD11)")
    return number


def norwegian_account(value: str) -> str:
    """Validate an 11-digit kontonummer (MOD11; Luhn for old 0000 postgiro accounts); return the 11 digits."""
    number = compact_digits(_ACCOUNT, value, separators=".", length=11)
    if not _stdnum_kontonr.is_valid(number):
        if number.startswith("0000"):
            raise InvalidIdentifier(
                _ACCOUNT, value, "check digit does not match (Luhn, postgiro bank code 0000)"
            )
        raise InvalidIdentifier(_ACCOUNT, value, "check digit does not match (MOD11)")
    return number

"""Swedish personnummer, samordningsnummer and organisationsnummer."""

from __future__ import annotations

import datetime as dt
import re

from stdnum import luhn as _stdnum_luhn
from stdnum.se import orgnr as _stdnum_orgnr

from postbud.domain.identifiers._digits import compact_digits
from postbud.domain.identifiers.errors import InvalidIdentifier

_PERSON = "personnummer"
_ORGNR = "organisationsnummer"

_PERSONNUMMER = re.compile(r"(?P<century>[0-9]{2})?(?P<date>[0-9]{6})(?P<sep>[-+]?)(?P<serial>[0-9]{4})")
_SAMORDNING_DAY_OFFSET = 60


def swedish_personnummer(value: str, *, today: dt.date | None = None) -> str:
    """Validate a personnummer or samordningsnummer (day + 60); return the 12 digits YYYYMMDDNNNC.

    Ten-digit forms take the century from ``today`` (default: the current date): '-' means under 100
    years old, '+' means 100 or older.
    """
    match = _PERSONNUMMER.fullmatch("".join(value.split()))
    if match is None:
        raise InvalidIdentifier(_PERSON, value, "must be YYMMDD-NNNC, YYMMDD+NNNC or 12 digits YYYYMMDDNNNC")
    date_part, serial = match["date"], match["serial"]
    if not _stdnum_luhn.is_valid(date_part + serial):
        raise InvalidIdentifier(_PERSON, value, "check digit does not match (Luhn over the 10-digit form)")
    if match["century"] is not None:
        year = int(match["century"] + date_part[:2])
    else:
        year = _year_from_two_digits(int(date_part[:2]), centenarian=match["sep"] == "+", today=today)
    month, day = int(date_part[2:4]), int(date_part[4:6])
    variant = "birth date"
    if day > _SAMORDNING_DAY_OFFSET:
        day -= _SAMORDNING_DAY_OFFSET
        variant = "samordningsnummer birth date (day − 60)"
    try:
        dt.date(year, month, day)
    except ValueError:
        raise InvalidIdentifier(
            _PERSON, value, f"{variant} {year:04d}-{month:02d}-{day:02d} is not a real calendar date"
        ) from None
    return f"{year:04d}{date_part[2:]}{serial}"


def _year_from_two_digits(two_digit_year: int, *, centenarian: bool, today: dt.date | None) -> int:
    current = (today or dt.date.today()).year
    # The latest year not after this one that ends in the two digits; '+' moves it back a century.
    year = current - (current - two_digit_year) % 100
    return year - 100 if centenarian else year


def swedish_orgnr(value: str) -> str:
    """Validate a 10-digit organisationsnummer (Luhn); return the 10 digits."""
    number = compact_digits(_ORGNR, value, separators="-", length=10)
    if not _stdnum_orgnr.is_valid(number):
        raise InvalidIdentifier(_ORGNR, value, "check digit does not match (Luhn)")
    return number

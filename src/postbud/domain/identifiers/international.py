"""Cross-border numbers: IBAN and GS1 GLN."""

from __future__ import annotations

import re

from stdnum import ean as _stdnum_ean
from stdnum import iban as _stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError
from stdnum.iso7064 import mod_97_10 as _stdnum_mod_97_10

from postbud.domain.identifiers._digits import compact_digits
from postbud.domain.identifiers.errors import InvalidIdentifier

_IBAN = "IBAN"
_GLN = "GLN"
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")


def iban(value: str) -> str:
    """Validate an IBAN (MOD 97-10, BBAN structure, national check digit); return it compact, upper-case."""
    number = "".join(value.split()).upper()
    if not _IBAN_SHAPE.fullmatch(number):
        raise InvalidIdentifier(
            _IBAN, value, "must be a country code, two check digits and up to 30 letters or digits"
        )
    if not _stdnum_mod_97_10.is_valid(number[4:] + number[:4]):
        raise InvalidIdentifier(_IBAN, value, "check digits do not match (ISO 7064 MOD 97-10)")
    try:
        return _stdnum_iban.validate(number)
    except InvalidComponent:
        raise InvalidIdentifier(_IBAN, value, f"unknown IBAN country {number[:2]}") from None
    except InvalidChecksum:
        raise InvalidIdentifier(
            _IBAN, value, "the national account number's check digit does not match"
        ) from None
    except ValidationError:
        raise InvalidIdentifier(_IBAN, value, f"does not match the {number[:2]} account structure") from None


def gln(value: str) -> str:
    """Validate a 13-digit GS1 Global Location Number; return the digits."""
    number = compact_digits(_GLN, value, separators="", length=13)
    if not _stdnum_ean.is_valid(number):
        raise InvalidIdentifier(_GLN, value, "check digit does not match (GS1 MOD10)")
    return number

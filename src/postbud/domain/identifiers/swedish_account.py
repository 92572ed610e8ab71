"""A Swedish bank account as a payer types it: clearing number, then account number.

The clearing number has four digits from 1100 (Swedbank's 8xxx numbers carry a fifth, check,
digit); the account number behind it has 7 to 10 digits. Each bank has its own check-digit rule for
the account number (Bankgirot's list of account types); those rules are not checked here, only the
shape every one of them shares.
"""

from __future__ import annotations

import random

from postbud.domain.identifiers._digits import compact_digits
from postbud.domain.identifiers.errors import InvalidIdentifier

_ACCOUNT = "Swedish bank account"
LOWEST_CLEARING = 1100


def swedish_bank_account(value: str) -> str:
    """Validate ``clearing-account`` (spaces, dashes, dots and commas allowed); return the digits."""
    number = compact_digits(_ACCOUNT, value, separators="-.,", length=(11, 15))
    if int(number[:4]) < LOWEST_CLEARING:
        raise InvalidIdentifier(
            _ACCOUNT, value, f"the clearing number (first four digits) must be {LOWEST_CLEARING} or more"
        )
    return number


def generate_swedish_bank_account(rng: random.Random) -> str:
    """A Handelsbanken-shaped account (clearing 6xxx and nine digits), valid by the rule above."""
    return f"{rng.randint(6000, 6999)}{rng.randint(0, 10**9 - 1):09d}"

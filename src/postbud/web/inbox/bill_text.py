"""A bill's account numbers and references as a reader of its country writes them.

Norwegian account 1234.56.78903; Bankgiro 5678-1230 (123-4567 with seven digits); PlusGiro
12 34 56-7; a Swedish bank account 6123-123 456 789 (clearing number, then the account number);
IBAN in groups of four. An OCR reference, a KID and a payment message are shown as written: that
is how the payer types them into their bank.
"""

from __future__ import annotations

from postbud.domain.invoices import AccountKind
from postbud.web.formatting import account_text


def _groups(digits: str, size: int, *, from_right: bool) -> list[str]:
    if from_right:
        head = len(digits) % size or size
        return [digits[:head]] + [digits[i : i + size] for i in range(head, len(digits), size)]
    return [digits[i : i + size] for i in range(0, len(digits), size)]


def creditor_account_text(kind: AccountKind, number: str) -> str:
    if kind is AccountKind.BANKGIRO:
        return f"{number[:-4]}-{number[-4:]}"
    if kind is AccountKind.PLUSGIRO:
        return f"{' '.join(_groups(number[:-1], 2, from_right=True))}-{number[-1]}"
    if kind is AccountKind.IBAN:
        return " ".join(_groups(number, 4, from_right=False))
    return account_text(number)


def payer_account_text(currency: str, number: str) -> str:
    """The account a payment was made from: Swedish for SEK, else Norwegian."""
    if currency == "SEK" and len(number) > 4:
        return f"{number[:4]}-{' '.join(_groups(number[4:], 3, from_right=True))}"
    return account_text(number)

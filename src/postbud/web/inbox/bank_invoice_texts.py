"""Texts of a bank e-invoice's card (Ekopost's ebank, Norwegian eFaktura): ``key: (bokmål, English)``."""
# ruff: noqa: E501 — a text reads best on one line, whatever its length.

from __future__ import annotations

from typing import Final

from postbud.web.i18n import Texts

BANK_INVOICE_TEXTS: Final[Texts] = {
    "kind.bank-invoice": ("eFaktura", "E-invoice"),
    "bank.account.norwegian_account": ("Kontonummer", "Account number"),
    "bank.account.bankgiro": ("Bankgiro", "Bankgiro"),
    "bank.account.plusgiro": ("PlusGiro", "PlusGiro"),
    "bank.account.iban": ("IBAN", "IBAN"),
    "bank.reference.kid": ("KID", "KID (payment reference)"),
    "bank.reference.ocr": ("OCR-nummer", "OCR number (payment reference)"),
    "bank.reference.message": ("Melding til mottaker", "Message to the payee"),
    "bank.invoice_number": ("Fakturanummer", "Invoice number"),
    "bank.direct_debit": (
        "Betales automatisk fra kontoen din (AvtaleGiro/Autogiro) på forfallsdatoen. Du trenger ikke gjøre noe.",
        "Paid automatically from your account (AvtaleGiro/Autogiro) on the due date. You need not do anything.",
    ),
    "bank.credit_note": ("Kreditnota: ingenting å betale.", "Credit note: nothing to pay."),
    "bank.no_account": (
        "Fakturaen oppgir ikke hvilken konto den skal betales til, så den kan ikke betales her.",
        "The invoice names no account to pay to, so it cannot be paid here.",
    ),
    "bank.from_account_se": (
        "Betal fra konto (clearingnummer og kontonummer)",
        "Pay from account (clearing number and account number)",
    ),
    "pay.error.from_account_se": (
        "Skriv et svensk kontonummer: clearingnummer (fire siffer, fra 1100) og kontonummer, 11–15 siffer i alt.",
        "Enter a Swedish account number: clearing number (four digits, from 1100) and account number, 11–15 digits in all.",
    ),
}

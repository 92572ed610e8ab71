"""E-invoice formats: the letter says which one it is in; the e-invoice channel carries it as such."""

from __future__ import annotations

from enum import StrEnum


class EInvoiceFormat(StrEnum):
    PEPPOL_BIS_BILLING_3 = "peppol-bis-billing-3.0"
    """EHF / Peppol BIS Billing 3.0 (UBL 2.1, EN 16931): Norway, Sweden and Digipost's PEPPOL."""
    SVEFAKTURA_1 = "svefaktura-1.0"
    SVEFAKTURA_2_INVOICE = "svefaktura-2.0-invoice"
    SVEFAKTURA_2_CREDIT_NOTE = "svefaktura-2.0-creditnote"
    EFAKTURA = "efaktura"
    """Norwegian eFaktura to the payer's online bank."""

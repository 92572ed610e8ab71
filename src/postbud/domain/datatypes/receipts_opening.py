"""`opening-receipt` (the recipient must accept before opening) and its `opening-receipt-accepted`."""

from __future__ import annotations

from typing import ClassVar

from .common import DataTypeBase, String100


class OpeningReceipt(DataTypeBase):
    kind: ClassVar[str] = "opening-receipt"

    group: String100
    """Identifies the group of documents the receipt covers."""


class OpeningReceiptAccepted(DataTypeBase):
    kind: ClassVar[str] = "opening-receipt-accepted"

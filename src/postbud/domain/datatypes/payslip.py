"""`payslip`."""

from __future__ import annotations

from typing import ClassVar

from .common import DataTypeBase, LocalDate, Money


class Payslip(DataTypeBase):
    kind: ClassVar[str] = "payslip"

    payment_date: LocalDate | None = None
    net_amount: Money | None = None

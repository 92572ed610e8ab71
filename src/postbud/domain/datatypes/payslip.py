"""`payslip`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .common import DataTypeBase, LocalDate, Money


class Payslip(DataTypeBase):
    kind: ClassVar[str] = "payslip"

    payment_date: LocalDate | None = Field(default=None, alias="payment-date")
    net_amount: Money | None = Field(default=None, alias="net-amount")

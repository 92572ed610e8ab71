"""`receipt`: a purchase receipt."""

from __future__ import annotations

from typing import ClassVar

from .common import (
    Address,
    Barcode,
    DataTypeBase,
    DatatypeModel,
    Double,
    Int32,
    Language,
    Money,
    String3,
    String25,
    String50,
    String100,
    String150,
    ZonedDateTime,
)


class ForeignCurrencyPayment(DatatypeModel):
    currency_code: String3 | None = None
    amount: Money | None = None
    exchange_rate: Money | None = None
    label: str | None = None


class ReceiptPayment(DatatypeModel):
    payment_type: str | None = None
    card_number: String25 | None = None
    """Masked card number."""
    card_name: str | None = None
    amount: Money | None = None
    currency_code: String3 | None = None
    transaction_id: str | None = None
    foreign_currency_payment: ForeignCurrencyPayment | None = None


class ReceiptLine(DatatypeModel):
    item_name: str | None = None
    item_description: str | None = None
    item_code: str | None = None
    unit: str | None = None
    quantity: Double
    item_price: Money | None = None
    item_vat: Money | None = None
    total_price: Money | None = None
    total_vat: Money | None = None
    discount: Money | None = None
    serial_number: str | None = None
    ean_code: str | None = None


class VatLevel(DatatypeModel):
    gross_amount: Money | None = None
    net_amount: Money | None = None
    vat: Money | None = None
    vat_percent: Money | None = None


class VatDetails(DatatypeModel):
    levels: tuple[VatLevel, ...] = ()
    sum: Money | None = None


class TaxiDetails(DatatypeModel):
    car_plate_number: str | None = None
    license: str | None = None
    org_number_license_holder: str | None = None
    start_time: ZonedDateTime | None = None
    stop_time: ZonedDateTime | None = None
    tips: Money | None = None
    total_meter_price: Money | None = None
    total_distance_before_boarding_in_meters: Int32 | None = None
    total_distance_in_meters: Int32 | None = None
    total_distance_with_passenger_in_meters: Int32 | None = None
    total_time_before_boarding_in_seconds: Int32 | None = None
    total_time_in_seconds: Int32 | None = None
    total_time_with_passenger_in_seconds: Int32 | None = None
    vat: VatDetails | None = None


class ReceiptCustomer(DatatypeModel):
    name: str | None = None
    address: Address | None = None
    phone_number: str | None = None


class ReceiptDelivery(DatatypeModel):
    name: str | None = None
    address: Address | None = None
    terms: str | None = None


class Receipt(DataTypeBase):
    kind: ClassVar[str] = "receipt"

    receipt_id: String50 | None = None
    receipt_number: str | None = None
    purchase_time: ZonedDateTime
    total_price: Money
    total_vat: Money
    currency: String3 | None = None
    """ISO 4217 code, e.g. ``NOK``."""
    cashier: String100 | None = None
    cash_register: String50 | None = None
    merchant_chain: str | None = None
    merchant_name: String150
    merchant_phone_number: str | None = None
    merchant_address: Address | None = None
    orgnumber: str | None = None
    barcode: Barcode | None = None
    payments: tuple[ReceiptPayment, ...] = ()
    items: tuple[ReceiptLine, ...] = ()
    taxi_details: TaxiDetails | None = None
    customer: ReceiptCustomer | None = None
    delivery: ReceiptDelivery | None = None
    order_number: str | None = None
    membership_number: str | None = None
    comment: str | None = None
    language: Language = Language.NB

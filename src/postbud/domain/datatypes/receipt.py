"""`receipt`: a purchase receipt. Several Digipost element names here are camelCase."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .common import (
    Address,
    Barcode,
    DataTypeBase,
    DigipostModel,
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


class ForeignCurrencyPayment(DigipostModel):
    currency_code: String3 | None = Field(default=None, alias="currency-code")
    amount: Money | None = None
    exchange_rate: Money | None = Field(default=None, alias="exchange-rate")
    label: str | None = None


class ReceiptPayment(DigipostModel):
    payment_type: str | None = Field(default=None, alias="type")
    card_number: String25 | None = Field(default=None, alias="card-number")
    """Masked card number."""
    card_name: str | None = Field(default=None, alias="cardName")
    amount: Money | None = None
    currency_code: String3 | None = Field(default=None, alias="currency-code")
    transaction_id: str | None = Field(default=None, alias="transaction-id")
    foreign_currency_payment: ForeignCurrencyPayment | None = Field(
        default=None, alias="foreign-currency-payment"
    )


class ReceiptLine(DigipostModel):
    item_name: str | None = Field(default=None, alias="item-name")
    item_description: str | None = Field(default=None, alias="item-description")
    item_code: str | None = Field(default=None, alias="item-code")
    unit: str | None = None
    quantity: Double
    item_price: Money | None = Field(default=None, alias="item-price")
    item_vat: Money | None = Field(default=None, alias="item-vat")
    total_price: Money | None = Field(default=None, alias="total-price")
    total_vat: Money | None = Field(default=None, alias="total-vat")
    discount: Money | None = None
    serial_number: str | None = Field(default=None, alias="serialNumber")
    ean_code: str | None = Field(default=None, alias="eanCode")


class VatLevel(DigipostModel):
    gross_amount: Money | None = Field(default=None, alias="grossAmount")
    net_amount: Money | None = Field(default=None, alias="netAmount")
    vat: Money | None = None
    vat_percent: Money | None = Field(default=None, alias="vatPercent")


class VatDetails(DigipostModel):
    levels: tuple[VatLevel, ...] = ()
    sum: Money | None = None


class TaxiDetails(DigipostModel):
    car_plate_number: str | None = Field(default=None, alias="carPlateNumber")
    license: str | None = None
    org_number_license_holder: str | None = Field(default=None, alias="orgNumberLicenseHolder")
    start_time: ZonedDateTime | None = Field(default=None, alias="startTime")
    stop_time: ZonedDateTime | None = Field(default=None, alias="stopTime")
    tips: Money | None = None
    total_meter_price: Money | None = Field(default=None, alias="totalMeterPrice")
    total_distance_before_boarding_in_meters: Int32 | None = Field(
        default=None, alias="totalDistanceBeforeBoardingInMeters"
    )
    total_distance_in_meters: Int32 | None = Field(default=None, alias="totalDistanceInMeters")
    total_distance_with_passenger_in_meters: Int32 | None = Field(
        default=None, alias="totalDistanceWithPassengerInMeters"
    )
    total_time_before_boarding_in_seconds: Int32 | None = Field(
        default=None, alias="totalTimeBeforeBoardingInSeconds"
    )
    total_time_in_seconds: Int32 | None = Field(default=None, alias="totalTimeInSeconds")
    total_time_with_passenger_in_seconds: Int32 | None = Field(
        default=None, alias="totalTimeWithPassengerInSeconds"
    )
    vat: VatDetails | None = None


class ReceiptCustomer(DigipostModel):
    name: str | None = None
    address: Address | None = None
    phone_number: str | None = Field(default=None, alias="phoneNumber")


class ReceiptDelivery(DigipostModel):
    name: str | None = None
    address: Address | None = None
    terms: str | None = None


class Receipt(DataTypeBase):
    kind: ClassVar[str] = "receipt"

    receipt_id: String50 | None = Field(default=None, alias="receiptId")
    receipt_number: str | None = Field(default=None, alias="receiptNumber")
    purchase_time: ZonedDateTime = Field(alias="purchaseTime")
    total_price: Money = Field(alias="totalPrice")
    total_vat: Money = Field(alias="totalVat")
    currency: String3 | None = None
    """ISO 4217 code, e.g. ``NOK``."""
    cashier: String100 | None = None
    cash_register: String50 | None = Field(default=None, alias="register")
    merchant_chain: str | None = Field(default=None, alias="merchant-chain")
    merchant_name: String150 = Field(alias="merchant-name")
    merchant_phone_number: str | None = Field(default=None, alias="merchant-phone-number")
    merchant_address: Address | None = Field(default=None, alias="merchant-address")
    orgnumber: str | None = None
    barcode: Barcode | None = None
    payments: tuple[ReceiptPayment, ...] = ()
    items: tuple[ReceiptLine, ...] = ()
    taxi_details: TaxiDetails | None = Field(default=None, alias="taxiDetails")
    customer: ReceiptCustomer | None = None
    delivery: ReceiptDelivery | None = None
    order_number: str | None = Field(default=None, alias="order-number")
    membership_number: str | None = Field(default=None, alias="membership-number")
    comment: str | None = None
    language: Language = Language.NB

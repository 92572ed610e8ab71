"""`pickup-notice` (a parcel waiting at a pickup point) and `pickup-notice-status` (its later status)."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from .common import (
    Address,
    Barcode,
    DataTypeBase,
    DigipostModel,
    Int32,
    Language,
    Money,
    ZonedDateTime,
)
from .external_link import ExternalLink


class PickupStatus(StrEnum):
    READY_FOR_PICKUP = "READY_FOR_PICKUP"
    PICKED_UP = "PICKED_UP"
    RETURNED = "RETURNED"
    UNKNOWN = "UNKNOWN"
    DEVIATION = "DEVIATION"


class PickupTag(StrEnum):
    VARSEL1 = "VARSEL1"
    VARSEL2 = "VARSEL2"
    POSTEN = "POSTEN"


class PickupRecipient(DigipostModel):
    name: str | None = None
    digipost_address: str = Field(alias="digipost-address")
    address: Address | None = None


class PickupSender(DigipostModel):
    name: str | None = None
    reference: str | None = None
    address: Address | None = None


class PickupPlace(DigipostModel):
    name: str
    code: str
    instruction: str
    shelf_location: str | None = Field(default=None, alias="shelf-location")
    address: Address


class PickupPackage(DigipostModel):
    """Dimensions in centimetres, weight in grams."""

    length: Int32 | None = None
    width: Int32 | None = None
    height: Int32 | None = None
    weight: Int32 | None = None


class PickupCost(DigipostModel):
    value_to_be_payed: Money = Field(alias="value-to-be-payed")
    package_value: Money | None = Field(default=None, alias="package-value")
    customs_fee_outlayed: Money | None = Field(default=None, alias="customs-fee-outlayed")
    vas_text: str | None = Field(default=None, alias="vas-text")
    customs_fee: Money | None = Field(default=None, alias="customs-fee")
    customs_fee_outlay_cost: Money | None = Field(default=None, alias="customs-fee-outlay-cost")
    cod_amount: Money | None = Field(default=None, alias="cod-amount")
    cod_fee: Money | None = Field(default=None, alias="cod-fee")


class PickupNotice(DataTypeBase):
    kind: ClassVar[str] = "pickup-notice"

    parcel_id: str = Field(alias="parcel-id")
    parcel_uuid: str | None = Field(default=None, alias="parcel-uuid")
    barcode: Barcode
    product_name: str | None = Field(default=None, alias="product-name")
    arrival_date_time: ZonedDateTime = Field(alias="arrival-date-time")
    return_date_time: ZonedDateTime = Field(alias="return-date-time")
    recipient: PickupRecipient
    sender: PickupSender | None = None
    pickup_place: PickupPlace = Field(alias="pickup-place")
    package: PickupPackage | None = None
    cost: PickupCost | None = None
    extra_information: str | None = Field(default=None, alias="extra-information")
    status: PickupStatus | None = None
    tags: tuple[PickupTag, ...] = ()
    language: Language = Language.NB
    link: ExternalLink | None = None


class PickupNoticeStatus(DataTypeBase):
    kind: ClassVar[str] = "pickup-notice-status"

    status: PickupStatus
    occurrence_datetime: ZonedDateTime | None = Field(default=None, alias="occurrence-datetime")

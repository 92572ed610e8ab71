"""`pickup-notice` (a parcel waiting at a pickup point) and `pickup-notice-status` (its later status)."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from .common import (
    Address,
    Barcode,
    DataTypeBase,
    DatatypeModel,
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


class PickupRecipient(DatatypeModel):
    name: str | None = None
    digipost_address: str
    address: Address | None = None


class PickupSender(DatatypeModel):
    name: str | None = None
    reference: str | None = None
    address: Address | None = None


class PickupPlace(DatatypeModel):
    name: str
    code: str
    instruction: str
    shelf_location: str | None = None
    address: Address


class PickupPackage(DatatypeModel):
    """Dimensions in centimetres, weight in grams."""

    length: Int32 | None = None
    width: Int32 | None = None
    height: Int32 | None = None
    weight: Int32 | None = None


class PickupCost(DatatypeModel):
    value_to_be_payed: Money
    package_value: Money | None = None
    customs_fee_outlayed: Money | None = None
    vas_text: str | None = None
    customs_fee: Money | None = None
    customs_fee_outlay_cost: Money | None = None
    cod_amount: Money | None = None
    cod_fee: Money | None = None


class PickupNotice(DataTypeBase):
    kind: ClassVar[str] = "pickup-notice"

    parcel_id: str
    parcel_uuid: str | None = None
    barcode: Barcode
    product_name: str | None = None
    arrival_date_time: ZonedDateTime
    return_date_time: ZonedDateTime
    recipient: PickupRecipient
    sender: PickupSender | None = None
    pickup_place: PickupPlace
    package: PickupPackage | None = None
    cost: PickupCost | None = None
    extra_information: str | None = None
    status: PickupStatus | None = None
    tags: tuple[PickupTag, ...] = ()
    language: Language = Language.NB
    link: ExternalLink | None = None


class PickupNoticeStatus(DataTypeBase):
    kind: ClassVar[str] = "pickup-notice-status"

    status: PickupStatus
    occurrence_datetime: ZonedDateTime | None = None

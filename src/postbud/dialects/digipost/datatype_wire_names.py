"""Digipost's names for the fields of the domain's datatypes: the element names of `datatypes.xsd`.

The domain names every field in its own words (snake_case); Digipost spells many of them differently
on the wire (``start-time``, ``timeLabel``, ``register``; ``start-time`` is even the name of an
event's list of time intervals). This table is the one place those spellings live: the XML reader
and writer (`datatypes_xml.py`) and the names in the dialect's error messages use it. A field not
listed keeps its own name on the wire (``sum``, ``kid``, ``title``).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pydantic import BaseModel

from postbud.domain.datatypes import (
    Address,
    Appointment,
    Barcode,
    Boligdetaljer,
    CalendarDate,
    Event,
    ExternalLink,
    ForeignCurrencyPayment,
    Heftelse,
    Inkasso,
    Invoice,
    InvoicePayment,
    Payslip,
    Period,
    PickupCost,
    PickupNotice,
    PickupNoticeStatus,
    PickupPlace,
    PickupRecipient,
    Proof,
    ProofHolder,
    Receipt,
    ReceiptCustomer,
    ReceiptLine,
    ReceiptPayment,
    Residence,
    ResidenceAddress,
    ShareDocumentsRequest,
    ShareDocumentsRequestDocumentsShared,
    SignedDocument,
    TaxiDetails,
    TimeInterval,
    ValidPeriod,
    VatLevel,
    VerifiableCredentialNotice,
    YearlyRepeatingPeriod,
)

__all__ = ["WIRE_NAMES", "wire_name"]

WIRE_NAMES: Final[Mapping[type[BaseModel], Mapping[str, str]]] = MappingProxyType(
    {
        Address: {
            "street_address": "street-address",
            "street_address_2": "street-address-2",
            "postal_code": "postal-code",
        },
        Appointment: {
            "start_time": "start-time",
            "end_time": "end-time",
            "arrival_time": "arrival-time",
            "sub_title": "sub-title",
        },
        Barcode: {
            "barcode_value": "barcode-value",
            "barcode_type": "barcode-type",
            "barcode_text": "barcode-text",
            "show_value_in_barcode": "show-value-in-barcode",
        },
        Boligdetaljer: {
            "antall_oppholdsrom": "antall-oppholdsrom",
            "antall_baderom": "antall-baderom",
            "call_to_action": "callToAction",
        },
        CalendarDate: {
            "minute": "min",
            "time_zone": "time-zone",
        },
        Event: {
            "sub_title": "sub-title",
            "time_intervals": "start-time",
            "time_label": "timeLabel",
            "place_label": "placeLabel",
            "barcode_label": "barcodeLabel",
        },
        ExternalLink: {
            "button_text": "button-text",
        },
        ForeignCurrencyPayment: {
            "currency_code": "currency-code",
            "exchange_rate": "exchange-rate",
        },
        Heftelse: {
            "type_pant": "type-pant",
        },
        Inkasso: {
            "due_date": "due-date",
        },
        Invoice: {
            "due_date": "due-date",
            "creditor_account": "creditor-account",
        },
        InvoicePayment: {
            "payment_id": "payment-id",
            "payment_status": "payment-status",
            "payment_time": "payment-time",
            "debtor_account": "debtor-account",
            "debtor_account_name": "debtor-account-name",
            "payment_channel": "payment-channel",
            "payment_bank": "payment-bank",
        },
        Payslip: {
            "payment_date": "payment-date",
            "net_amount": "net-amount",
        },
        Period: {
            "from_time": "from",
            "to_time": "to",
        },
        PickupCost: {
            "value_to_be_payed": "value-to-be-payed",
            "package_value": "package-value",
            "customs_fee_outlayed": "customs-fee-outlayed",
            "vas_text": "vas-text",
            "customs_fee": "customs-fee",
            "customs_fee_outlay_cost": "customs-fee-outlay-cost",
            "cod_amount": "cod-amount",
            "cod_fee": "cod-fee",
        },
        PickupNotice: {
            "parcel_id": "parcel-id",
            "parcel_uuid": "parcel-uuid",
            "product_name": "product-name",
            "arrival_date_time": "arrival-date-time",
            "return_date_time": "return-date-time",
            "pickup_place": "pickup-place",
            "extra_information": "extra-information",
        },
        PickupNoticeStatus: {
            "occurrence_datetime": "occurrence-datetime",
        },
        PickupPlace: {
            "shelf_location": "shelf-location",
        },
        PickupRecipient: {
            "digipost_address": "digipost-address",
        },
        Proof: {
            "authorizer_name": "authorizer-name",
            "background_color": "background-color",
            "issued_time": "issued-time",
            "valid_period": "valid-period",
            "proof_holder": "proof-holder",
            "proof_id_name": "proof-id-name",
            "proof_id_value": "proof-id-value",
            "attributes": "attribute",
        },
        ProofHolder: {
            "social_security_number": "social-security-number",
        },
        Receipt: {
            "receipt_id": "receiptId",
            "receipt_number": "receiptNumber",
            "purchase_time": "purchaseTime",
            "total_price": "totalPrice",
            "total_vat": "totalVat",
            "cash_register": "register",
            "merchant_chain": "merchant-chain",
            "merchant_name": "merchant-name",
            "merchant_phone_number": "merchant-phone-number",
            "merchant_address": "merchant-address",
            "taxi_details": "taxiDetails",
            "order_number": "order-number",
            "membership_number": "membership-number",
        },
        ReceiptCustomer: {
            "phone_number": "phoneNumber",
        },
        ReceiptLine: {
            "item_name": "item-name",
            "item_description": "item-description",
            "item_code": "item-code",
            "item_price": "item-price",
            "item_vat": "item-vat",
            "total_price": "total-price",
            "total_vat": "total-vat",
            "serial_number": "serialNumber",
            "ean_code": "eanCode",
        },
        ReceiptPayment: {
            "payment_type": "type",
            "card_number": "card-number",
            "card_name": "cardName",
            "currency_code": "currency-code",
            "transaction_id": "transaction-id",
            "foreign_currency_payment": "foreign-currency-payment",
        },
        Residence: {
            "external_id": "external-id",
        },
        ResidenceAddress: {
            "unit_number": "unit-number",
            "house_number": "house-number",
            "street_name": "street-name",
            "postal_code": "postal-code",
        },
        ShareDocumentsRequest: {
            "max_share_duration_seconds": "max-share-duration-seconds",
            "allowed_origin_organisation_numbers": "allowed-origin-organisation-numbers",
        },
        ShareDocumentsRequestDocumentsShared: {
            "document_ids": "document-ids",
        },
        SignedDocument: {
            "document_issuer": "document-issuer",
            "document_subject": "document-subject",
            "signing_time": "signing-time",
        },
        TaxiDetails: {
            "car_plate_number": "carPlateNumber",
            "org_number_license_holder": "orgNumberLicenseHolder",
            "start_time": "startTime",
            "stop_time": "stopTime",
            "total_meter_price": "totalMeterPrice",
            "total_distance_before_boarding_in_meters": "totalDistanceBeforeBoardingInMeters",
            "total_distance_in_meters": "totalDistanceInMeters",
            "total_distance_with_passenger_in_meters": "totalDistanceWithPassengerInMeters",
            "total_time_before_boarding_in_seconds": "totalTimeBeforeBoardingInSeconds",
            "total_time_in_seconds": "totalTimeInSeconds",
            "total_time_with_passenger_in_seconds": "totalTimeWithPassengerInSeconds",
        },
        TimeInterval: {
            "start_time": "start-time",
            "end_time": "end-time",
        },
        VerifiableCredentialNotice: {
            "credential_id": "credential-id",
            "valid_from": "valid-from",
            "valid_until": "valid-until",
        },
        ValidPeriod: {
            "yearly_repeating_period": "yearly-repeating-period",
        },
        VatLevel: {
            "gross_amount": "grossAmount",
            "net_amount": "netAmount",
            "vat_percent": "vatPercent",
        },
        YearlyRepeatingPeriod: {
            "start_year": "start-year",
            "end_year": "end-year",
            "from_date": "from",
            "to_date": "to",
        },
    }
)
"""Model → {domain field name → Digipost element name}, for the fields whose names differ."""


def wire_name(model: type[BaseModel], field: str) -> str:
    """The element Digipost names ``field`` of ``model`` by."""
    return WIRE_NAMES.get(model, {}).get(field, field)

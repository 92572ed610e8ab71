"""Outgoing XML: models → v8 elements, checked against the bundled ``api_v8.xsd`` before sending."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from uuid import UUID

from lxml import etree

from postbud.dialects.digipost.datatypes_xml import render_datatype
from postbud.dialects.digipost.schema import validate
from postbud.domain.datatypes import DataType

from .errors import InvalidRequestError
from .message import Document, EmailNotification, Message, SenderOrganization, SmsNotification
from .print_details import ForeignAddress, PrintDetails, PrintRecipient
from .recipients import (
    BankAccountNumber,
    DigipostAddress,
    EmailRecipient,
    IdentificationTarget,
    NameAndAddress,
    OrganisationNumber,
    PeppolAddresses,
    PersonalIdentificationNumber,
    RecipientIdentifier,
)

__all__ = ["V8", "additional_data_xml", "batch_xml", "identification_xml", "message_xml"]

V8 = "http://api.digipost.no/schema/v8"

Value = str | int | bool | datetime | date | UUID | Enum


def _lexical(value: Value) -> str:
    match value:
        case bool():
            return "true" if value else "false"
        case Enum():
            return str(value.value)
        case datetime():
            if value.utcoffset() is None:
                raise InvalidRequestError("INVALID_DATE", [f"{value!r} has no time zone"])
            return value.isoformat()
        case date() | UUID() | int():
            return str(value)
        case str():
            return value
    raise TypeError(f"cannot write {type(value).__name__} as XML text")


def _el(parent: etree._Element, name: str, value: Value | None = None) -> etree._Element:
    child = etree.SubElement(parent, f"{{{V8}}}{name}")
    if value is not None:
        child.text = _lexical(value)
    return child


def _optional(parent: etree._Element, name: str, value: Value | None) -> None:
    if value is not None:
        _el(parent, name, value)


def _root(name: str) -> etree._Element:
    return etree.Element(f"{{{V8}}}{name}", nsmap={None: V8})


def _finish(root: etree._Element) -> bytes:
    problems = validate(root, 8)
    if problems:
        raise InvalidRequestError("SCHEMA_VALIDATION_ERROR", problems)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# ------------------------------------------------------------------------------------ recipients


def _name_and_address(parent: etree._Element, value: NameAndAddress) -> None:
    el = _el(parent, "name-and-address")
    _el(el, "fullname", value.fullname)
    _el(el, "addressline1", value.addressline1)
    _optional(el, "addressline2", value.addressline2)
    _el(el, "postalcode", value.postalcode)
    _el(el, "city", value.city)
    _optional(el, "birth-date", value.birth_date)
    _optional(el, "phone-number", value.phone_number)
    _optional(el, "email-address", value.email_address)


def _identifier(parent: etree._Element, recipient: RecipientIdentifier) -> None:
    match recipient:
        case PersonalIdentificationNumber(value):
            _el(parent, "personal-identification-number", value)
        case OrganisationNumber(value):
            _el(parent, "organisation-number", value)
        case DigipostAddress(value):
            _el(parent, "digipost-address", value)
        case BankAccountNumber(value):
            _el(parent, "bank-account-number", value)
        case NameAndAddress():
            _name_and_address(parent, recipient)
        case EmailRecipient(addresses):
            details = _el(parent, "email-details")
            for address in addresses:
                _el(details, "email-address", address)
        case PeppolAddresses(receiver, sender):
            peppol = _el(parent, "peppol-addresses")
            for role, participant in (("receiver", receiver), ("sender", sender)):
                el = _el(peppol, role)
                _el(el, "schemeID", participant.scheme_id)
                _el(el, "endpointID", participant.endpoint_id)


def _print_recipient(parent: etree._Element, name: str, recipient: PrintRecipient) -> None:
    el = _el(parent, name)
    _el(el, "name", recipient.name)
    address = recipient.address
    if isinstance(address, ForeignAddress):
        foreign = _el(el, "foreign-address")
        _el(foreign, "addressline1", address.addressline1)
        _optional(foreign, "addressline2", address.addressline2)
        _optional(foreign, "addressline3", address.addressline3)
        _optional(foreign, "addressline4", address.addressline4)
        _optional(foreign, "country", address.country)
        _optional(foreign, "country-code", address.country_code)
    else:
        norwegian = _el(el, "norwegian-address")
        _optional(norwegian, "addressline1", address.addressline1)
        _optional(norwegian, "addressline2", address.addressline2)
        _optional(norwegian, "addressline3", address.addressline3)
        _el(norwegian, "zip-code", address.zip_code)
        _el(norwegian, "city", address.city)


def _print_details(parent: etree._Element, details: PrintDetails) -> None:
    el = _el(parent, "print-details")
    _print_recipient(el, "recipient", details.recipient)
    _print_recipient(el, "return-address", details.return_address)
    _optional(el, "color", details.color)
    _optional(el, "nondeliverable-handling", details.nondeliverable_handling)
    if details.print_instructions:
        instructions = _el(el, "print-instructions")
        for instruction in details.print_instructions:
            item = _el(instructions, "print-instruction")
            _el(item, "key", instruction.key)
            _el(item, "value", instruction.value)


# ------------------------------------------------------------------------------------ documents


def _sms(parent: etree._Element, sms: SmsNotification) -> None:
    el = _el(parent, "sms-notification")
    if sms.overrides is not None:
        overrides = _el(el, "overrides")
        _el(overrides, "sms-mobile-number", sms.overrides.mobile_number)
        _el(overrides, "text", sms.overrides.text)
    for moment in sms.at:
        _el(el, "at").set("time", _lexical(moment))
    for hours in sms.after_hours:
        _el(el, "after-hours", hours)


def _email(parent: etree._Element, email: EmailNotification) -> None:
    el = _el(parent, "email-notification")
    _el(el, "email-address", email.email_address)
    _el(el, "subject", email.subject)
    _el(el, "text", email.text)
    for moment in email.at:
        _el(el, "at").set("time", _lexical(moment))


def _data_type(parent: etree._Element, datatype: DataType) -> None:
    _el(parent, "data-type").append(render_datatype(datatype))


def _document(parent: etree._Element, name: str, document: Document) -> None:
    el = _el(parent, name)
    if document.technical_types:
        el.set("technical-type", ",".join(document.technical_types))
    _el(el, "uuid", document.uuid)
    _optional(el, "subject", document.subject)
    _el(el, "file-type", document.file_type)
    _optional(el, "opening-receipt", document.opening_receipt)
    _optional(el, "opened", document.opened)
    if document.sms_notification is not None:
        _sms(el, document.sms_notification)
    if document.email_notification is not None:
        _email(el, document.email_notification)
    _el(el, "authentication-level", document.authentication_level)
    _el(el, "sensitivity-level", document.sensitivity_level)
    if document.encrypted:
        _el(el, "encrypted")
    if document.data_type is not None:
        _data_type(el, document.data_type)


def _sender(parent: etree._Element, sender_id: int | None, organization: SenderOrganization | None) -> None:
    if sender_id is not None:
        _el(parent, "sender-id", sender_id)
    elif organization is not None:
        el = _el(parent, "sender-organization")
        _el(el, "organization-id", organization.organization_id)
        _optional(el, "part-id", organization.part_id)


# ------------------------------------------------------------------------------------ roots


def message_xml(message: Message) -> bytes:
    root = _root("message")
    _optional(root, "message-id", message.message_id)
    _sender(root, message.sender_id, message.sender_organization)
    recipient = _el(root, "recipient")
    if message.recipient is not None:
        _identifier(recipient, message.recipient)
    if message.print_details is not None:
        _print_details(recipient, message.print_details)
    _optional(root, "delivery-time", message.delivery_time)
    _optional(root, "invoice-reference", message.invoice_reference)
    _document(root, "primary-document", message.primary_document)
    for attachment in message.attachments:
        _document(root, "attachment", attachment)
    if message.print_if_unread is not None:
        el = _el(root, "print-if-unread")
        _el(el, "print-if-unread-after", message.print_if_unread.print_if_unread_after)
        _print_details(el, message.print_if_unread.print_details)
    registration = message.request_for_registration
    if registration is not None:
        el = _el(root, "request-for-registration")
        _el(el, "registration-deadline", registration.registration_deadline)
        _optional(el, "phone-number", registration.phone_number)
        _optional(el, "email-address", registration.email_address)
        if registration.print_details is not None:
            _print_details(el, registration.print_details)
    if message.batch is not None:
        _el(_el(root, "batch"), "uuid", message.batch)
    return _finish(root)


def identification_xml(target: IdentificationTarget, *, include_person_alias: bool = False) -> bytes:
    root = _root("identification")
    if include_person_alias:
        root.set("include-personalias-for-digipost-user", "true")
    _identifier(root, target)
    return _finish(root)


def batch_xml(batch_uuid: UUID) -> bytes:
    root = _root("batch")
    _el(root, "uuid", batch_uuid)
    return _finish(root)


def additional_data_xml(
    datatype: DataType, *, sender_id: int | None = None, sender_organization: SenderOrganization | None = None
) -> bytes:
    root = _root("additional-data")
    _data_type(root, datatype)
    _sender(root, sender_id, sender_organization)
    return _finish(root)

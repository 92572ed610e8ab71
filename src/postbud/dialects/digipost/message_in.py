"""Reading a validated Digipost ``message`` into the core's terms. Pure: no I/O.

The XML has already passed the XSD; what is checked here is what the schema cannot say:
identifier check digits, which document parts exist, datatypes, and the core's own rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from postbud.dialects.digipost.datatypes_xml import parse_datatype
from postbud.dialects.digipost.errors import DigipostError, datatype_invalid
from postbud.dialects.digipost.invoice_v7 import with_v7_invoice
from postbud.dialects.digipost.peppol import peppol_participant, require_xml
from postbud.domain.channels import Channel
from postbud.domain.datatypes import DataTypeInvalid, datatype_to_dict
from postbud.domain.documents import AuthenticationLevel, Sensitivity
from postbud.domain.identifiers import (
    InvalidIdentifier,
    PartyId,
    PartyIdKind,
    e164_phone,
    email_address,
    parse_party_id,
)
from postbud.domain.parties import PostalAddress
from postbud.domain.shipments import (
    NondeliverableHandling,
    NotificationRequest,
    PrintInstructions,
    RegistrationRequest,
)
from postbud.services.letters.send_letter import DocumentInput

AUTHENTICATION = {
    "PASSWORD": AuthenticationLevel.PASSWORD,
    "TWO_FACTOR": AuthenticationLevel.TWO_FACTOR,
    "IDPORTEN_3": AuthenticationLevel.IDPORTEN_3,
    "IDPORTEN_4": AuthenticationLevel.IDPORTEN_4,
}
SENSITIVITY = {"NORMAL": Sensitivity.NORMAL, "SENSITIVE": Sensitivity.SENSITIVE}
MIME_OF_FILE_TYPE = {
    "pdf": "application/pdf",
    "html": "text/html",
    "htm": "text/html",
    "xhtml": "application/xhtml+xml",
    "xht": "application/xhtml+xml",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "zip": "application/zip",
    "xml": "application/xml",
    "ehf": "application/xml",
}


@dataclass(frozen=True, slots=True)
class NameAndAddress:
    """A ``name-and-address`` recipient, to be identified before the letter is routed."""

    fullname: str
    addressline1: str
    postal_code: str


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """A Digipost message in core terms, waiting for its sender and batch to be resolved."""

    message_id: str | None
    sender_id: int | None
    sender_organisation: str | None
    recipient: PartyId | None
    mailbox_address: str | None
    recipient_name: str | None
    email_address: str | None
    channels: tuple[Channel, ...]
    documents: tuple[DocumentInput, ...]
    print_instructions: PrintInstructions | None
    print_if_unread_after: datetime | None
    publish_at: datetime | None
    invoice_reference: str | None
    notifications: tuple[NotificationRequest, ...]
    batch_uuid: str | None
    direct_to_print: bool
    registration: RegistrationRequest | None = None
    name_and_address: NameAndAddress | None = None
    encrypted: frozenset[str] = frozenset()
    """The uuids of documents whose content the sender pre-encrypted (CMS), still to be opened."""


class _Reader:
    def __init__(self, namespace: str) -> None:
        self.ns = namespace

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def child(self, el: etree._Element, name: str) -> etree._Element | None:
        # iterchildren filters in C; find() goes through lxml's Python path machinery.
        return next(el.iterchildren(self.q(name)), None)

    def text(self, el: etree._Element | None, name: str) -> str | None:
        if el is None:
            return None
        found = self.child(el, name)
        if found is None or found.text is None:
            return None
        return found.text.strip()

    def children(self, el: etree._Element, name: str) -> list[etree._Element]:
        return list(el.iterchildren(self.q(name)))


def _datetime(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise DigipostError("INVALID_DATE", f"date-time {value!r} needs a UTC offset")
    return parsed


def _print_recipient(r: _Reader, el: etree._Element) -> PostalAddress:
    name = r.text(el, "name") or ""
    norwegian = r.child(el, "norwegian-address")
    if norwegian is not None:
        lines = tuple(
            t for n in ("addressline1", "addressline2", "addressline3") if (t := r.text(norwegian, n))
        )
        return PostalAddress(
            name, lines, r.text(norwegian, "zip-code") or "", r.text(norwegian, "city") or ""
        )
    foreign = r.child(el, "foreign-address")
    assert foreign is not None  # the XSD requires one of the two
    lines = tuple(
        t
        for n in ("addressline1", "addressline2", "addressline3", "addressline4")
        if (t := r.text(foreign, n))
    )
    country = r.text(foreign, "country-code") or r.text(foreign, "country") or ""
    return PostalAddress(name, lines, "", "", country)


def _print_details(r: _Reader, el: etree._Element | None) -> PrintInstructions | None:
    if el is None:
        return None
    recipient = r.child(el, "recipient")
    return_address = r.child(el, "return-address")
    assert recipient is not None
    instructions = tuple(
        (r.text(i, "key") or "", r.text(i, "value") or "")
        for i in el.iterfind(f"{r.q('print-instructions')}/{r.q('print-instruction')}")
    )
    handling = r.text(el, "nondeliverable-handling") or "RETURN_TO_SENDER"
    return PrintInstructions(
        recipient=_print_recipient(r, recipient),
        return_address=_print_recipient(r, return_address) if return_address is not None else None,
        color=(r.text(el, "color") or "MONOCHROME") == "COLORS",
        nondeliverable=NondeliverableHandling.SHRED
        if handling == "SHRED"
        else NondeliverableHandling.RETURN_TO_SENDER,
        instructions=instructions,
    )


def _notifications(r: _Reader, doc: etree._Element, path: str) -> list[NotificationRequest]:
    out: list[NotificationRequest] = []
    sms = r.child(doc, "sms-notification")
    if sms is not None:
        overrides = r.child(sms, "overrides")
        number = r.text(overrides, "sms-mobile-number")
        if number:
            try:
                number = e164_phone(number)
            except InvalidIdentifier as exc:
                raise DigipostError("INVALID_PHONE_NUMBER", f"{path}/sms-notification: {exc.rule}") from exc
        at = tuple(t for a in r.children(sms, "at") if (t := _datetime(a.get("time"))))
        after = tuple(int(a.text) for a in r.children(sms, "after-hours") if a.text)  # xs:int element
        out.append(NotificationRequest(Channel.SMS, number, None, r.text(overrides, "text"), at, after))
    email = r.child(doc, "email-notification")
    if email is not None:
        at = tuple(t for a in r.children(email, "at") if (t := _datetime(a.get("time"))))
        out.append(
            NotificationRequest(
                Channel.EMAIL,
                r.text(email, "email-address"),
                r.text(email, "subject"),
                r.text(email, "text"),
                at,
            )
        )
    return out


def _document(
    r: _Reader, el: etree._Element, path: str, contents: Mapping[str, bytes]
) -> tuple[DocumentInput, list[NotificationRequest]]:
    uuid = r.text(el, "uuid")
    if uuid is None:
        raise DigipostError(
            "VALIDATION_FAILED", f"{path}/uuid is required: it names the document's body part"
        )
    if uuid not in contents:
        raise DigipostError("DOCUMENTS_AND_FILES_MISMATCH", f"no body part has filename {uuid} ({path})")
    file_type = (r.text(el, "file-type") or "").lower()
    subject = r.text(el, "subject")
    if subject is not None and not subject:
        raise DigipostError("MISSING_SUBJECT", f"{path}/subject must not be blank")
    datatype = None
    data_type = r.child(el, "data-type")
    if data_type is not None and len(data_type):
        try:
            datatype = datatype_to_dict(parse_datatype(data_type[0]))
        except DataTypeInvalid as exc:
            raise datatype_invalid(f"{path}/data-type", exc) from exc
    document = DocumentInput(
        content=contents[uuid],
        file_type=file_type,
        mime=MIME_OF_FILE_TYPE.get(file_type, "application/octet-stream"),
        title=subject,
        external_id=uuid,
        authentication=AUTHENTICATION[r.text(el, "authentication-level") or "PASSWORD"],
        sensitivity=SENSITIVITY[r.text(el, "sensitivity-level") or "NORMAL"],
        datatype=datatype,
        opening_receipt=r.child(el, "opening-receipt") is not None,
    )
    return with_v7_invoice(document, el, path), _notifications(r, el, path)


def _registration_phone(raw: str) -> str:
    """Digipost's rule: with +, 00 or 011 it is international; else exactly 8 characters, +47 added."""
    path = "request-for-registration/phone-number"
    number = raw.strip()
    if not number.startswith(("+", "00", "011")):
        if len(number) != 8:
            raise DigipostError(
                "INVALID_PHONE_NUMBER",
                f"{path}: {raw!r} needs a country code (+, 00 or 011) unless it has exactly 8 characters",
            )
        number = "+47" + number
    try:
        return e164_phone(number)
    except InvalidIdentifier as exc:
        raise DigipostError("INVALID_PHONE_NUMBER", f"{path}: {raw!r} {exc.rule}") from exc


def _registration(
    r: _Reader, el: etree._Element | None, recipient: PartyId | None
) -> RegistrationRequest | None:
    if el is None:
        return None
    if recipient is None or recipient.kind is not PartyIdKind.NO_PERSON:
        raise DigipostError(
            "VALIDATION_FAILED",
            "request-for-registration needs a recipient by personal-identification-number",
        )
    deadline = _datetime(r.text(el, "registration-deadline"))
    assert deadline is not None  # the XSD requires it
    phone = r.text(el, "phone-number")
    email = r.text(el, "email-address")
    if email:
        try:
            email = email_address(email)
        except InvalidIdentifier as exc:
            raise DigipostError(
                "INVALID_EMAIL_ADDRESS", f"request-for-registration/email-address: {exc.rule}"
            ) from exc
    return RegistrationRequest(deadline, _registration_phone(phone) if phone else None, email or None)


def _identifier(raw: str, field: str) -> PartyId:
    try:
        return parse_party_id(raw, allow_synthetic=True)
    except InvalidIdentifier as exc:
        raise DigipostError("VALIDATION_FAILED", f"{field}: {exc.rule}") from exc


def _peppol_address(r: _Reader, addresses: etree._Element, role: str) -> PartyId:
    el = r.child(addresses, role)
    return peppol_participant(
        r.text(el, "schemeID"), r.text(el, "endpointID"), f"recipient/peppol-addresses/{role}"
    )


def read_message(root: etree._Element, namespace: str, contents: Mapping[str, bytes]) -> ParsedMessage:
    """Map ``root`` (a schema-valid ``message``) and its body parts (by filename) to core terms."""
    r = _Reader(namespace)
    recipient_el = r.child(root, "recipient")
    assert recipient_el is not None
    recipient: PartyId | None = None
    mailbox_address = recipient_name = email_address = None
    named: NameAndAddress | None = None
    channels: tuple[Channel, ...] = (Channel.DIGITAL_MAILBOX, Channel.BUSINESS_INBOX)
    if (pin := r.text(recipient_el, "personal-identification-number")) is not None:
        recipient = _identifier(pin, "recipient/personal-identification-number")
        if recipient.kind is not PartyIdKind.NO_PERSON:
            raise DigipostError(
                "VALIDATION_FAILED", "recipient/personal-identification-number: not a fødselsnummer"
            )
        channels = (Channel.DIGITAL_MAILBOX,)
    elif (orgnr := r.text(recipient_el, "organisation-number")) is not None:
        recipient = _identifier(orgnr, "recipient/organisation-number")
        channels = (Channel.BUSINESS_INBOX, Channel.DIGITAL_MAILBOX)
    elif (address := r.text(recipient_el, "digipost-address")) is not None:
        mailbox_address = address
        channels = (Channel.DIGITAL_MAILBOX,)
    elif (email := r.child(recipient_el, "email-details")) is not None:
        email_address = r.text(email, "email-address")
        channels = (Channel.EMAIL,)
    elif (name_and_address := r.child(recipient_el, "name-and-address")) is not None:
        recipient_name = r.text(name_and_address, "fullname")
        named = NameAndAddress(
            recipient_name or "",
            r.text(name_and_address, "addressline1") or "",
            r.text(name_and_address, "postalcode") or "",
        )
        channels = ()
    elif (peppol := r.child(recipient_el, "peppol-addresses")) is not None:
        recipient = _peppol_address(r, peppol, "receiver")
        _peppol_address(r, peppol, "sender")  # validated; the sandbox sends nothing on its behalf
        channels = (Channel.EINVOICE,)
    elif r.child(recipient_el, "bank-account-number") is not None:
        raise DigipostError(
            "NOT_APPROVED_FOR_REST_API_USAGE", "recipient by bank account number needs an agreement"
        )
    else:
        channels = ()
    print_instructions = _print_details(r, r.child(recipient_el, "print-details"))
    direct_to_print = not channels and print_instructions is not None
    if not channels and print_instructions is None and recipient_name is None:
        raise DigipostError("MISSING_RECIPIENT", "recipient needs an identifier or print-details")

    documents: list[DocumentInput] = []
    notifications: list[NotificationRequest] = []
    elements = [("primary-document", r.child(root, "primary-document"))]
    elements += [(f"attachment[{i + 1}]", el) for i, el in enumerate(r.children(root, "attachment"))]
    for path, el in elements:
        assert el is not None
        document, notes = _document(r, el, path, contents)
        documents.append(document)
        notifications.extend(notes)
    if channels == (Channel.EINVOICE,):
        require_xml(documents, [path for path, _ in elements])
    ids = [d.external_id for d in documents]
    if len(set(ids)) != len(ids):
        raise DigipostError("DUPLICATE_DOCUMENT_ID", "two documents in the message share a uuid")

    print_if_unread = r.child(root, "print-if-unread")
    print_if_unread_after = None
    if print_if_unread is not None:
        print_if_unread_after = _datetime(r.text(print_if_unread, "print-if-unread-after"))
        print_instructions = print_instructions or _print_details(
            r, r.child(print_if_unread, "print-details")
        )
    registration_el = r.child(root, "request-for-registration")
    registration = _registration(r, registration_el, recipient)
    if registration_el is not None:  # printed by these details if the person does not register in time
        print_instructions = print_instructions or _print_details(
            r, r.child(registration_el, "print-details")
        )
    batch = r.child(root, "batch")
    sender_org = r.child(root, "sender-organization")
    sender_id_text = r.text(root, "sender-id")
    return ParsedMessage(
        message_id=r.text(root, "message-id"),
        sender_id=int(sender_id_text) if sender_id_text else None,
        sender_organisation=r.text(sender_org, "organization-id") if sender_org is not None else None,
        recipient=recipient,
        mailbox_address=mailbox_address,
        recipient_name=recipient_name,
        email_address=email_address,
        channels=channels,
        documents=tuple(documents),
        print_instructions=print_instructions,
        print_if_unread_after=print_if_unread_after,
        publish_at=_datetime(r.text(root, "delivery-time")),
        invoice_reference=r.text(root, "invoice-reference"),
        notifications=tuple(notifications),
        batch_uuid=r.text(batch, "uuid") if batch is not None else None,
        direct_to_print=direct_to_print,
        registration=registration,
        name_and_address=named,
        encrypted=frozenset(
            r.text(el, "uuid") or ""
            for _, el in elements
            if el is not None and r.child(el, "encrypted") is not None
        ),
    )

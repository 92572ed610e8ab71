"""Ekopost's address objects (``$type`` postal, email, einbox, einbox_kivra, …) read into what the
core routes by: the channels allowed, the recipient, print instructions, the mailbox provider.

Pure: no I/O. ``$type`` may stand anywhere in the object when reading (JSON objects have no order
once parsed); a missing address, or ``null``, is postal, whose address is then read from the PDF.
Each address is echoed back as Postbud understood it, ``$type`` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postbud.dialects.ekopost.countries import country_code
from postbud.dialects.ekopost.envelope_address import (
    ADDRESS_TYPES,
    ALIASES,
    EBANK,
    EINBOX,
    EINBOX_SIGNER,
    EINVOICE,
    EMAIL,
    KIVRA_TYPES,
    LOOKUP,
    MASTERCARD,
    MAX_TEXT,
    NOT_YET,
    POSTAL,
    PROTECTED,
    REK_POSTAL_CODE,
    REK_ROW_LIMIT,
    EnvelopeAddress,
    recipient_id,
)
from postbud.dialects.ekopost.errors import EkopostError, invalid, not_implemented
from postbud.dialects.ekopost.invoice_addresses import invoice_address
from postbud.dialects.ekopost.signer import signer_address
from postbud.dialects.ekopost.wire_in import boolean, lines, text
from postbud.domain.channels import Channel
from postbud.domain.identifiers import InvalidIdentifier
from postbud.domain.identifiers.contact import email_address
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.parties import PostalAddress

__all__ = ["ADDRESS_TYPES", "POSTAL", "PROTECTED", "EnvelopeAddress", "parse_address", "recipient_id"]


def _type_of(raw: Mapping[str, Any]) -> str:
    value = raw.get("$type", POSTAL)
    if not isinstance(value, str):
        raise invalid("address.$type", "must be a string")
    name = value.strip().lower()
    name = ALIASES.get(name.replace("_", ""), name)
    if name not in ADDRESS_TYPES:
        raise invalid("address.$type", f"unknown type {value!r}; one of {', '.join(ADDRESS_TYPES)}")
    return name


def parse_address(raw: object, *, rek: bool) -> EnvelopeAddress:
    """Read an envelope's ``address``; ``rek``: registered post, whose rows have stricter limits."""
    if raw is None or raw == {} or raw == []:
        return EnvelopeAddress(POSTAL, {"$type": POSTAL, "use_coverpage": False})
    if not isinstance(raw, Mapping):
        raise invalid("address", "must be an address object with a $type")
    kind = _type_of(raw)
    if kind in NOT_YET:
        raise not_implemented(f"the address type {kind!r}")
    if kind == EINBOX_SIGNER:
        return signer_address(raw)
    if kind == POSTAL:
        return _postal(raw, rek=rek)
    if kind == EMAIL:
        return _email(raw)
    if kind in {EINVOICE, EBANK, MASTERCARD, LOOKUP}:
        return invoice_address(raw, kind)
    if kind == PROTECTED:
        return _protected(raw)
    return _einbox(raw, kind)


def _postal(raw: Mapping[str, Any], *, rek: bool) -> EnvelopeAddress:
    where = "address."
    names = lines(raw, "name", where=where)
    streets = lines(raw, "street", where=where)
    postal_code = text(raw, "postal_code", max_length=20, where=where) or ""
    city = text(raw, "city", max_length=100, where=where) or ""
    country_raw = text(raw, "country", max_length=100, where=where)
    cover_page = boolean(raw, "use_coverpage", where=where)
    country = ""
    if country_raw is not None:
        code = country_code(country_raw)
        if code is None:
            raise EkopostError("112", f"address.country: {country_raw!r} is not an ISO 3166-1 alpha-2 code")
        country = code
    if rek:
        _check_rek(names, streets, postal_code)
    wire: dict[str, Any] = {
        "$type": POSTAL,
        "name": list(names),
        "street": list(streets),
        "postal_code": postal_code or None,
        "city": city or None,
        "country": country or None,
        "use_coverpage": cover_page,
    }
    complete = bool(names and streets and postal_code and city)
    given = bool(names or streets or postal_code or city)
    if cover_page and not (names and postal_code and city):
        raise EkopostError(
            "135", "address: use_coverpage needs at least name, postal_code and city to print the cover page"
        )
    warnings = () if complete or not given else ("The postal address is incomplete; an extra cost is added.",)
    postal = None
    if names and postal_code and city:
        postal = PostalAddress(names[0], (*names[1:], *streets), postal_code, city, country)
    return EnvelopeAddress(POSTAL, wire, postal=postal, cover_page=cover_page, warnings=warnings)


def _check_rek(names: tuple[str, ...], streets: tuple[str, ...], postal_code: str) -> None:
    for key, rows in (("name", names), ("street", streets)):
        for index, row in enumerate(rows):
            if len(row) > REK_ROW_LIMIT:
                raise EkopostError(
                    "135",
                    f"address.{key}[{index}]: {key.capitalize()} too long (max {REK_ROW_LIMIT} characters) "
                    "for registered post (rek)",
                )
    if postal_code and not REK_POSTAL_CODE.match(postal_code):
        raise EkopostError(
            "135", "address.postal_code: registered post (rek) takes five digits only (spaces allowed)"
        )


def _protected(raw: Mapping[str, Any]) -> EnvelopeAddress:
    """A recipient with a protected identity: printed, showing only their number, never an address."""
    shown = text(raw, "recipient", max_length=40, where="address.")
    if shown is None:
        raise EkopostError("119", "address.recipient: the recipient's social security number is required")
    recipient_id(shown, "address.recipient")
    cover_page = boolean(raw, "use_coverpage", where="address.")
    wire = {"$type": PROTECTED, "recipient": shown, "use_coverpage": cover_page}
    return EnvelopeAddress(PROTECTED, wire, cover_page=cover_page, protected_identifier=shown)


def _email(raw: Mapping[str, Any]) -> EnvelopeAddress:
    where = "address."
    # The seed names the e-mail field "subject" twice; the clients send the address as "email".
    value = next(
        (v for k in ("email", "recipient", "to") if (v := text(raw, k, max_length=254, where=where))), None
    )
    subject = text(raw, "subject", max_length=255, where=where)
    if value is None:
        raise EkopostError("120", "address.email: an e-mail address is required for $type 'email'")
    try:
        normalised = email_address(value)
    except InvalidIdentifier as exc:
        raise EkopostError("123", f"address.email: {exc.rule}") from None
    wire = {"$type": EMAIL, "subject": subject, "email": normalised}
    return EnvelopeAddress(EMAIL, wire, (Channel.EMAIL,), email=normalised, subject=subject)


def _einbox(raw: Mapping[str, Any], kind: str) -> EnvelopeAddress:
    where = "address."
    recipient_raw = text(raw, "recipient", max_length=40, where=where)
    if recipient_raw is None:
        raise EkopostError("119", f"address.recipient: required for $type {kind!r}")
    recipient = recipient_id(recipient_raw, "address.recipient")
    subject = text(raw, "subject", max_length=255, where=where)
    template = text(raw, "template", max_length=100, where=where)
    if template is not None:
        raise invalid("address.template", f"no template {template!r} is stored for this customer")
    wire: dict[str, Any] = {"$type": kind, "recipient": recipient_raw, "subject": subject}
    sender_id = text(raw, "sender_id", max_length=100, where=where)
    if sender_id is not None:
        wire["sender_id"] = sender_id
    message = None
    if kind == EINBOX:
        message = text(raw, "content", max_length=MAX_TEXT, where=where)
        wire["content"] = message
        providers = (MailboxProvider.POSTBUD,)
    else:
        wire["kivra_type"] = _kivra_type(raw.get("kivra_type"))
        providers = (MailboxProvider.KIVRA,)
    return EnvelopeAddress(
        kind,
        wire,
        (Channel.DIGITAL_MAILBOX,),
        recipient=recipient,
        subject=subject,
        message=message,
        providers=providers,
    )


def _kivra_type(value: object) -> int:
    if value is None or value == "":
        return 0
    if isinstance(value, str):
        named = {v: k for k, v in KIVRA_TYPES.items()}.get(value.strip().lower())
        if named is not None:
            return named
        value = int(value) if value.strip().isdigit() else value
    if isinstance(value, int) and not isinstance(value, bool) and value in KIVRA_TYPES:
        return value
    raise invalid("address.kivra_type", "one of 0 (letter), 1 (invoice), 2 (salary), 3 (booking)")

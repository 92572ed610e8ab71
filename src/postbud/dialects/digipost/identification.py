"""POST /identification and /identification/with-encryption-key: what would a letter to this
recipient do?

The answer comes from the core party registry and predicts the send path exactly:

- ``DIGIPOST``: a letter to this identifier is delivered digitally (with the recipient's
  ``digipost-address`` when it has one, and a ``person-alias`` when the request asks for it);
- ``IDENTIFIED``: the recipient is known but a letter would not be delivered digitally; persons
  get a ``person-alias`` (an HMAC of the identifier, never the identifier itself);
- ``UNIDENTIFIED``: ``NOT_FOUND``, or ``MULTIPLE_MATCHES`` for a name and address that fits more
  than one recipient;
- ``INVALID``: the identifier fails its check digits (``INVALID_PERSONAL_IDENTIFICATION_NUMBER``,
  ``INVALID_ORGANISATION_NUMBER`` — the latter only for organisation numbers, since the Java
  client's enum lacks it) or cannot be checked at all (``UNKNOWN``).

Reserved recipients are ``IDENTIFIED``, not ``DIGIPOST``. A reservation in the contact register
hides the mailbox from public senders, and Postbud's routing honours it for every sender unless
the letter says to ignore it, so a send by identifier would not reach the mailbox. A client that
identifies first and then picks digital or print must be told what the send will do; answering
``DIGIPOST`` would make it skip print and then get ``UNKNOWN_RECIPIENT``. For the same reason
the reserved are never searchable (see ``search``).

With the encryption key, a ``DIGIPOST`` result carries the recipient's public key (made on first
request); a send whose documents were pre-encrypted with it is opened with its private half
(``preencrypted``).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from starlette.requests import Request
from starlette.responses import Response

from postbud.dialects.digipost.context import DigipostDialect
from postbud.dialects.digipost.person_alias import alias_secret, person_alias
from postbud.dialects.digipost.request_in import authenticated_xml
from postbud.dialects.digipost.responses import signed, xml_bytes
from postbud.dialects.digipost.schema import namespace
from postbud.domain.channels import Channel
from postbud.domain.identifiers import (
    InvalidIdentifier,
    PartyId,
    PartyIdKind,
    fodselsnummer,
    norwegian_account,
    organisasjonsnummer,
)
from postbud.domain.parties import PartyKind, Recipient
from postbud.domain.recipient_keys import RecipientKey
from postbud.domain.routing import RoutingRequest, decide_route
from postbud.services.inbox.recipient_keys import encryption_key_for
from postbud.services.runtime import Runtime

V8 = namespace(8)
# The channels the send path allows for each kind of identifier (see message_in.read_message).
_PERSON_CHANNELS = (Channel.DIGITAL_MAILBOX,)
_ORGANISATION_CHANNELS = (Channel.BUSINESS_INBOX, Channel.DIGITAL_MAILBOX)
_NAME_MATCH_LIMIT = 20
_XSD_TRUE = {"true", "1"}


@dataclass(frozen=True, slots=True)
class Lookup:
    """The registry's answer before it is put in Digipost's terms."""

    recipient: Recipient | None = None
    channels: tuple[Channel, ...] = _PERSON_CHANNELS
    invalid_reason: str | None = None
    multiple: bool = False


def _q(name: str) -> str:
    return f"{{{V8}}}{name}"


def _text(el: etree._Element, name: str) -> str:
    return (el.findtext(_q(name)) or "").strip()


def _single(matches: list[Recipient], addressline: str) -> Lookup:
    if len(matches) > 1:
        same_street = [
            m
            for m in matches
            if (address := m.capabilities.postal_address) is not None
            and address.lines
            and address.lines[0].casefold() == addressline.casefold()
        ]
        matches = same_street if same_street else matches
    if len(matches) > 1:
        return Lookup(multiple=True)
    return Lookup(matches[0] if matches else None)


async def lookup(runtime: Runtime, identification: etree._Element) -> Lookup:
    """Find the recipient an (XSD-valid) ``identification`` names."""
    chosen = identification[0]
    kind = etree.QName(chosen).localname
    value = (chosen.text or "").strip()
    async with runtime.reader() as uow:
        if kind == "personal-identification-number":
            try:
                party = PartyId(PartyIdKind.NO_PERSON, fodselsnummer(value, allow_synthetic=True))
            except InvalidIdentifier:
                return Lookup(invalid_reason="INVALID_PERSONAL_IDENTIFICATION_NUMBER")
            return Lookup(await uow.recipients.by_party_id(party))
        if kind == "organisation-number":
            try:
                party = PartyId(PartyIdKind.NO_ORGANISATION, organisasjonsnummer(value))
            except InvalidIdentifier:
                return Lookup(invalid_reason="INVALID_ORGANISATION_NUMBER")
            return Lookup(await uow.recipients.by_party_id(party), _ORGANISATION_CHANNELS)
        if kind == "digipost-address":
            return Lookup(await uow.recipients.by_mailbox_address(value))
        if kind == "name-and-address":
            return await by_name_and_address(
                runtime, _text(chosen, "fullname"), _text(chosen, "postalcode"), _text(chosen, "addressline1")
            )
    # bank-account-number: the registry knows no accounts, so a valid one is simply not found.
    try:
        norwegian_account(value)
    except InvalidIdentifier:
        return Lookup(invalid_reason="UNKNOWN")
    return Lookup()


async def by_name_and_address(runtime: Runtime, fullname: str, postal_code: str, addressline1: str) -> Lookup:
    """The one recipient with this name at this postal code (the street tells several apart); a send
    to a ``name-and-address`` goes where identification of it points."""
    name = " ".join(fullname.split())
    async with runtime.reader() as uow:
        matches = await uow.recipients.by_name_and_postal_code(name, postal_code, limit=_NAME_MATCH_LIMIT)
    found = _single(matches, addressline1)
    if found.recipient is not None and found.recipient.kind is PartyKind.ORGANISATION:
        return Lookup(found.recipient, _ORGANISATION_CHANNELS)
    return found


def is_digital(found: Lookup) -> bool:
    """Would a letter to this identifier be delivered digitally?"""
    if found.recipient is None:
        return False
    return decide_route(RoutingRequest(channels=found.channels), found.recipient).channel is not None


def identification_result(found: Lookup, *, secret: bytes, include_alias: bool) -> etree._Element:
    root = etree.Element(_q("identification-result"), nsmap={None: V8})

    def add(name: str, text: str) -> None:
        etree.SubElement(root, _q(name)).text = text

    recipient = found.recipient
    if found.invalid_reason is not None:
        add("result", "INVALID")
        add("invalid-reason", found.invalid_reason)
    elif recipient is None:
        add("result", "UNIDENTIFIED")
        add("unidentified-reason", "MULTIPLE_MATCHES" if found.multiple else "NOT_FOUND")
    else:
        alias = person_alias(secret, recipient.party_id) if recipient.kind is PartyKind.PERSON else None
        if is_digital(found):
            add("result", "DIGIPOST")
            if recipient.capabilities.mailbox_address:
                add("digipost-address", recipient.capabilities.mailbox_address)
            if include_alias and alias is not None:
                add("person-alias", alias)
        else:
            add("result", "IDENTIFIED")
            if alias is not None:
                add("person-alias", alias)
    return root


def _with_encryption_key(result: etree._Element, key: RecipientKey | None) -> etree._Element:
    root = etree.Element(_q("identification-result-with-encryption-key"), nsmap={None: V8})
    root.append(result)
    if key is not None:
        element = etree.SubElement(root, _q("encryption-key"))
        element.set("key-id", key.key_id)
        element.text = key.public_key_pem
    return root


async def _identify(dialect: DigipostDialect, request: Request, *, with_key: bool) -> Response:
    _, identification = await authenticated_xml(dialect, request, "identification")
    runtime = dialect.runtime
    include_alias = identification.get("include-personalias-for-digipost-user", "").strip() in _XSD_TRUE
    found = await lookup(runtime, identification)
    secret = alias_secret(runtime.settings.ensure_data_dir() / "keys")
    result = identification_result(found, secret=secret, include_alias=include_alias)
    if not with_key:
        return signed(dialect, request, xml_bytes(result))
    key = None
    if found.recipient is not None and is_digital(found):
        key = await encryption_key_for(runtime, found.recipient.id)
    return signed(dialect, request, xml_bytes(_with_encryption_key(result, key)))


async def identify_recipient(dialect: DigipostDialect, request: Request) -> Response:
    return await _identify(dialect, request, with_key=False)


async def identify_recipient_with_encryption_key(dialect: DigipostDialect, request: Request) -> Response:
    return await _identify(dialect, request, with_key=True)

"""What an envelope's address object means to the core: its types, and the value the parsers make."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from postbud.dialects.ekopost.errors import EkopostError
from postbud.domain.channels import Channel
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.identifiers import InvalidIdentifier, PartyId, parse_party_id
from postbud.domain.invoices import InvoiceDetails
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.parties import PostalAddress

POSTAL, EMAIL, EINBOX, EINBOX_KIVRA = "postal", "email", "einbox", "einbox_kivra"
EINBOX_SIGNER, EINVOICE, LOOKUP, EBANK = "einbox_signer", "einvoice", "lookup", "ebank"
PROTECTED, MASTERCARD = "protected", "einvoice_mastercard"
ADDRESS_TYPES: Final = (
    POSTAL, EMAIL, EINBOX, EINBOX_KIVRA, EINBOX_SIGNER, EINVOICE, LOOKUP, EBANK, PROTECTED, MASTERCARD,
)  # fmt: skip
ALIASES: Final = {"einboxkivra": EINBOX_KIVRA, "mastercard": MASTERCARD, "einboxsigner": EINBOX_SIGNER}
NOT_YET: Final[frozenset[str]] = frozenset()
"""Address types Postbud does not route yet (501, listed in docs/dialects/ekopost.md)."""

REK_ROW_LIMIT: Final = 35
REK_POSTAL_CODE: Final = re.compile(r"^\d(?:\s*\d){4}$")
KIVRA_TYPES: Final = {0: "letter", 1: "invoice", 2: "salary", 3: "booking"}
MAX_TEXT: Final = 4000


@dataclass(frozen=True, slots=True)
class EnvelopeAddress:
    """Where an envelope goes, as the core routes it."""

    type: str
    wire: dict[str, Any]
    """The address as Postbud echoes it: ``$type`` first, then the fields it read."""
    channels: tuple[Channel, ...] = ()
    """Digital channels to try first; print comes last when the envelope has a postal address."""
    recipient: PartyId | None = None
    postal: PostalAddress | None = None
    """The address written in the request (postal); None: read from the PDF's window."""
    cover_page: bool = False
    email: str | None = None
    subject: str | None = None
    message: str | None = None
    """Shown as the letter's text in the inbox (einbox ``content``)."""
    providers: tuple[MailboxProvider, ...] = (MailboxProvider.POSTBUD,)
    warnings: tuple[str, ...] = field(default=())
    einvoice_format: EInvoiceFormat | None = None
    invoice: InvoiceDetails | None = None
    needs_markup: bool = False
    """The envelope's invoice travels as XML markup (einvoice): closing it needs one (100B)."""
    protected_identifier: str | None = None
    """A protected identity: all the envelope may show of the recipient (no address, ever)."""

    @property
    def is_postal(self) -> bool:
        return self.type == POSTAL


def recipient_id(value: str, field: str) -> PartyId:
    """A social security (or organisation) number: Swedish or Norwegian, with or without century."""
    compact = value.strip()
    try:
        return parse_party_id(compact)
    except InvalidIdentifier as first:
        digits = compact.replace("-", "").replace(" ", "").replace("+", "")
        if digits.isdigit() and len(digits) == 10:
            try:
                return parse_party_id("se:" + compact)
            except InvalidIdentifier:
                pass
        raise EkopostError("139", f"{field}: {first.rule}") from None

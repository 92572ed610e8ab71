"""What ``postbud recipients add`` was given, applied to the recipient already registered under that id.

An option left out (``None``) keeps what is stored; an empty text removes an e-mail, mobile or address.
Without a stored recipient, what is left out takes its default, and a name is required.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from postbud.domain.parties import PostalAddress, Recipient
    from postbud.services.parties.recipients import RecipientInput


def _address_text(address: PostalAddress | None) -> str | None:
    if address is None:
        return None
    return "|".join([*address.lines, address.postal_code, address.city])


def _kept(given: str | None, stored: str | None) -> str | None:
    return stored if given is None else (given or None)


@dataclass(frozen=True, slots=True)
class Given:
    name: str | None = None
    mailbox: bool | None = None
    reserved: bool | None = None
    email: str | None = None
    mobile: str | None = None
    address: str | None = None
    business_inbox: bool | None = None
    kivra: bool | None = None
    country: str | None = None
    ebank: bool | None = None

    def applied_to(self, identifier: str, existing: Recipient | None) -> RecipientInput:
        from postbud.domain.errors import FieldError, RuleCode, ValidationFailed
        from postbud.domain.parties import PartyKind
        from postbud.services.parties.recipients import RecipientInput

        if existing is None:
            if self.name is None:
                raise ValidationFailed(
                    FieldError("name", "required for a new recipient (--name)", RuleCode.REQUIRED)
                )
            return RecipientInput(
                id=identifier,
                name=self.name,
                mailbox=bool(self.mailbox),
                reserved=bool(self.reserved),
                email=self.email or None,
                mobile=self.mobile or None,
                address=self.address or None,
                business_inbox=bool(self.business_inbox),
                kivra=bool(self.kivra),
                ebank=bool(self.ebank),
                country=self.country,
            )
        caps = existing.capabilities
        person = existing.kind is PartyKind.PERSON
        stored_address = caps.postal_address
        return RecipientInput(
            id=identifier,
            name=existing.name if self.name is None else self.name,
            mailbox=(caps.digital_mailbox if person else caps.business_inbox)
            if self.mailbox is None
            else self.mailbox,
            reserved=caps.reserved if self.reserved is None else self.reserved,
            email=_kept(self.email, caps.email),
            mobile=_kept(self.mobile, caps.mobile),
            address=_kept(self.address, _address_text(stored_address)),
            mailbox_address=caps.mailbox_address,
            business_inbox=(caps.business_inbox and person)
            if self.business_inbox is None
            else self.business_inbox,
            kivra=caps.kivra if self.kivra is None else self.kivra,
            ebank=caps.ebank if self.ebank is None else self.ebank,
            country=self.country or (stored_address.country if stored_address else None),
        )

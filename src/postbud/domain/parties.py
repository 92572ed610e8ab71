"""Parties: the people and organisations letters go to, and the senders they come from."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from postbud.domain.identifiers import PartyId, PartyIdKind
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.regional import Regional


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


PERSON_KINDS = frozenset({PartyIdKind.NO_PERSON, PartyIdKind.SE_PERSON})


@dataclass(frozen=True, slots=True)
class PostalAddress:
    """An address printable on an envelope. ``lines`` are the street lines, without name."""

    name: str
    lines: tuple[str, ...]
    postal_code: str
    city: str
    country: str = ""
    """ISO 3166-1 alpha-2; empty: the deployment's country (``Regional.country``)."""

    def as_text(self) -> str:
        return "\n".join([self.name, *self.lines, f"{self.postal_code} {self.city}", self.country])


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a recipient can receive, as the contact registers and mailbox providers would say."""

    digital_mailbox: bool = False
    mailbox_address: str | None = None
    reserved: bool = False
    business_inbox: bool = False
    email: str | None = None
    mobile: str | None = None
    postal_address: PostalAddress | None = None
    einvoice: bool = False
    ebank: bool = False
    kivra: bool = False
    """A Kivra-style mailbox (a mailbox, not e-invoice)."""

    @property
    def mailbox_providers(self) -> frozenset[MailboxProvider]:
        """The providers the recipient holds a digital mailbox with."""
        return frozenset(p for p in MailboxProvider if self.has_mailbox_with(p))

    def has_mailbox_with(self, provider: MailboxProvider) -> bool:
        return self.kivra if provider is MailboxProvider.KIVRA else self.digital_mailbox

    @property
    def has_a_mailbox(self) -> bool:
        return self.digital_mailbox or self.kivra

    def first_mailbox(self, preferred: Iterable[MailboxProvider]) -> MailboxProvider | None:
        """The first provider in the sender's order the recipient has a mailbox with (on every send)."""
        for provider in preferred:
            if self.has_mailbox_with(provider):
                return provider
        return None


@dataclass(frozen=True, slots=True)
class Recipient:
    id: uuid.UUID
    party_id: PartyId
    name: str
    capabilities: Capabilities = field(default_factory=Capabilities)

    @property
    def kind(self) -> PartyKind:
        return PartyKind.PERSON if self.party_id.kind in PERSON_KINDS else PartyKind.ORGANISATION


@dataclass(frozen=True, slots=True)
class Sender:
    """An organisation that sends letters, with its credentials for each dialect."""

    id: uuid.UUID
    name: str
    organisation_number: str
    digipost_id: int | None = None
    certificate_pem: str | None = None
    altinn_scopes: tuple[str, ...] = ()
    may_print: bool = True
    may_direct_print: bool = True
    time_zone: str | None = None
    """None: the deployment's zone (``Settings.time_zone``)."""
    country: str | None = None
    """None: the deployment's country."""
    may_protected_print: bool = False
    """Set up for letters to recipients with a protected identity (Ekopost: "protected mailing")."""

    def regional(self, deployment: Regional) -> Regional:
        """The deployment's region with this sender's own zone and country where it has them."""
        return deployment.overridden(time_zone=self.time_zone, country=self.country)

"""Choosing the channel for a shipment: pure, explainable, recorded as an event."""

from __future__ import annotations

from dataclasses import dataclass

from postbud.domain.channels import Channel
from postbud.domain.mailboxes import DEFAULT_PROVIDERS, MailboxProvider
from postbud.domain.parties import PartyKind, Recipient


@dataclass(frozen=True, slots=True)
class RoutingRequest:
    channels: tuple[Channel, ...]
    """The channels the sender allows, most preferred first. Print is decided separately."""
    has_print_instructions: bool = False
    email_address: str | None = None
    mobile: str | None = None
    ignore_reservation: bool = False
    registration_requested: bool = False
    """A person without a digital mailbox may be asked to get one; the letter then waits."""
    mailbox_providers: tuple[MailboxProvider, ...] = DEFAULT_PROVIDERS
    """The digital mailboxes the sender will deliver to, most preferred first."""
    business_inbox_for_persons: bool = False
    """Persons may receive in the business inbox too (Altinn), not only organisations."""
    bank_invoice: bool = False
    """An invoice for the payer's internet bank (Ekopost's ebank, Norwegian eFaktura): Postbud's inbox
    plays the bank, so it reaches the digital mailbox of whoever takes bank e-invoices
    (``Capabilities.ebank``, the one rule reachability, the receivers list and routing share)."""


@dataclass(frozen=True, slots=True)
class RouteDecision:
    channel: Channel | None
    reason: str
    considered: tuple[str, ...] = ()
    pending: bool = False
    """No channel yet: the letter waits for the recipient to register a digital mailbox."""
    provider: MailboxProvider | None = None
    """Whose mailbox a DIGITAL_MAILBOX letter goes to."""

    @property
    def delivered(self) -> bool:
        return self.channel is not None

    def as_data(self) -> dict[str, object]:
        data: dict[str, object] = {
            "channel": self.channel,
            "reason": self.reason,
            "considered": list(self.considered),
        }
        if self.pending:
            data["pending"] = True
        if self.provider is not None:
            data["provider"] = self.provider.value
        return data


BANK_INVOICE_DELIVERED = "recipient takes bank e-invoices: delivered to their inbox as a payable invoice"
NO_BANK_INVOICES = "recipient takes no bank e-invoices"


def takes_bank_invoices(recipient: Recipient | None) -> bool:
    """Whether a bank e-invoice (ebank, eFaktura) reaches ``recipient``: they signed up for them."""
    return recipient is not None and recipient.capabilities.ebank


def _why_not(channel: Channel, recipient: Recipient | None, request: RoutingRequest) -> str | None:
    """None when ``channel`` can carry the letter, otherwise the reason it cannot."""
    if channel is Channel.EMAIL and request.email_address:
        return None
    if channel is Channel.SMS and request.mobile:
        return None
    if recipient is None:
        return "recipient is not registered"
    caps = recipient.capabilities
    if channel is Channel.DIGITAL_MAILBOX and request.bank_invoice:
        # Not a reservation matter: the payer asked their bank for these invoices.
        return None if takes_bank_invoices(recipient) else NO_BANK_INVOICES
    if channel is Channel.DIGITAL_MAILBOX:
        if not caps.has_a_mailbox:
            return "recipient has no digital mailbox"
        if caps.first_mailbox(request.mailbox_providers) is None:
            held = ", ".join(sorted(caps.mailbox_providers))
            wanted = ", ".join(request.mailbox_providers) or "none"
            return f"recipient's digital mailbox is with {held}, the sender delivers to {wanted}"
        if caps.reserved and not request.ignore_reservation:
            return "recipient has reserved against digital post in the contact register"
        return None
    if channel is Channel.BUSINESS_INBOX:
        person = recipient.kind is not PartyKind.ORGANISATION
        if person and not request.business_inbox_for_persons:
            return "the business inbox is for organisations"
        if not caps.business_inbox:
            return f"{'person' if person else 'organisation'} has no business inbox"
        return None
    if channel is Channel.EMAIL:
        if caps.reserved and not request.ignore_reservation:
            return "recipient has reserved against digital post in the contact register"
        return None if caps.email else "recipient has no e-mail address"
    if channel is Channel.SMS:
        if caps.reserved and not request.ignore_reservation:
            return "recipient has reserved against digital post in the contact register"
        return None if caps.mobile else "recipient has no mobile number"
    if channel is Channel.EINVOICE:
        # A Kivra-style box is a mailbox (DIGITAL_MAILBOX with that provider), not e-invoice.
        return None if (caps.einvoice or caps.ebank) else "recipient takes no e-invoice"
    return "print is chosen only by print instructions"


def _provider(
    channel: Channel, recipient: Recipient | None, request: RoutingRequest
) -> MailboxProvider | None:
    if channel is not Channel.DIGITAL_MAILBOX or recipient is None:
        return None
    if request.bank_invoice:
        return MailboxProvider.POSTBUD
    return recipient.capabilities.first_mailbox(request.mailbox_providers)


def _providers_passed_over(
    chosen: MailboxProvider, recipient: Recipient | None, request: RoutingRequest
) -> list[str]:
    """The sender's more preferred providers the recipient has no mailbox with, as reasons."""
    held = recipient.capabilities.mailbox_providers if recipient else frozenset()
    passed = request.mailbox_providers[: request.mailbox_providers.index(chosen)]
    return [
        f"{Channel.DIGITAL_MAILBOX} via {p}: recipient has no {p} mailbox" for p in passed if p not in held
    ]


def _may_register(recipient: Recipient | None, request: RoutingRequest) -> bool:
    """Whether the recipient could still get a digital mailbox (unknown people included)."""
    if not request.registration_requested or Channel.DIGITAL_MAILBOX not in request.channels:
        return False
    if recipient is None:
        return True
    caps = recipient.capabilities
    reserved = caps.reserved and not request.ignore_reservation
    return recipient.kind is PartyKind.PERSON and not caps.digital_mailbox and not reserved


def decide_route(request: RoutingRequest, recipient: Recipient | None) -> RouteDecision:
    """Take the first allowed channel the recipient can receive, then wait for a requested
    registration, then print, else not delivered."""
    considered: list[str] = []
    for channel in request.channels:
        if channel is Channel.PRINT:
            continue
        why_not = _why_not(channel, recipient, request)
        if why_not is None:
            provider = _provider(channel, recipient, request)
            if request.bank_invoice and channel is Channel.DIGITAL_MAILBOX:
                return RouteDecision(channel, BANK_INVOICE_DELIVERED, tuple(considered), provider=provider)
            if provider is not None and provider is not request.mailbox_providers[0]:
                considered.extend(_providers_passed_over(provider, recipient, request))
            return RouteDecision(channel, f"{channel} is available", tuple(considered), provider=provider)
        considered.append(f"{channel}: {why_not}")
    if _may_register(recipient, request):
        reason = "waiting for the recipient to register a digital mailbox"
        return RouteDecision(None, reason, tuple(considered), pending=True)
    if request.has_print_instructions:
        reason = "letter carries print instructions"
        if considered:
            reason = "no digital channel could take it; " + reason
        return RouteDecision(Channel.PRINT, reason, tuple(considered))
    reason = "; ".join(considered) if considered else "no channel was allowed"
    return RouteDecision(None, reason, tuple(considered))

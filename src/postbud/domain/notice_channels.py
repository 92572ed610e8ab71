"""Which channels a notice goes by: the sender's preference against the recipient's contact details.

Altinn's five choices (Email, Sms, EmailPreferred, SmsPreferred, EmailAndSms) in core names. When the
chosen channel(s) find no address, the outcome is "missing contact" (``RuleCode.NO_CONTACT``), which a
dialect can show as it likes (Altinn: ``MissingContact``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from postbud.domain.channels import Channel


class NoticeOutcome(StrEnum):
    """How a notice ended, in the words every dialect can map (Altinn: Success, MissingContact, Failure)."""

    SENT = "sent"
    MISSING_CONTACT = "missing_contact"
    FAILED = "failed"


class NoticeChannelChoice(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    EMAIL_PREFERRED = "email_preferred"
    """E-mail when the recipient has an address, else SMS."""
    SMS_PREFERRED = "sms_preferred"
    EMAIL_AND_SMS = "email_and_sms"
    """Both, where the recipient has them."""


@dataclass(frozen=True, slots=True)
class ContactDetails:
    email: str | None = None
    mobile: str | None = None

    def address_for(self, channel: Channel) -> str | None:
        if channel is Channel.EMAIL:
            return self.email or None
        if channel is Channel.SMS:
            return self.mobile or None
        return None


@dataclass(frozen=True, slots=True)
class NoticeTarget:
    channel: Channel
    address: str


@dataclass(frozen=True, slots=True)
class NoticeRouting:
    targets: tuple[NoticeTarget, ...]
    reason: str

    @property
    def missing_contact(self) -> bool:
        return not self.targets


_ORDER: dict[NoticeChannelChoice, tuple[Channel, ...]] = {
    NoticeChannelChoice.EMAIL: (Channel.EMAIL,),
    NoticeChannelChoice.SMS: (Channel.SMS,),
    NoticeChannelChoice.EMAIL_PREFERRED: (Channel.EMAIL, Channel.SMS),
    NoticeChannelChoice.SMS_PREFERRED: (Channel.SMS, Channel.EMAIL),
    NoticeChannelChoice.EMAIL_AND_SMS: (Channel.EMAIL, Channel.SMS),
}


def channels_of(choice: NoticeChannelChoice) -> tuple[Channel, ...]:
    """Every channel ``choice`` may use, the preferred first."""
    return _ORDER[choice]


def choose_notice_targets(choice: NoticeChannelChoice, contacts: ContactDetails) -> NoticeRouting:
    """Where the notice goes; no targets means the recipient has no contact for the choice."""
    available = [
        NoticeTarget(channel, address)
        for channel in _ORDER[choice]
        if (address := contacts.address_for(channel)) is not None
    ]
    if not available:
        wanted = " or ".join(c.value for c in _ORDER[choice])
        return NoticeRouting((), f"missing contact: the recipient has no {wanted} address")
    if choice is NoticeChannelChoice.EMAIL_AND_SMS:
        return NoticeRouting(tuple(available), "both channels where the recipient has an address")
    first = available[0]
    preferred = _ORDER[choice][0]
    reason = (
        f"{first.channel.value} as chosen"
        if first.channel is preferred
        else f"no {preferred.value} address, so {first.channel.value}"
    )
    return NoticeRouting((first,), reason)


def expected_outcome(choice: NoticeChannelChoice, contacts: ContactDetails) -> NoticeOutcome:
    """What a dialect can tell at send time (Altinn's initialize: Success or MissingContact)."""
    if choose_notice_targets(choice, contacts).missing_contact:
        return NoticeOutcome.MISSING_CONTACT
    return NoticeOutcome.SENT

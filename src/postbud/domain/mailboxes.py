"""Digital mailboxes and who runs them: a letter to a digital mailbox goes to one provider's box.

Postbud's own inbox plays the national mailbox of the recipient's country (Digipost-style in Norway,
Mina meddelanden-style for Swedish persons); a Kivra-style box is a separate mailbox a Swedish person
may hold. Both are mailboxes, not e-invoice: the e-invoice channel is a different thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class MailboxProvider(StrEnum):
    POSTBUD = "postbud"
    """Postbud's own inbox (what Digipost's and Ekopost's "einbox" mean)."""
    KIVRA = "kivra"
    """A Kivra-style mailbox (Ekopost's "einbox_kivra")."""


DEFAULT_PROVIDERS: tuple[MailboxProvider, ...] = (MailboxProvider.POSTBUD,)
"""A sender that names no provider means Postbud's own inbox, as Digipost always has."""


def choose_mailbox(
    preferred: Iterable[MailboxProvider], offered: Iterable[MailboxProvider]
) -> MailboxProvider | None:
    """The first provider in the sender's order that the recipient has a mailbox with."""
    held = frozenset(offered)
    return next((provider for provider in preferred if provider in held), None)

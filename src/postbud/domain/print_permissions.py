"""Who may send what on paper: letters to a protected identity need a sender set up for them."""

from __future__ import annotations

from postbud.domain.channel_options import ChannelOptions
from postbud.domain.errors import NotPermitted, PermissionCode
from postbud.domain.parties import Sender
from postbud.domain.shipments import Postage, PrintInstructions


def asks_for_protected_mailing(options: ChannelOptions, instructions: PrintInstructions | None) -> bool:
    layout = options.print_layout
    protected_postage = instructions is not None and instructions.postage is Postage.PROTECTED
    return protected_postage or (layout is not None and layout.protected_identity)


def require_protected_mailing(
    sender: Sender, options: ChannelOptions, instructions: PrintInstructions | None
) -> None:
    """Refuse a letter to a protected identity from a sender not set up for protected mailing."""
    if asks_for_protected_mailing(options, instructions) and not sender.may_protected_print:
        raise NotPermitted(
            "the sender is not set up for letters to recipients with a protected identity",
            PermissionCode.NOT_APPROVED,
        )

"""What one letter asks of the channels beyond Digipost's shape: one value, carried on the shipment.

Every field is optional and defaults to what Digipost letters have always had, so a Digipost letter
carries the default and nothing changes for it. The Ekopost and Altinn dialects fill the fields their
APIs have: mailbox provider (einbox / einbox_kivra), business inbox for persons (Altinn), print layout
(window, cover page, protected identity), e-invoice format, invoice details, notice plan.
"""

from __future__ import annotations

from dataclasses import dataclass

from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.errors import FieldError, RuleCode
from postbud.domain.invoices import InvoiceDetails
from postbud.domain.mailboxes import DEFAULT_PROVIDERS, MailboxProvider
from postbud.domain.notice_plan import NoticePlan, plan_errors
from postbud.domain.print_layout import PrintLayout


@dataclass(frozen=True, slots=True)
class ChannelOptions:
    mailbox_providers: tuple[MailboxProvider, ...] = DEFAULT_PROVIDERS
    """The sender's mailbox providers in order of preference."""
    business_inbox_for_persons: bool = False
    """The API lets persons, not only organisations, receive in the business inbox (Altinn)."""
    print_layout: PrintLayout | None = None
    einvoice_format: EInvoiceFormat | None = None
    """None: the format the recipient's registration says (Digipost's behaviour)."""
    invoice: InvoiceDetails | None = None
    notice: NoticePlan | None = None

    @property
    def bank_invoice(self) -> bool:
        """An invoice for the payer's internet bank: eFaktura format with its invoice details (Ekopost's
        ebank and einvoice_mastercard); routing takes it to the inbox of whoever takes bank e-invoices."""
        return self.einvoice_format is EInvoiceFormat.EFAKTURA and self.invoice is not None

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_CHANNEL_OPTIONS


DEFAULT_CHANNEL_OPTIONS = ChannelOptions()


def channel_options_errors(options: ChannelOptions, *, field: str = "channel_options") -> list[FieldError]:
    """What is wrong with a letter's options as a whole (each part checked its own values already)."""
    errors: list[FieldError] = []
    if not options.mailbox_providers:
        errors.append(FieldError(f"{field}.mailbox_providers", "name at least one provider", RuleCode.EMPTY))
    if len(set(options.mailbox_providers)) != len(options.mailbox_providers):
        errors.append(FieldError(f"{field}.mailbox_providers", "each provider once", RuleCode.NOT_UNIQUE))
    if options.notice is not None:
        errors.extend(plan_errors(options.notice, field=f"{field}.notice"))
    return errors

"""A letter's ``ChannelOptions`` as JSON inside ``shipments.request`` (key ``channel_options``).

The default options are stored as nothing at all, so a Digipost letter's row is as it always was.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from postbud.domain.channel_options import ChannelOptions
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.invoices import InvoiceDetails
from postbud.domain.mailboxes import MailboxProvider
from postbud.domain.notice_channels import ContactDetails, NoticeChannelChoice
from postbud.domain.notice_plan import NoticePlan, ReminderPlan
from postbud.domain.notice_templates import NoticeLanguage, NoticeTemplate, NoticeTexts
from postbud.domain.print_layout import AddressPlacement, EnvelopeWindow, PrintLayout


def channel_options_to_json(options: ChannelOptions) -> dict[str, Any] | None:
    if options.is_default:
        return None
    return {
        "mailbox_providers": [p.value for p in options.mailbox_providers],
        "business_inbox_for_persons": options.business_inbox_for_persons,
        "print_layout": _layout_to_json(options.print_layout),
        "einvoice_format": options.einvoice_format.value if options.einvoice_format else None,
        "invoice": invoice_to_json(options.invoice),
        "notice": _notice_to_json(options.notice),
    }


def channel_options_from_json(data: dict[str, Any] | None) -> ChannelOptions:
    if not data:
        return ChannelOptions()
    fmt = data.get("einvoice_format")
    return ChannelOptions(
        mailbox_providers=tuple(MailboxProvider(p) for p in data["mailbox_providers"]),
        business_inbox_for_persons=data.get("business_inbox_for_persons", False),
        print_layout=_layout_from_json(data.get("print_layout")),
        einvoice_format=EInvoiceFormat(fmt) if fmt else None,
        invoice=invoice_from_json(data.get("invoice")),
        notice=_notice_from_json(data.get("notice")),
    )


def _layout_to_json(layout: PrintLayout | None) -> dict[str, Any] | None:
    if layout is None:
        return None
    window = layout.window
    return {
        "window": [window.left, window.top, window.width, window.height] if window else None,
        "address_placement": layout.address_placement.value if layout.address_placement else None,
        "protected_identity": layout.protected_identity,
        "protected_identifier": layout.protected_identifier,
    }


def _layout_from_json(data: dict[str, Any] | None) -> PrintLayout | None:
    if data is None:
        return None
    window, placement = data.get("window"), data.get("address_placement")
    return PrintLayout(
        window=EnvelopeWindow(*window) if window else None,
        address_placement=AddressPlacement(placement) if placement else None,
        protected_identity=data.get("protected_identity", False),
        protected_identifier=data.get("protected_identifier"),
    )


def invoice_to_json(invoice: InvoiceDetails | None) -> dict[str, Any] | None:
    return invoice.as_data() if invoice is not None else None


def invoice_from_json(data: dict[str, Any] | None) -> InvoiceDetails | None:
    return InvoiceDetails.from_data(data) if data is not None else None


def _texts_to_json(texts: NoticeTexts) -> dict[str, str | None]:
    return {"email_subject": texts.email_subject, "email_body": texts.email_body, "sms_body": texts.sms_body}


def _texts_from_json(data: dict[str, Any] | None) -> NoticeTexts:
    data = data or {}
    return NoticeTexts(data.get("email_subject"), data.get("email_body"), data.get("sms_body"))


def _notice_to_json(plan: NoticePlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    reminder = plan.reminder
    also: dict[str, Any] = {}
    if plan.also_to or plan.only_also_to:  # written only when there are any: older rows stay as they were
        also = {
            "also_to": [{"email": c.email, "mobile": c.mobile} for c in plan.also_to],
            "only_also_to": plan.only_also_to,
        }
    return {
        **also,
        "choice": plan.choice.value,
        "template": plan.template.value,
        "language": plan.language.value,
        "texts": _texts_to_json(plan.texts),
        "resource_name": plan.resource_name,
        "reminder": {
            "after_seconds": reminder.after.total_seconds(),
            "choice": reminder.choice.value if reminder.choice else None,
            "texts": _texts_to_json(reminder.texts),
        }
        if reminder
        else None,
    }


def _notice_from_json(data: dict[str, Any] | None) -> NoticePlan | None:
    if data is None:
        return None
    reminder = data.get("reminder")
    return NoticePlan(
        choice=NoticeChannelChoice(data["choice"]),
        template=NoticeTemplate(data["template"]),
        language=NoticeLanguage(data["language"]),
        texts=_texts_from_json(data.get("texts")),
        resource_name=data.get("resource_name"),
        also_to=tuple(ContactDetails(c.get("email"), c.get("mobile")) for c in data.get("also_to") or ()),
        only_also_to=bool(data.get("only_also_to")),
        reminder=ReminderPlan(
            after=timedelta(seconds=reminder["after_seconds"]),
            choice=NoticeChannelChoice(reminder["choice"]) if reminder.get("choice") else None,
            texts=_texts_from_json(reminder.get("texts")),
        )
        if reminder
        else None,
    )

"""The EINVOICE channel, sandbox only: it records the invoice as captured and sends nothing.

A real transport (a Peppol access point for EHF/BIS Billing 3, eFaktura through Nets/Mastercard,
Kivra's sender API) is out of scope; the DELIVERED event says ``captured: true`` so nobody takes
it for a transmitted invoice. The documents are already in the blob store, so nothing else is kept.

The format is the letter's when it names one (Ekopost's ``format``, Digipost's PEPPOL), else the one
the recipient's registration implies. A Kivra-style box is a mailbox, not an e-invoice channel.
"""

from __future__ import annotations

from typing import Any

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import FaultInjector
from postbud.channels.letter_options import options_of
from postbud.domain.channels import Channel
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.shipments import Shipment

CAPTURE_NOTE = "sandbox capture: no e-invoice access point is configured, so nothing was transmitted"


def invoice_format(recipient: Recipient | None) -> EInvoiceFormat | None:
    """The format the recipient takes: Peppol (EHF/BIS Billing 3) or eFaktura in the bank."""
    if recipient is None:
        return None
    caps = recipient.capabilities
    if caps.einvoice:
        return EInvoiceFormat.PEPPOL_BIS_BILLING_3
    return EInvoiceFormat.EFAKTURA if caps.ebank else None


def takes_einvoice(recipient: Recipient | None) -> bool:
    return recipient is not None and (recipient.capabilities.einvoice or recipient.capabilities.ebank)


class EInvoiceCapture:
    channel = Channel.EINVOICE
    inline = False

    def __init__(self, faults: FaultInjector | None = None) -> None:
        self.faults = faults if faults is not None else FaultInjector()

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        options = options_of(shipment)
        fmt = options.einvoice_format or invoice_format(recipient)
        if fmt is None or not takes_einvoice(recipient):
            refused = {"reason": "the recipient takes no e-invoice"}
            return [EventDraft(EventType.DELIVERY_FAILED, Channel.EINVOICE, refused, "delivery_failed")]
        if error := self.faults.should_fail(Channel.EINVOICE):
            raise DeliveryFailed(error)
        data: dict[str, Any] = {
            "format": fmt.value,
            "captured": True,
            "invoice_reference": shipment.invoice_reference,
            "documents": len(shipment.documents),
            "note": CAPTURE_NOTE,
        }
        if options.invoice is not None:
            data["invoice"] = options.invoice.as_data()
        return [EventDraft(EventType.DELIVERED, Channel.EINVOICE, data, "delivered")]

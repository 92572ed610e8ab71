"""The EINVOICE channel, sandbox only: it records the invoice as captured and sends nothing.

A real transport (a Peppol access point for EHF/BIS Billing 3, eFaktura through Nets/Mastercard,
Kivra's sender API) is out of scope; the DELIVERED event says ``captured: true`` so nobody takes
it for a transmitted invoice. The documents are already in the blob store, so nothing else is kept.
"""

from __future__ import annotations

from typing import Any

from postbud.channels.base import DeliveryFailed
from postbud.channels.faults import FaultInjector
from postbud.domain.channels import Channel
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.domain.parties import Recipient
from postbud.domain.shipments import Shipment

CAPTURE_NOTE = "sandbox capture: no e-invoice access point is configured, so nothing was transmitted"


def invoice_format(recipient: Recipient | None) -> str | None:
    """The format the recipient takes: Peppol (EHF/BIS Billing 3), eFaktura in the bank, or Kivra."""
    if recipient is None:
        return None
    caps = recipient.capabilities
    if caps.einvoice:
        return "peppol-bis-billing-3"
    if caps.ebank:
        return "efaktura"
    return "kivra" if caps.kivra else None


class EInvoiceCapture:
    channel = Channel.EINVOICE
    inline = False

    def __init__(self, faults: FaultInjector | None = None) -> None:
        self.faults = faults if faults is not None else FaultInjector()

    async def deliver(self, shipment: Shipment, recipient: Recipient | None) -> list[EventDraft]:
        fmt = invoice_format(recipient)
        if fmt is None:
            refused = {"reason": "the recipient takes no e-invoice"}
            return [EventDraft(EventType.DELIVERY_FAILED, Channel.EINVOICE, refused, "delivery_failed")]
        if error := self.faults.should_fail(Channel.EINVOICE):
            raise DeliveryFailed(error)
        data: dict[str, Any] = {
            "format": fmt,
            "captured": True,
            "invoice_reference": shipment.invoice_reference,
            "documents": len(shipment.documents),
            "note": CAPTURE_NOTE,
        }
        return [EventDraft(EventType.DELIVERED, Channel.EINVOICE, data, "delivered")]

"""The e-invoice format and the invoice details come from the letter and reach the e-invoice channel;
a Kivra-style mailbox is a mailbox and takes no e-invoice. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from postbud.domain.channel_options import ChannelOptions
from postbud.domain.channels import Channel
from postbud.domain.einvoice import EInvoiceFormat
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.invoices import (
    AccountKind,
    InvoiceDetails,
    PaymentAccount,
    PaymentReference,
    ReferenceKind,
)
from postbud.domain.parties import Capabilities, Recipient
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.send_letter import SendLetter, send_letter
from postbud.services.runtime import Runtime
from tests.integration.core_helpers import add_sender, pdf_document, runtime_for

pytestmark = pytest.mark.anyio

COMPANY = "se-org:5568384118"
SHOP = "se-org:5568402266"
KIVRA_PERSON = "se:198112289874"


async def add(runtime: Runtime, party: str, name: str, caps: Capabilities) -> None:
    async with runtime.unit_of_work() as uow:
        await uow.recipients.add(
            Recipient(uuid.uuid4(), parse_party_id(party), name, caps), now=runtime.clock.now()
        )


INVOICE = InvoiceDetails(
    due_date=date(2027, 1, 31),
    amount=Decimal("1250.00"),
    currency="SEK",
    reference=PaymentReference.of(ReferenceKind.OCR, "1234566"),
    account=PaymentAccount.of(AccountKind.BANKGIRO, "5991-2162"),
    invoice_number="F-1001",
)


async def test_the_letters_format_and_invoice_reach_the_einvoice_channel(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add(runtime, COMPANY, "Ekopost AB", Capabilities(einvoice=True))
    await add(runtime, SHOP, "Kivra AB", Capabilities(ebank=True))
    await add(runtime, KIVRA_PERSON, "Sven Svensson", Capabilities(kivra=True))

    async def send(
        party: str, options: ChannelOptions
    ) -> tuple[Channel | None, list[EventType], dict[str, object]]:
        accepted = await send_letter(
            SendLetter(
                sender_id=sender,
                dialect="platform",
                recipient=parse_party_id(party),
                documents=(pdf_document("Faktura F-1001"),),
                channels=(Channel.EINVOICE,),
                channel_options=options,
            ),
            runtime,
        )
        await Worker(runtime, core_handlers()).run_once()
        async with runtime.reader() as uow:
            events = await uow.events.for_shipment(accepted.shipment.id)
        last = events[-1]
        return accepted.decision.channel, [e.type for e in events], last.data

    svefaktura = ChannelOptions(einvoice_format=EInvoiceFormat.SVEFAKTURA_2_INVOICE, invoice=INVOICE)
    channel, types, data = await send(COMPANY, svefaktura)
    assert channel is Channel.EINVOICE
    assert types[-1] is EventType.DELIVERED
    assert data["format"] == "svefaktura-2.0-invoice"
    assert data["captured"] is True
    assert data["invoice"] == INVOICE.as_data()
    assert InvoiceDetails.from_data(data["invoice"]) == INVOICE

    _, _, by_registration = await send(SHOP, ChannelOptions())
    assert by_registration["format"] == "efaktura", "no format on the letter: the recipient's registration"
    assert "invoice" not in by_registration

    channel, types, data = await send(KIVRA_PERSON, svefaktura)
    assert channel is None
    assert types[-1] is EventType.NOT_DELIVERED
    assert data["considered"] == ["einvoice: recipient takes no e-invoice"]
    await runtime.close()

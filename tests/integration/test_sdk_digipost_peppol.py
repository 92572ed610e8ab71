"""The SDK sends to a Peppol participant: PeppolAddresses, XML content, delivery-method PEPPOL."""

from __future__ import annotations

import uuid

import pytest

from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.sdk.digipost import (
    Channel,
    DigipostApiError,
    DigipostClient,
    Document,
    Message,
    MessageStatus,
    PeppolAddress,
    PeppolAddresses,
)
from postbud.services.runtime import Runtime
from tests.integration.sdk_live_server import LiveDigipost, live_digipost

__all__ = ["live_digipost"]

RECEIVER = "923609016"
EHF = b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>'


async def _register_receiver(runtime: Runtime) -> None:
    recipient = Recipient(uuid.uuid4(), parse_party_id(RECEIVER), "Faktura AS", Capabilities(einvoice=True))
    async with runtime.unit_of_work() as uow:
        if await uow.recipients.by_party_id(recipient.party_id) is None:
            await uow.recipients.add(recipient, now=runtime.clock.now())


def test_send_to_a_peppol_participant(live_digipost: LiveDigipost) -> None:
    live_digipost.run(_register_receiver, live_digipost.runtime)
    addresses = PeppolAddresses(PeppolAddress.parse(f"0192:{RECEIVER}"), PeppolAddress("0192", "974760673"))
    invoice = Document("Faktura 1001", file_type="xml")
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send(Message(invoice, addresses), {invoice.uuid: EHF})
        assert (delivery.delivery_method, delivery.status) == (Channel.PEPPOL, MessageStatus.DELIVERED)
        not_xml = Document("Faktura 1002", file_type="pdf")
        with pytest.raises(DigipostApiError) as refused:
            client.send(Message(not_xml, addresses), {not_xml.uuid: b"%PDF-1.7\n%%EOF\n"})
    assert refused.value.error_code == "PEPPOL_FILE_MUST_BE_XML"


def test_a_peppol_address_is_scheme_colon_endpoint() -> None:
    assert PeppolAddress.parse("0192:923609016") == PeppolAddress("0192", "923609016")
    with pytest.raises(ValueError, match="scheme:endpoint"):
        PeppolAddress.parse("923609016")
    with pytest.raises(ValueError, match="4 digits"):
        PeppolAddress("192", "923609016")

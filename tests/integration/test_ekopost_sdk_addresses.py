"""Every routed address type, written by the SDK's address classes, accepted by Postbud's dialect and
followed to its end through the SDK: e-mail, Kivra, Peppol e-invoice (with its markup), internet-bank
invoice, population-register lookup (printed on a cover page, echoed as postal) and an eFaktura
invoice to someone without eFaktura (failed, with a reason)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.domain.parties import PostalAddress as RegistryAddress
from postbud.sdk.ekopost import (
    Address,
    EbankAddress,
    EinboxKivraAddress,
    EinvoiceAddress,
    EinvoiceFormat,
    EkopostClient,
    EmailAddress,
    Envelope,
    EnvelopeState,
    IdentifierType,
    KivraType,
    LookupAddress,
    MastercardAddress,
    NewCampaign,
    NewContent,
    NewEnvelope,
    PaymentType,
    PostalAddress,
    ReferenceType,
)
from tests.integration.test_ekopost_fixtures import SE_PERSON_WITH_KIVRA, letter_pdf
from tests.integration.test_ekopost_invoices import (
    BUYER_ORG,
    EBANK_PERSON,
    LOOKUP_PERSON,
    NO_EFAKTURA_PERSON,
    bis_invoice,
)
from tests.integration.test_ekopost_sdk_fixtures import LiveEkopost, live, wait_for_state

__all__ = ["live"]
ENDED = (EnvelopeState.POSTED, EnvelopeState.FAILED, EnvelopeState.CANCELLED)


async def _register(live: LiveEkopost) -> None:
    registry_address = RegistryAddress("Adam Adress", ("Vägen 2",), "123 45", "Stockholm", "SE")
    people = [
        (BUYER_ORG, "se:" + BUYER_ORG, "Köparen AB", Capabilities(einvoice=True)),
        (EBANK_PERSON, EBANK_PERSON, "Bank Kund", Capabilities(ebank=True)),
        (LOOKUP_PERSON, LOOKUP_PERSON, "Adam Adress", Capabilities(postal_address=registry_address)),
    ]
    async with live.runtime.unit_of_work() as uow:
        for _, party, name, capabilities in people:
            recipient = Recipient(uuid.uuid4(), parse_party_id(party), name, capabilities)
            await uow.recipients.add(recipient, now=live.runtime.clock.now())


def _send(client: EkopostClient, address: Address, *extra: NewContent) -> tuple[Envelope, Envelope]:
    """The envelope as created, and as it ended."""
    campaign = client.create_campaign(NewCampaign(name=f"Adress {address.TYPE}"))
    created = client.create_envelope(campaign.id, NewEnvelope(name=address.TYPE, address=address))
    for content in (NewContent.document(letter_pdf(())), *extra):
        client.create_content(campaign.id, created.id, content)
    client.close_envelope(campaign.id, created.id)
    client.close_campaign(campaign.id)
    return created, wait_for_state(client, campaign.id, created.id, *ENDED)


def test_every_routed_address_type_through_the_sdk(live: LiveEkopost) -> None:
    live.run(lambda: _register(live))
    delivered: list[Address] = [
        EmailAddress(email="tolvan@example.se", subject="Ditt brev"),
        EinboxKivraAddress(recipient=SE_PERSON_WITH_KIVRA, subject="Lönebesked", kivra_type=KivraType.SALARY),
        EbankAddress(
            recipient=EBANK_PERSON,
            customer_number="K-1",
            customer_name="Bank Kund",
            invoice_number="F-77",
            reference_type=ReferenceType.OCR,
            reference_value="1234567897",
            giro_number="56781230",
            autogiro=False,
            amount=Decimal("1250.50"),
            invoice_date="2026-12-01",
            due_date="2026-12-31",
        ),
    ]
    with live.client() as client:
        for address in delivered:
            created, ended = _send(client, address)
            assert created.address == address, address.TYPE
            assert ended.state == EnvelopeState.POSTED, (address.TYPE, ended.failed_reason)

        einvoice = EinvoiceAddress(
            format=EinvoiceFormat.PEPPOL_BIS_BILLING_3_0,
            sender="556838-4118",
            sender_type=IdentifierType.SE_REGNO,
            recipient=BUYER_ORG,
            recipient_type=IdentifierType.SE_REGNO,
            intermediator="peppol",
        )
        _, ended = _send(client, einvoice, NewContent.markup(bis_invoice()))
        assert ended.state == EnvelopeState.POSTED, ended.failed_reason
        assert isinstance(ended.address, EinvoiceAddress)
        assert ended.address.format == EinvoiceFormat.PEPPOL_BIS_BILLING_3_0

        created, ended = _send(client, LookupAddress(recipient=LOOKUP_PERSON))
        assert isinstance(created.address, PostalAddress)  # the register's address, on a cover page
        assert created.address.use_coverpage is True
        assert created.address.city == "Stockholm"
        assert ended.state == EnvelopeState.POSTED, ended.failed_reason

        efaktura = MastercardAddress(
            social_security_number=NO_EFAKTURA_PERSON,
            kid="1234567897",
            credit_account="12345678903",
            amount=Decimal("499.00"),
            due_date="2026-12-31T00:00:00",
            payment_type=PaymentType.EFAKTURA,
            document_type=0,
            brand_name="Kraftselskapet",
        )
        _, ended = _send(client, efaktura)
        assert ended.state == EnvelopeState.FAILED  # invoices never fall back to paper
        assert ended.failed_reason

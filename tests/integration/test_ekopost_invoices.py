"""The invoice address types and lookup through the whole app on SQLite and PostgreSQL: einvoice
(Peppol BIS Billing 3.0 markup checked by its rules, 100B, 138, 139), ebank (124, 125, delivered to
the inbox with its invoice details), einvoice_mastercard (payment and document types) and lookup
(the registry's address, printed with a cover page)."""

from __future__ import annotations

import uuid
from typing import Any

from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient
from postbud.domain.status import ShipmentStatus
from postbud.services.letters.query import ShipmentDetails, get_shipment
from tests.integration.test_ekopost_fixtures import (
    NO_PERSON_WITH_MAILBOX,
    Ekopost,
    content_body,
    ekopost,
    letter_pdf,
)

__all__ = ["ekopost"]
BUYER_ORG = "5560360793"
EBANK_PERSON = "201202148795"
NO_EFAKTURA_PERSON = "15108695088"
LOOKUP_PERSON = "198008018775"
UNKNOWN_FUI = "198507239328"


def bis_invoice(
    *, customization: str = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
) -> bytes:
    party = (
        '<cac:Party><cbc:EndpointID schemeID="0007">{org}</cbc:EndpointID>'
        "<cac:PostalAddress><cac:Country><cbc:IdentificationCode>SE</cbc:IdentificationCode></cac:Country>"
        "</cac:PostalAddress><cac:PartyLegalEntity><cbc:RegistrationName>{name}</cbc:RegistrationName>"
        "</cac:PartyLegalEntity></cac:Party>"
    )
    seller = party.format(org="5568384118", name="Ekokunden AB")
    buyer = party.format(org=BUYER_ORG, name="Köparen AB")
    return (
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        f"<cbc:CustomizationID>{customization}</cbc:CustomizationID>"
        "<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>"
        "<cbc:ID>F-1001</cbc:ID><cbc:IssueDate>2026-12-04</cbc:IssueDate>"
        "<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode><cbc:DocumentCurrencyCode>SEK</cbc:DocumentCurrencyCode>"
        f"<cac:AccountingSupplierParty>{seller}</cac:AccountingSupplierParty>"
        f"<cac:AccountingCustomerParty>{buyer}</cac:AccountingCustomerParty>"
        "<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID='SEK'>100</cbc:LineExtensionAmount>"
        "<cbc:TaxExclusiveAmount currencyID='SEK'>100</cbc:TaxExclusiveAmount>"
        "<cbc:TaxInclusiveAmount currencyID='SEK'>125</cbc:TaxInclusiveAmount>"
        "<cbc:PayableAmount currencyID='SEK'>125</cbc:PayableAmount></cac:LegalMonetaryTotal>"
        "<cac:InvoiceLine><cbc:ID>1</cbc:ID></cac:InvoiceLine></Invoice>"
    ).encode()


ADAMS_ADDRESS = PostalAddress("Adam Adress", ("Vägen 2",), "123 45", "Stockholm", "SE")
ENDED = (ShipmentStatus.DELIVERED, ShipmentStatus.FAILED, ShipmentStatus.NOT_DELIVERED)


async def _register(ekopost: Ekopost) -> None:
    now = ekopost.runtime.clock.now()
    people = [
        Recipient(uuid.uuid4(), parse_party_id("se:" + BUYER_ORG), "Köparen AB", Capabilities(einvoice=True)),
        Recipient(uuid.uuid4(), parse_party_id(EBANK_PERSON), "Bank Kund", Capabilities(ebank=True)),
        Recipient(
            uuid.uuid4(),
            parse_party_id(LOOKUP_PERSON),
            "Adam Adress",
            Capabilities(
                postal_address=PostalAddress("Adam Adress", ("Vägen 2",), "123 45", "Stockholm", "SE")
            ),
        ),
    ]
    async with ekopost.runtime.unit_of_work() as uow:
        for person in people:
            await uow.recipients.add(person, now=now)


def _envelope(ekopost: Ekopost, address: dict[str, Any]) -> tuple[str, str]:
    ekopost.run(lambda: _register(ekopost))
    campaign = ekopost.campaign()
    return campaign["id"], ekopost.envelope(campaign["id"], address=address)["id"]


def _close_all(ekopost: Ekopost, campaign_id: str, envelope_id: str) -> ShipmentDetails:
    closed = ekopost.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close")
    assert closed.status_code == 200, closed.text
    assert ekopost.post(f"/campaigns/{campaign_id}/close").status_code == 200
    ekopost.wait_for(
        envelope_id, ShipmentStatus.DELIVERED, ShipmentStatus.FAILED, ShipmentStatus.NOT_DELIVERED
    )
    return ekopost.run(lambda: get_shipment(uuid.UUID(envelope_id), ekopost.runtime))


def _code(response: Any) -> str:
    assert response.status_code == 400, response.text
    return str(response.json()["error_code"])


EINVOICE = {
    "$type": "einvoice",
    "format": "peppol-bis-billing-3.0",
    "sender": "556838-4118",
    "sender_type": "SE.REGNO",
    "recipient": BUYER_ORG,
    "recipient_type": "SE.REGNO",
    "intermediator": "peppol",
}


def test_a_peppol_einvoice_with_its_markup_goes_by_the_einvoice_channel(ekopost: Ekopost) -> None:
    campaign_id, envelope_id = _envelope(ekopost, EINVOICE)
    add = lambda body: ekopost.add(campaign_id, envelope_id, body)  # noqa: E731
    assert add(content_body(letter_pdf(()))).status_code == 200  # no window needed: not postal
    assert _code(ekopost.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close")) == "100B"
    broken = add(content_body(bis_invoice(customization="urn:other"), type="markup", mime="application/xml"))
    assert _code(broken) == "127"
    assert "PEPPOL-EN16931-R004" in broken.json()["developer_message"]
    assert add(content_body(bis_invoice(), type="markup", mime="application/xml")).status_code == 200
    details = _close_all(ekopost, campaign_id, envelope_id)
    assert details.shipment.channel is Channel.EINVOICE
    delivered = [e for e in details.events if e.type is EventType.DELIVERED]
    assert delivered[-1].data["format"] == "peppol-bis-billing-3.0"


def test_einvoice_address_rules(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    assert _code(ekopost.post(path, {"address": {**EINVOICE, "format": "pdf"}})) == "127"
    assert _code(ekopost.post(path, {"address": {**EINVOICE, "recipient": "123"}})) == "139"
    assert _code(ekopost.post(path, {"address": {**EINVOICE, "recipient": "5568384118"}})) == "138"
    assert _code(ekopost.post(path, {"address": {**EINVOICE, "recipient": None}})) == "119"
    assert _code(ekopost.post(path, {"address": {**EINVOICE, "intermediator": "fax"}})) == "127"


EBANK = {
    "$type": "ebank",
    "recipient": EBANK_PERSON,
    "customer_number": "K-1",
    "customer_name": "Bank Kund",
    "invoice_number": "F-77",
    "reference_type": "ocr",
    "reference_value": "1234567897",
    "giro_number": "56781230",
    "autogiro": "false",
    "amount": "1250.50",
    "invoice_date": "2026-12-01",
    "due_date": "2026-12-31",
}


def test_an_ebank_invoice_is_delivered_with_its_payment_details(ekopost: Ekopost) -> None:
    """To the payer's inbox, which plays their internet bank (test_ekopost_bank_invoices_inbox.py)."""
    campaign_id, envelope_id = _envelope(ekopost, EBANK)
    assert ekopost.add(campaign_id, envelope_id, content_body(letter_pdf(()))).status_code == 200
    details = _close_all(ekopost, campaign_id, envelope_id)
    assert details.shipment.channel is Channel.DIGITAL_MAILBOX
    invoice = details.shipment.channel_options.invoice
    assert invoice is not None
    assert str(invoice.amount) == "1250.50"
    assert invoice.currency == "SEK"
    assert invoice.reference is not None
    assert invoice.reference.value == "1234567897"
    assert invoice.account is not None
    assert invoice.account.kind.value == "bankgiro"


def test_ebank_fui_rules(ekopost: Ekopost) -> None:
    ekopost.run(lambda: _register(ekopost))
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    assert _code(ekopost.post(path, {"address": {**EBANK, "recipient": UNKNOWN_FUI}})) == "124"
    assert _code(ekopost.post(path, {"address": {**EBANK, "recipient": NO_EFAKTURA_PERSON}})) == "125"
    assert _code(ekopost.post(path, {"address": {**EBANK, "reference_value": "1234567890"}})) == "127"
    assert _code(ekopost.post(path, {"address": {**EBANK, "giro_number": "5678-1234"}})) == "127"
    assert _code(ekopost.post(path, {"address": {**EBANK, "amount": "lots"}})) == "127"


MASTERCARD = {
    "$type": "einvoice_mastercard",
    "social_security_number": NO_EFAKTURA_PERSON,
    "kid": "1234567897",
    "credit_account": "12345678903",
    "amount": 499.0,
    "due_date": "2026-12-31T00:00:00",
    "payment_type": "EFAKTURA",
    "document_type": 0,
    "brand_name": "Kraftselskapet",
}


def test_mastercard_payment_and_document_types_are_validated(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    path = f"/campaigns/{campaign['id']}/envelopes"
    assert _code(ekopost.post(path, {"address": {**MASTERCARD, "payment_type": "CASH"}})) == "127"
    assert _code(ekopost.post(path, {"address": {**MASTERCARD, "document_type": 7}})) == "127"
    assert _code(ekopost.post(path, {"address": {**MASTERCARD, "brand_name": None}})) == "127"
    avtalegiro = {**MASTERCARD, "payment_type": "AVTALEGIRO", "brand_name": None, "document_type": "1"}
    created = ekopost.post(path, {"address": avtalegiro})
    assert created.status_code == 200, created.text
    assert created.json()["address"]["document_type"] == 1


def test_a_mastercard_invoice_to_someone_without_efaktura_fails_with_a_reason(ekopost: Ekopost) -> None:
    """Not printed, though its PDF shows an address: invoices never fall back to paper."""
    campaign_id, envelope_id = _envelope(ekopost, MASTERCARD)
    assert ekopost.add(campaign_id, envelope_id, content_body(letter_pdf())).status_code == 200
    details = _close_all(ekopost, campaign_id, envelope_id)
    assert details.shipment.status in {ShipmentStatus.FAILED, ShipmentStatus.NOT_DELIVERED}
    envelope = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()
    assert envelope["state"] == "failed"
    assert envelope["failed_reason"]


def test_lookup_prints_the_registrys_address_on_a_cover_page(ekopost: Ekopost) -> None:
    campaign_id, envelope_id = _envelope(ekopost, {"$type": "lookup", "recipient": LOOKUP_PERSON})
    envelope = ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()
    assert envelope["address"]["$type"] == "postal"
    assert envelope["address"]["use_coverpage"] is True
    assert envelope["address"]["city"] == "Stockholm"
    assert ekopost.add(campaign_id, envelope_id, content_body(letter_pdf(()))).status_code == 200
    closed = ekopost.post(f"/campaigns/{campaign_id}/envelopes/{envelope_id}/close")
    assert closed.status_code == 200
    assert ekopost.post(f"/campaigns/{campaign_id}/close").status_code == 200
    ekopost.wait_for(envelope_id, ShipmentStatus.IN_PRINT, ShipmentStatus.PRINTED, ShipmentStatus.POSTED)
    other = ekopost.campaign()
    nowhere = {"$type": "lookup", "recipient": NO_PERSON_WITH_MAILBOX}
    assert _code(ekopost.post(f"/campaigns/{other['id']}/envelopes", {"address": nowhere})) == "119"

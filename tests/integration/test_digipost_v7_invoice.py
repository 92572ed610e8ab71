"""A v7 invoice sent over the Digipost wire shows as an invoice card in the inbox and can be paid."""

from __future__ import annotations

import random
import uuid

from lxml import etree

from postbud.crypto.keys import generate_test_key_and_certificate, load_private_key
from postbud.domain.events import EventType
from postbud.domain.identifiers import generate_kid, generate_norwegian_account, kid
from postbud.domain.parties import Sender
from postbud.domain.shipments import Shipment
from postbud.services.inbox.pay_invoice import bank_today
from postbud.services.parties.credentials import record_digipost_certificate
from postbud.web.inbox.cards import sandbox_account
from tests.integration.digipost_client import SignedClient
from tests.integration.digipost_fixtures import BROKER, a_pdf
from tests.integration.test_inbox_web import OLA, World, world
from tests.unit.test_digipost_invoice_v7 import broken

__all__ = ["world"]

V7 = "http://api.digipost.no/schema/v7"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
RNG = random.Random(70)
KID = generate_kid(RNG, 15)
ACCOUNT = generate_norwegian_account(RNG)


def v7_invoice(
    document: str, *, kid: str = KID, amount: str = "1005.50", subject: str = "Strøm januar"
) -> str:
    return (
        f'<message xmlns="{V7}" xmlns:xsi="{XSI}"><message-id>{uuid.uuid4()}</message-id><recipient>'
        f"<personal-identification-number>{OLA}</personal-identification-number></recipient>"
        f'<primary-document xsi:type="invoice"><uuid>{document}</uuid><subject>{subject}</subject>'
        "<file-type>pdf</file-type><authentication-level>PASSWORD</authentication-level>"
        f"<sensitivity-level>NORMAL</sensitivity-level><kid>{kid}</kid><amount>{amount}</amount>"
        f"<account>{ACCOUNT}</account><due-date>2030-01-31</due-date></primary-document></message>"
    )


def digipost_client(world: World) -> SignedClient:
    """A broker registered with Postbud, talking v7 to the whole app."""
    key_pem, cert_pem = generate_test_key_and_certificate("Kraftselskapet")

    async def register() -> None:
        broker = Sender(
            uuid.uuid4(), "Kraftselskapet", "974760673", digipost_id=BROKER, certificate_pem=cert_pem.decode()
        )
        async with world.runtime.unit_of_work() as uow:
            await uow.senders.add(broker, now=world.runtime.clock.now())
            await record_digipost_certificate(uow, broker, world.runtime)

    world.run(register)
    client = SignedClient(world.client, BROKER, load_private_key(key_pem), runtime_of=lambda: world.runtime)
    client.entrypoint()
    return client


def shipment_of(world: World, document: str) -> Shipment | None:
    async def find() -> Shipment | None:
        async with world.runtime.reader() as uow:
            broker = await uow.senders.by_digipost_id(BROKER)
            assert broker is not None
            return await uow.shipments.by_document_external_id(broker.id, document)

    found: Shipment | None = world.run(find)
    return found


def test_a_v7_invoice_is_shown_as_an_invoice_and_paid_once(world: World) -> None:
    client = digipost_client(world)
    document = str(uuid.uuid4())
    response = client.send(v7_invoice(document), {document: a_pdf("Faktura")}, version=7)
    assert response.status_code == 201, response.text
    delivery = etree.fromstring(response.content)
    assert delivery.tag == f"{{{V7}}}message-delivery"
    assert delivery.findtext(f"{{{V7}}}status") == "DELIVERED"

    shipment = shipment_of(world, document)
    assert shipment is not None
    assert shipment.primary.datatype is not None
    assert shipment.primary.datatype["kind"] == "invoice"
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{shipment.id}").text
    assert "card--invoice" in page
    assert KID in page
    assert "Betal 1\u00a0005,50\u00a0kr" in page

    form = {
        "from_account": sandbox_account(world.ola.id),
        "pay_on": bank_today(world.runtime.clock.now()).isoformat(),
    }
    assert world.post(f"/inbox/letters/{shipment.id}/pay", form).status_code == 303
    assert world.post(f"/inbox/letters/{shipment.id}/pay", form).status_code == 409
    (payment,) = [e for e in world.events(shipment) if e.type is EventType.PAYMENT_REGISTERED]
    assert (payment.data["amount"], payment.data["kid"]) == ("1005.50", KID)
    assert payment.data["creditor_account"] == ACCOUNT


def test_a_v7_invoice_with_a_wrong_kid_is_refused_and_nothing_is_stored(world: World) -> None:
    client = digipost_client(world)
    document = str(uuid.uuid4())
    response = client.send(v7_invoice(document, kid=broken(KID, kid)), {document: a_pdf()}, version=7)
    assert response.status_code == 400
    error = etree.fromstring(response.content)
    assert error.findtext(f"{{{V7}}}error-code") == "VALIDATION_FAILED"
    assert error.findtext(f"{{{V7}}}error-type") == "CLIENT_DATA"
    assert (error.findtext(f"{{{V7}}}error-message") or "").startswith("primary-document/kid: ")
    assert shipment_of(world, document) is None


def test_a_v7_invoice_without_an_amount_fails_the_schema(world: World) -> None:
    client = digipost_client(world)
    document = str(uuid.uuid4())
    xml = v7_invoice(document).replace("<amount>1005.50</amount>", "")
    response = client.send(xml, {document: a_pdf()}, version=7)
    assert response.status_code == 400
    assert etree.fromstring(response.content).findtext(f"{{{V7}}}error-code") == "SCHEMA_VALIDATION_ERROR"

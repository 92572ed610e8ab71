"""The SDK's request for registration against a live server: PENDING, then delivered on registering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.sdk.digipost import (
    Channel,
    DeliveryStatus,
    DigipostClient,
    Document,
    DocumentEventType,
    Message,
    MessageStatus,
    NorwegianAddress,
    PersonalIdentificationNumber,
    PrintDetails,
    PrintRecipient,
    RequestForRegistration,
)
from postbud.services.parties.recipients import RecipientInput, register_recipient
from postbud.services.runtime import Runtime
from tests.integration.digipost_fixtures import a_pdf
from tests.integration.sdk_live_server import LiveDigipost, live_digipost

__all__ = ["live_digipost"]

UNKNOWN_PERSON = "01010110013"  # valid check digits, nobody registered
PRINT_DETAILS = PrintDetails(
    recipient=PrintRecipient("Kari Nordmann", NorwegianAddress("0155", "Oslo", addressline1="Storgata 1")),
    return_address=PrintRecipient("Testkommune", NorwegianAddress("0150", "Oslo")),
)


async def _register_and_run_jobs(runtime: Runtime) -> None:
    await register_recipient(RecipientInput(UNKNOWN_PERSON, "Kari Nordmann", mailbox=True), runtime)
    worker = Worker(runtime, core_handlers())
    while await worker.run_once():
        pass


def test_a_request_for_registration_is_pending_until_the_person_registers(
    live_digipost: LiveDigipost,
) -> None:
    start = datetime.now(UTC) - timedelta(minutes=1)
    document = Document("Vedtak om skoleplass")
    registration = RequestForRegistration(
        datetime.now(UTC) + timedelta(days=14), phone_number="91234567", print_details=PRINT_DETAILS
    )
    message = Message(
        document, PersonalIdentificationNumber(UNKNOWN_PERSON), request_for_registration=registration
    )
    with DigipostClient(live_digipost.config()) as client:
        delivery = client.send(message, {document.uuid: a_pdf("Vedtak")})
        assert (delivery.delivery_method, delivery.status) == (Channel.PENDING, MessageStatus.COMPLETE)
        assert delivery.delivery_time is None
        pending = client.document_status(document.uuid)
        assert (pending.status, pending.channel) == (DeliveryStatus.NOT_DELIVERED, Channel.PENDING)

        live_digipost.run(_register_and_run_jobs, live_digipost.runtime)
        delivered = client.document_status(document.uuid)
        events = client.document_events(start, datetime.now(UTC) + timedelta(minutes=1), max_results=1000)
    assert (delivered.status, delivered.channel) == (DeliveryStatus.DELIVERED, Channel.DIGIPOST)
    assert [e.type for e in events if e.uuid == document.uuid] == [
        DocumentEventType.REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST
    ]

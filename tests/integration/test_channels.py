"""The outbound channels against real servers: aiosmtpd for SMTP, an HTTP SMS gateway, real PDFs."""

from __future__ import annotations

import io
import json
import socket
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from postbud.bootstrap import build_runtime
from postbud.channels.base import DeliveryFailed
from postbud.channels.einvoice import EInvoiceCapture
from postbud.channels.email import MAX_ATTACHMENT_BYTES, EmailChannel, Mailer, parse_smtp_url
from postbud.channels.faults import FaultInjector, Rejected
from postbud.channels.print import NORWEGIAN_C5_WINDOW, Area, SandboxPrintHouse, texts_in
from postbud.channels.sms import SmsChannel, SmsGateway
from postbud.config import Settings
from postbud.domain.channels import Channel
from postbud.domain.clock import Clock
from postbud.domain.documents import Document, Sensitivity
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, PostalAddress, Recipient
from postbud.domain.shipments import NotificationRequest, PrintInstructions, Shipment
from postbud.domain.status import ShipmentStatus
from postbud.jobs.handlers import core_handlers
from postbud.jobs.worker import Worker
from postbud.services.letters.notify import give_up_notifications, send_notifications
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.storage.blobs import BlobStore, LocalBlobStore
from tests.integration.core_helpers import (
    ADDRESS,
    PERSON_WITH_MAILBOX,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
)

pytestmark = pytest.mark.anyio

MM = 72 / 25.4
RETURN = PostalAddress("Skatteetaten", ("Postboks 9200 Grønland",), "0134", "Oslo")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_pdf(pages: int = 2, label: str = "Vedtak") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        pdf.drawString(30 * MM, A4[1] - 200 * MM, f"{label} side {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- Real servers ---------------------------------------------------------------------------


@dataclass
class SmtpInbox:
    """An aiosmtpd handler that keeps what it receives and refuses chosen recipients."""

    url: str = ""
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=True)


@pytest.fixture
def smtp() -> Iterator[SmtpInbox]:
    inbox = SmtpInbox()
    port = free_port()  # Controller(port=0) fails its own readiness check
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate, auth_require_tls=False
    )
    controller.start()
    inbox.url = f"smtp://postbud%40test:p%C3%A5ss%3Aword@127.0.0.1:{port}"
    yield inbox
    controller.stop()


@dataclass
class SmsGatewayServer:
    url: str = ""
    received: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)
    status: int = 202


@pytest.fixture
def gateway() -> Iterator[SmsGatewayServer]:
    state = SmsGatewayServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.received.append((body, self.headers.get("Idempotency-Key")))
            reply = json.dumps({"id": f"sms-{len(state.received)}"}).encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sms"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
async def blobs(tmp_path: Path) -> AsyncIterator[BlobStore]:
    store = LocalBlobStore(tmp_path / "blobs")
    yield store
    await store.close()


# --- Building shipments without a database ----------------------------------------------------


async def shipment(blobs: BlobStore, *files: tuple[bytes, str, str, str | None], **changes: Any) -> Shipment:
    """A shipment whose documents (content, mime, file type, title) are in ``blobs``."""
    refs = await blobs.put_many([content for content, *_ in files])
    documents = tuple(
        Document(uuid.uuid4(), i, None, title, file_type, mime, ref.sha256, ref.size)
        for i, ((_, mime, file_type, title), ref) in enumerate(zip(files, refs, strict=True))
    )
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "sender_id": uuid.uuid4(),
        "dialect": "platform",
        "external_id": None,
        "recipient_id": None,
        "recipient_party": None,
        "recipient_name": "Kari Nordmann",
        "channels": (Channel.EMAIL,),
        "documents": documents,
        "created_at": Clock().now(),
    }
    fields.update(changes)
    return Shipment(**fields)


def pdf_file(title: str = "Vedtak om skatt", pages: int = 2) -> tuple[bytes, str, str, str | None]:
    return make_pdf(pages, title), "application/pdf", "pdf", title


def person(**caps: Any) -> Recipient:
    return Recipient(
        uuid.uuid4(), parse_party_id(PERSON_WITHOUT_MAILBOX), "Kari Nordmann", Capabilities(**caps)
    )


# --- E-mail --------------------------------------------------------------------------------


async def test_a_letter_by_email_arrives_with_every_attachment(smtp: SmtpInbox, blobs: BlobStore) -> None:
    mailer = Mailer(blobs, Clock(), smtp_url=smtp.url, sender="Postbud <post@postbud.test>")
    channel = EmailChannel(mailer)
    csv = b"dato;belop\n2026-01-01;1200\n"
    main, appendix = pdf_file(), pdf_file("Vedlegg: beregning")
    letter = await shipment(
        blobs, main, appendix, (csv, "text/csv", "csv", "Vedlegg"), (csv, "bogus", "x!", None)
    )

    drafts = await channel.deliver(letter, person(email="kari@example.no"))

    assert [d.type for d in drafts] == [EventType.DELIVERED]
    assert drafts[0].data == {
        "to": "kari@example.no",
        "message_id": f"<letter.{letter.id}@postbud.test>",
        "captured": False,
        "documents": 4,
    }
    assert smtp.logins == [("postbud@test", "påss:word")]
    assert smtp.envelopes == [("post@postbud.test", ["kari@example.no"])]
    message = smtp.messages[0]
    assert message["Subject"] == "Vedtak om skatt"
    assert message["Message-ID"] == f"<letter.{letter.id}@postbud.test>"
    body = message.get_body(("plain",))
    assert body is not None
    assert "attached to this e-mail (4 documents)" in body.get_content()
    parts = [(p.get_filename(), p.get_content_type(), p.get_content()) for p in message.iter_attachments()]
    assert parts == [
        ("Vedtak om skatt.pdf", "application/pdf", main[0]),
        ("Vedlegg_ beregning.pdf", "application/pdf", appendix[0]),
        ("Vedlegg.csv", "text/csv", csv.decode()),
        ("document-4", "application/octet-stream", csv),
    ]


async def test_email_refusals_and_outages(smtp: SmtpInbox, blobs: BlobStore) -> None:
    channel = EmailChannel(Mailer(blobs, Clock(), smtp_url=smtp.url, sender="post@postbud.test"))
    letter = await shipment(blobs, pdf_file())
    smtp.refuse = {
        "gone@example.no": "550 5.1.1 No such user",
        "busy@example.no": "451 4.3.0 Try again later",
    }

    gone = await channel.deliver(letter, person(email="gone@example.no"))
    assert gone[0].type is EventType.DELIVERY_FAILED
    assert "550 5.1.1 No such user" in gone[0].data["reason"]

    with pytest.raises(DeliveryFailed, match="451"):
        await channel.deliver(letter, person(email="busy@example.no"))

    nowhere = EmailChannel(
        Mailer(blobs, Clock(), smtp_url=f"smtp://127.0.0.1:{free_port()}", sender="p@x.test")
    )
    with pytest.raises(DeliveryFailed, match="SMTP failure"):
        await nowhere.deliver(letter, person(email="kari@example.no"))

    huge = replace(letter, documents=(replace(letter.documents[0], size=MAX_ATTACHMENT_BYTES + 1),))
    for attempt, recipient in (
        (letter, person()),
        (letter, person(email="not an address")),
        (huge, person(email="kari@example.no")),
    ):
        failed = await channel.deliver(attempt, recipient)
        assert failed[0].type is EventType.DELIVERY_FAILED
    assert smtp.messages == []


async def test_without_smtp_the_sandbox_captures_the_email_and_says_so(blobs: BlobStore) -> None:
    channel = EmailChannel(Mailer(blobs, Clock(), smtp_url=None, sender="postbud@localhost"))
    letter = await shipment(blobs, pdf_file("Diagnose"), email_address="kari@example.no")
    primary = replace(letter.documents[0], sensitivity=Sensitivity.SENSITIVE)
    letter = replace(letter, documents=(primary,))

    drafts = await channel.deliver(letter, None)

    data = drafts[0].data
    assert drafts[0].type is EventType.DELIVERED
    assert data["captured"] is True
    assert "not sent" in data["note"]
    eml = message_from_bytes(await blobs.get(data["eml_sha256"]), policy=policy.default)
    assert eml["To"] == "kari@example.no"
    assert eml["Subject"] == "A letter for you", "a sensitive letter's subject stays out of the e-mail"
    attachments = list(eml.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["Diagnose.pdf"]


def test_smtp_urls() -> None:
    plain = parse_smtp_url("smtp://127.0.0.1:1025")
    assert (plain.host, plain.port, plain.username, plain.use_tls, plain.start_tls) == (
        "127.0.0.1",
        1025,
        None,
        False,
        None,
    )
    secure = parse_smtp_url("smtps://user:secret@mail.example.no")
    assert (secure.port, secure.username, secure.password, secure.use_tls) == (465, "user", "secret", True)
    assert parse_smtp_url("smtp+starttls://mail.example.no").start_tls is True
    with pytest.raises(ValueError, match="not an SMTP URL"):
        parse_smtp_url("http://mail.example.no")


# --- SMS -----------------------------------------------------------------------------------


async def test_sms_goes_through_the_http_gateway(gateway: SmsGatewayServer, blobs: BlobStore) -> None:
    channel = SmsChannel(SmsGateway(blobs, Clock(), url=gateway.url))
    text = "Hei Kari! Timen din på legesenteret i Tøyen er flyttet til torsdag kl. 10.".encode()
    letter = await shipment(blobs, (text, "text/plain; charset=utf-8", "txt", "Timeendring"))

    drafts = await channel.deliver(letter, person(mobile="412 34 567"))

    assert drafts[0].type is EventType.DELIVERED
    assert drafts[0].data == {"to": "+4741234567", "captured": False, "gateway_id": "sms-1"}
    assert gateway.received == [
        ({"to": "+4741234567", "from": "Postbud", "text": text.decode()}, f"letter.{letter.id}")
    ]

    notice = await channel.send_notice("+46 70 123 45 67", "ignored", "Du har fått brev", "notice.1")
    assert notice["to"] == "+46701234567"
    assert notice["channel"] == "sms"

    pdf_letter = await shipment(blobs, pdf_file())
    refused = await channel.deliver(pdf_letter, person(mobile="41234567"))
    assert refused[0].type is EventType.DELIVERY_FAILED
    assert "only a text/plain letter" in refused[0].data["reason"]
    for mobile in (None, "22 33 44 55", "123"):
        assert (await channel.deliver(letter, person(mobile=mobile)))[0].type is EventType.DELIVERY_FAILED


async def test_sms_gateway_errors(gateway: SmsGatewayServer, blobs: BlobStore) -> None:
    channel = SmsChannel(SmsGateway(blobs, Clock(), url=gateway.url))
    gateway.status = 503
    with pytest.raises(DeliveryFailed, match="503"):
        await channel.send_notice("41234567", "", "text", "k")
    gateway.status = 400
    with pytest.raises(Rejected, match="400"):
        await channel.send_notice("41234567", "", "text", "k")
    down = SmsChannel(SmsGateway(blobs, Clock(), url=f"http://127.0.0.1:{free_port()}/sms"))
    with pytest.raises(DeliveryFailed, match="request failed"):
        await down.send_notice("41234567", "", "text", "k")


async def test_without_a_gateway_the_sandbox_captures_the_sms(blobs: BlobStore) -> None:
    channel = SmsChannel(SmsGateway(blobs, Clock(), url=None, sender_name="Skatt"))
    data = await channel.send_notice("41234567", "", "Du har fått brev", "notice.1")
    assert data["captured"] is True
    assert "not sent" in data["note"]
    stored = json.loads(await blobs.get(data["sms_sha256"]))
    assert (stored["to"], stored["from"], stored["text"]) == ("+4741234567", "Skatt", "Du har fått brev")
    with pytest.raises(ValueError, match="1 to 11"):
        SmsGateway(blobs, Clock(), url=None, sender_name="Skatteetaten")


# --- Print ---------------------------------------------------------------------------------


async def test_the_print_house_prints_a_real_pdf(blobs: BlobStore) -> None:
    house = SandboxPrintHouse(blobs, Clock())
    how = PrintInstructions(recipient=ADDRESS, return_address=RETURN)
    letter = await shipment(blobs, pdf_file(pages=3), pdf_file("Vedlegg", pages=1), print_instructions=how)

    drafts = await house.deliver(letter, None)

    assert [d.type for d in drafts] == [EventType.SENT_TO_PRINT, EventType.PRINTED, EventType.POSTED]
    assert [d.dedup_key for d in drafts] == ["sent_to_print", "printed", "posted"]
    sent = drafts[0].data
    assert (sent["pages"], sent["document_pages"], sent["sheets"], sent["duplex"]) == (8, 4, 4, True)
    assert (sent["color"], sent["postage"]) == (False, "economy")
    assert (
        drafts[2].data["postmarked"] == Clock().now().astimezone(ZoneInfo("Europe/Oslo")).date().isoformat()
    )
    printed = await blobs.get(sent["print_pdf"])
    with pikepdf.open(io.BytesIO(printed)) as pdf:
        assert len(pdf.pages) == 8
    window = texts_in(printed, NORWEGIAN_C5_WINDOW, pages=1)[0].splitlines()
    assert window == [
        "Returadresse: Skatteetaten, Postboks 9200 Grønland, 0134 Oslo",
        "Kari Nordmann",
        "Storgata 1",
        "0155 Oslo",
    ]
    pages = texts_in(printed, Area(0, 0, 210, 297))
    assert pages[1:] == [
        "",
        "Vedtak om skatt side 1",
        "Vedtak om skatt side 2",
        "Vedtak om skatt side 3",
        "",
        "Vedlegg side 1",
        "",
    ]

    again = await house.deliver(letter, None)
    assert again[0].data["print_pdf"] == sent["print_pdf"], "a retried job stores the same print file"


async def test_unprintable_documents_fail_with_the_reason(blobs: BlobStore) -> None:
    house = SandboxPrintHouse(blobs, Clock())
    how = PrintInstructions(recipient=ADDRESS)
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(make_pdf())) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="o", user="u"))
    encrypted = await shipment(
        blobs, (buffer.getvalue(), "application/pdf", "pdf", "Låst"), print_instructions=how
    )
    not_pdf = await shipment(
        blobs, (b"%PDF-1.4 pretending", "application/pdf", "pdf", "x"), print_instructions=how
    )

    for letter, reason in ((encrypted, "password protected"), (not_pdf, "not a readable PDF")):
        drafts = await house.deliver(letter, None)
        assert [(d.type, d.dedup_key) for d in drafts] == [(EventType.PRINT_FAILED, "print_failed")]
        assert reason in drafts[0].data["reason"]

    no_address = await shipment(blobs, pdf_file())
    assert (await house.deliver(no_address, None))[0].data[
        "reason"
    ] == "no postal address to print on the envelope"
    from_register = await house.deliver(no_address, person(postal_address=ADDRESS))
    assert from_register[0].type is EventType.SENT_TO_PRINT


# --- Faults and e-invoice -------------------------------------------------------------------


async def test_injected_faults(blobs: BlobStore, smtp: SmtpInbox) -> None:
    faults = FaultInjector(seed=7)
    house = SandboxPrintHouse(blobs, Clock(), faults)
    email = EmailChannel(Mailer(blobs, Clock(), smtp_url=smtp.url, sender="p@postbud.test"), faults)
    letter = await shipment(blobs, pdf_file(), print_instructions=PrintInstructions(recipient=ADDRESS))

    faults.set(Channel.PRINT, 1.0, "paper jam at the print house")
    drafts = await house.deliver(letter, None)
    assert [d.type for d in drafts] == [EventType.PRINT_FAILED]
    assert drafts[0].data == {"reason": "paper jam at the print house", "injected": True}

    faults.set(Channel.EMAIL, 1.0)
    with pytest.raises(DeliveryFailed, match="sandbox fault"):
        await email.deliver(letter, person(email="kari@example.no"))
    assert smtp.messages == []

    faults.set(Channel.EMAIL, 0.0)
    faults.clear(Channel.PRINT)
    assert faults.faults() == {}
    assert (await house.deliver(letter, None))[0].type is EventType.SENT_TO_PRINT

    with pytest.raises(ValueError, match="between 0 and 1"):
        faults.set(Channel.SMS, 1.5)
    half, same = FaultInjector(seed=1), FaultInjector(seed=1)
    half.set(Channel.SMS, 0.5, "x")
    same.set(Channel.SMS, 0.5, "x")
    first = [half.should_fail(Channel.SMS) for _ in range(200)]
    assert first == [same.should_fail(Channel.SMS) for _ in range(200)], "seeded: reproducible"
    assert 60 < first.count("x") < 140


async def test_einvoice_is_captured_not_transmitted(blobs: BlobStore) -> None:
    letter = await shipment(blobs, pdf_file(), invoice_reference="INV-1")
    drafts = await EInvoiceCapture().deliver(letter, person(ebank=True))
    assert drafts[0].type is EventType.DELIVERED
    assert drafts[0].data["format"] == "efaktura"
    assert drafts[0].data["captured"] is True
    assert (await EInvoiceCapture().deliver(letter, person()))[0].type is EventType.DELIVERY_FAILED


# --- End to end: send_letter, the job worker, the channels -----------------------------------


async def runtime_with(tmp_path: Path, database_url: str, **settings: Any) -> Runtime:
    return await build_runtime(
        Settings(data_dir=tmp_path / "data", database_url=database_url, workers=0, **settings)
    )


async def history(runtime: Runtime, shipment_id: uuid.UUID) -> tuple[ShipmentStatus, list[EventType]]:
    async with runtime.reader() as uow:
        stored = await uow.shipments.get(shipment_id)
        assert stored is not None
        return stored.status, [e.type for e in await uow.events.for_shipment(shipment_id)]


def pdf_input(title: str = "Vedtak") -> DocumentInput:
    return DocumentInput(content=make_pdf(2, title), file_type="pdf", mime="application/pdf", title=title)


async def test_a_print_letter_is_posted(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_with(tmp_path, database_url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    how = PrintInstructions(recipient=ADDRESS, return_address=RETURN)
    accepted = await send_letter(
        SendLetter(
            sender_id=sender,
            dialect="platform",
            recipient=parse_party_id(PERSON_WITHOUT_MAILBOX),
            documents=(pdf_input(),),
            print_instructions=how,
        ),
        runtime,
    )
    assert accepted.decision.channel is Channel.PRINT

    assert await Worker(runtime, core_handlers()).run_once() == 1

    status, events = await history(runtime, accepted.shipment.id)
    assert status is ShipmentStatus.POSTED
    assert events[-3:] == [EventType.SENT_TO_PRINT, EventType.PRINTED, EventType.POSTED]
    async with runtime.reader() as uow:
        sent = next(
            e
            for e in await uow.events.for_shipment(accepted.shipment.id)
            if e.type is EventType.SENT_TO_PRINT
        )
    assert await runtime.blobs.exists(sent.data["print_pdf"])
    await runtime.close()


async def test_an_email_letter_is_retried_while_smtp_is_down(
    tmp_path: Path, database_url: str, smtp: SmtpInbox
) -> None:
    runtime = await runtime_with(tmp_path, database_url, smtp_url=smtp.url, smtp_from="post@postbud.test")
    sender = await add_sender(runtime)
    command = SendLetter(
        sender_id=sender,
        dialect="platform",
        channels=(Channel.EMAIL,),
        email_address="kari@example.no",
        documents=(pdf_input("Faktura"),),
    )
    faults = cast(EmailChannel, runtime.channel(Channel.EMAIL)).faults
    faults.set(Channel.EMAIL, 1.0)
    accepted = await send_letter(command, runtime)
    worker = Worker(runtime, core_handlers())
    assert await worker.run_once() == 1
    status, _ = await history(runtime, accepted.shipment.id)
    assert status is ShipmentStatus.ROUTED, "a transient failure leaves it for the retry"
    assert smtp.messages == []

    faults.clear()
    async with runtime.unit_of_work() as uow:
        await uow.conn.exec_driver_sql("UPDATE jobs SET run_at = created_at")
    assert await worker.run_once() == 1
    status, events = await history(runtime, accepted.shipment.id)
    assert status is ShipmentStatus.DELIVERED
    assert events.count(EventType.DELIVERED) == 1
    assert smtp.messages[0]["Subject"] == "Faktura"
    await runtime.close()


async def test_notifications_by_email_and_sms(
    tmp_path: Path, database_url: str, smtp: SmtpInbox, gateway: SmsGatewayServer
) -> None:
    runtime = await runtime_with(tmp_path, database_url, smtp_url=smtp.url, sms_gateway_url=gateway.url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    notices = (
        NotificationRequest(Channel.EMAIL),
        NotificationRequest(Channel.SMS, address="+47 412 34 567"),
        NotificationRequest(Channel.SMS),
    )

    async def send(title: str, sensitivity: Sensitivity) -> uuid.UUID:
        document = replace(pdf_input(title), sensitivity=sensitivity)
        command = SendLetter(
            sender_id=sender,
            dialect="platform",
            recipient=parse_party_id(PERSON_WITH_MAILBOX),
            documents=(document,),
            notifications=notices,
        )
        return (await send_letter(command, runtime)).shipment.id

    normal = await send("Skattemelding 2025", Sensitivity.NORMAL)
    assert await Worker(runtime, core_handlers()).run_once() == 1

    async with runtime.reader() as uow:
        events = [e for e in await uow.events.for_shipment(normal) if e.type.value.startswith("notification")]
    assert [(e.type, e.dedup_key) for e in events] == [
        (EventType.NOTIFICATION_SENT, "notification:0"),
        (EventType.NOTIFICATION_SENT, "notification:1"),
        (EventType.NOTIFICATION_FAILED, "notification:2"),
    ]
    assert events[0].data["to"] == "ola@example.no"
    assert events[1].data["to"] == "+4741234567"
    assert events[2].data["error"] == "no sms address for the recipient"
    assert smtp.messages[0]["Subject"] == "New letter from Skatteetaten"
    assert "new letter from Skatteetaten in Postbud: “Skattemelding 2025”" in smtp.messages[0].get_content()
    assert gateway.received[0][0]["text"].startswith("You have a new letter from Skatteetaten in Postbud")

    sensitive = await send("Helseopplysninger", Sensitivity.SENSITIVE)
    assert await Worker(runtime, core_handlers()).run_once() == 1
    for text in (smtp.messages[1].get_content(), smtp.messages[1]["Subject"], gateway.received[1][0]["text"]):
        assert "Skatteetaten" not in text
        assert "Helseopplysninger" not in text
    assert gateway.received[1][0]["text"].startswith("You have a new letter in Postbud.")
    _, events_of_sensitive = await history(runtime, sensitive)
    assert events_of_sensitive.count(EventType.NOTIFICATION_SENT) == 2
    await runtime.close()


async def test_notifications_that_keep_failing_are_recorded_as_failed(
    tmp_path: Path, database_url: str, gateway: SmsGatewayServer
) -> None:
    runtime = await runtime_with(tmp_path, database_url, sms_gateway_url=gateway.url)
    sender = await add_sender(runtime)
    await add_recipients(runtime)
    command = SendLetter(
        sender_id=sender,
        dialect="platform",
        recipient=parse_party_id(PERSON_WITH_MAILBOX),
        documents=(pdf_input(),),
        notifications=(
            NotificationRequest(Channel.EMAIL),
            NotificationRequest(Channel.SMS, address="41234567"),
        ),
    )
    shipment_id = (await send_letter(command, runtime)).shipment.id
    gateway.status = 503

    with pytest.raises(DeliveryFailed, match="503"):
        await send_notifications(shipment_id, runtime)
    await give_up_notifications(shipment_id, runtime, "DeliveryFailed: gateway down")
    await send_notifications(shipment_id, runtime)  # nothing left to do

    async with runtime.reader() as uow:
        events = [
            e for e in await uow.events.for_shipment(shipment_id) if e.type.value.startswith("notification")
        ]
    assert [(e.type, e.data.get("captured"), e.data.get("error")) for e in events] == [
        (EventType.NOTIFICATION_SENT, True, None),
        (EventType.NOTIFICATION_FAILED, None, "DeliveryFailed: gateway down"),
    ]
    await runtime.close()

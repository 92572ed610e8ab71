"""Use case (sandbox): fill a recipient's inbox with one letter of each kind, to see and try them.

Each sample is an ordinary letter from the sandbox sender, sent through ``send_letter`` like any
other: a small PDF made here, and a datatype — an invoice to pay, an appointment to put in the
calendar, a sharing request to answer, a sensitive letter that needs a step-up, one that asks for
an opening receipt, and the rest. ``example_datatypes`` holds a valid example of all 21 datatypes.
"""

from __future__ import annotations

import io
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from postbud.channels.print.cover_page import font_name
from postbud.domain.datatypes import datatype_from_dict, datatype_to_dict
from postbud.domain.documents import AuthenticationLevel, Sensitivity
from postbud.domain.errors import NotFound
from postbud.domain.identifiers import generate_kid, generate_norwegian_account
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.runtime import Runtime
from postbud.services.sandbox.seed import sandbox_sender

LOCAL_ZONE = ZoneInfo("Europe/Oslo")
DIALECT = "sandbox"


def _at(now: datetime, days: int, hour: int, minute: int = 0) -> str:
    day = now.astimezone(LOCAL_ZONE).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), LOCAL_ZONE).isoformat()


def example_datatypes(now: datetime) -> dict[str, dict[str, Any]]:
    """A valid example of each datatype, in its stored JSON form (core names), dated around ``now``."""
    rng = random.Random(f"samples-{now.date().isoformat()}")
    account = generate_norwegian_account(rng)
    address = {"street_address": "Storgata 1", "postal_code": "0155", "city": "Oslo"}
    return {
        "invoice": {
            "due_date": _at(now, 14, 0),
            "sum": "1249.50",
            "creditor_account": account,
            "kid": generate_kid(rng, 10),
            "link": {"url": "https://example.com/faktura", "button_text": "Se fakturaen"},
        },
        "inkasso": {
            "due_date": _at(now, 7, 0),
            "sum": "612.00",
            "account": generate_norwegian_account(rng),
            "kid": generate_kid(rng, 12, "mod11"),
        },
        "invoice-payment": {
            "payment_id": "9f2c1e",
            "payment_status": "ACSC",
            "payment_time": _at(now, -1, 12),
            "debtor_account": generate_norwegian_account(rng),
            "payment_channel": "nettbank",
            "payment_bank": {"name": "Sandbox Sparebank"},
        },
        "appointment": {
            "start_time": _at(now, 10, 9, 30),
            "end_time": _at(now, 10, 10, 15),
            "arrival_time": "Kom gjerne ti minutter før",
            "place": "Fjord Tannklinikk",
            "address": {"street_address": "Kirkegata 12", "postal_code": "0153", "city": "Oslo"},
            "sub_title": "Årlig kontroll",
            "info": [
                {"title": "Forberedelser", "text": "Puss tennene før timen.\nTa med legitimasjon."},
                {"title": "Avbestilling", "text": "Avbestill senest 24 timer før, ellers må du betale."},
            ],
        },
        "event": {
            "sub_title": "Foreldremøte for 3. trinn",
            "time_intervals": [
                {"start_time": _at(now, 5, 18), "end_time": _at(now, 5, 19, 30)},
                {"start_time": _at(now, 40, 18), "end_time": _at(now, 40, 19, 30)},
            ],
            "time_label": "Møtetider",
            "description": "Vi går gjennom planene for høsten.",
            "place": "Solbakken skole, aulaen",
            "place_label": "Sted",
            "address": {"street_address": "Solbakken 4", "postal_code": "5003", "city": "Bergen"},
            "info": [{"title": "Påmelding", "text": "Ingen påmelding."}],
            "links": [{"url": "https://example.com/skole", "description": "Skolens nettside"}],
        },
        "externalLink": {
            "url": "https://example.com/undersokelse",
            "deadline": _at(now, 30, 23, 59),
            "description": "Svar på brukerundersøkelsen, det tar fem minutter.",
            "button_text": "Svar nå",
        },
        "payslip": {"payment_date": (now + timedelta(days=2)).date().isoformat(), "net_amount": "32450.75"},
        "signedDocument": {
            "document_issuer": "Fjord Eiendom AS",
            "document_subject": "Leiekontrakt for Storgata 1",
            "signing_time": _at(now, -3, 14, 12),
        },
        "opening-receipt": {"group": "vedtak-2026"},
        "opening-receipt-accepted": {},
        "residence": {
            "address": {
                "unit_number": "H0101",
                "house_number": "1A",
                "street_name": "Storgata",
                "postal_code": "0155",
                "city": "Oslo",
            },
            "matrikkel": {"kommunenummer": "0301", "gaardsnummer": "207", "bruksnummer": "54"},
            "source": "Kartverket",
        },
        "boligdetaljer": {
            "residence": {
                "address": {
                    "house_number": "1A",
                    "street_name": "Storgata",
                    "postal_code": "0155",
                    "city": "Oslo",
                },
                "matrikkel": {"kommunenummer": "0301", "gaardsnummer": "207", "bruksnummer": "54"},
            },
            "hjemmelshavere": [{"name": "Kari Nordmann", "email": "kari@example.com"}],
            "bruksareal": 74,
            "antall_oppholdsrom": 3,
            "antall_baderom": 1,
            "omsetningshistorikk": [
                {"dato": "2019-06-01T00:00:00+02:00", "beskrivelse": "Fritt salg", "beloep": 4150000}
            ],
            "heftelser": [
                {"panthaver": "Sandbox Sparebank", "type_pant": "Pantedokument", "beloep": "3 200 000"}
            ],
        },
        "pickup-notice": {
            "parcel_id": "370123456789012345",
            "barcode": {"barcode_value": "370123456789", "barcode_type": "CODE_128"},
            "product_name": "Pakke i postkassen",
            "arrival_date_time": _at(now, 0, 8),
            "return_date_time": _at(now, 14, 20),
            "recipient": {"name": "Mottaker", "digipost_address": "mottaker#1234"},
            "sender": {"name": "Nettbutikken AS", "reference": "ORD-4471"},
            "pickup_place": {
                "name": "Post i butikk Storgata",
                "code": "112233",
                "instruction": "Vis hentekoden i kassen.",
                "shelf_location": "B12",
                "address": address,
            },
            "package": {"length": 30, "width": 20, "height": 10, "weight": 1200},
            "cost": {"value_to_be_payed": "0"},
            "status": "READY_FOR_PICKUP",
        },
        "pickup-notice-status": {"status": "PICKED_UP", "occurrence_datetime": _at(now, 1, 15)},
        "proof": {
            "authorizer_name": "Miljødirektoratet",
            "background_color": "#1F6F4A",
            "issued_time": _at(now, -10, 9),
            "valid_period": {
                "period": {"from_time": "2026-01-01T00:00:00", "to_time": "2026-12-31T23:59:00"}
            },
            "proof_holder": {"firstname": "Kari", "surname": "Nordmann"},
            "title": "Fiskekort",
            "proof_id_name": "Kortnummer",
            "proof_id_value": "FK-2026-0042",
            "attributes": [{"title": "Område", "text": "Hele landet"}],
        },
        "receipt": {
            "receipt_number": "4711",
            "purchase_time": _at(now, -1, 8, 42),
            "total_price": "87.00",
            "total_vat": "9.32",
            "currency": "NOK",
            "merchant_name": "Fjord Bakeri",
            "merchant_address": address,
            "payments": [{"payment_type": "Kort", "card_number": "************1234", "amount": "87.00"}],
            "items": [
                {"item_name": "Grovbrød", "quantity": 1, "item_price": "52.00", "total_price": "52.00"},
                {"item_name": "Kanelbolle", "quantity": 1, "item_price": "35.00", "total_price": "35.00"},
            ],
        },
        "share-documents-request": {
            "max_share_duration_seconds": 14 * 24 * 3600,
            "purpose": "Vi trenger lønnsslipper og skattemelding for å behandle lånesøknaden din.",
        },
        "share-documents-request-documents-shared": {"document_ids": [1, 2]},
        "share-documents-request-sharing-stopped": {},
        "verifiable-credential-notice": {
            "credential_id": "KB-2026-0042",
            "valid_from": _at(now, 0, 0),
            "valid_until": _at(now, 5 * 365, 0),
            "title": "Nytt kompetansebevis",
            "description": "Beviset ligger klart i lommeboken din.",
        },
        "verifiable-presentation-notice": {
            "title": "Forespørsel om bevis",
            "description": "Arbeidsgiveren din ber om å se førerkortet ditt.",
        },
    }


@dataclass(frozen=True, slots=True)
class SampleLetter:
    subject: str
    kind: str | None
    lines: tuple[str, ...]
    authentication: AuthenticationLevel = AuthenticationLevel.PASSWORD
    sensitivity: Sensitivity = Sensitivity.NORMAL
    opening_receipt: bool = False
    attachments: tuple[str, ...] = ()


SAMPLES: tuple[SampleLetter, ...] = (
    SampleLetter(
        "Faktura for strøm – november",
        "invoice",
        ("Takk for at du er kunde hos oss.",),
        attachments=("Vilkår",),
    ),
    SampleLetter("Innkalling til tannlegetime", "appointment", ("Velkommen til årlig kontroll.",)),
    SampleLetter(
        "Forespørsel om dokumentasjon til lånesøknad",
        "share-documents-request",
        ("Del dokumentene i Postbud.",),
    ),
    SampleLetter("Lønnsslipp for november", "payslip", ("Her er lønnsslippen din.",)),
    SampleLetter("Hjelp oss å bli bedre", "externalLink", ("Vi vil gjerne høre fra deg.",)),
    SampleLetter("Foreldremøte", "event", ("Velkommen til foreldremøte.",)),
    SampleLetter("Du har en pakke å hente", "pickup-notice", ("Pakken venter på deg.",)),
    SampleLetter("Kvittering fra Fjord Bakeri", "receipt", ("Takk for handelen.",)),
    SampleLetter("Signert leiekontrakt", "signedDocument", ("Kontrakten er signert av begge parter.",)),
    SampleLetter("Ditt fiskekort", "proof", ("Ha kortet tilgjengelig når du fisker.",)),
    SampleLetter("Inkassovarsel", "inkasso", ("Vi har ikke mottatt betaling.",)),
    SampleLetter("Boligdetaljer for Storgata 1A", "boligdetaljer", ("Opplysninger fra grunnboken.",)),
    SampleLetter("Bekreftet bosted", "residence", ("Du er registrert på denne adressen.",)),
    SampleLetter("Nytt kompetansebevis", "verifiable-credential-notice", ("Beviset er klart.",)),
    SampleLetter(
        "Vedtak om barnehageplass",
        "opening-receipt",
        ("Du har fått plass fra august.",),
        opening_receipt=True,
    ),
    SampleLetter(
        "Prøvesvar fra legekontoret",
        None,
        ("Prøvene dine er ferdig analysert.",),
        authentication=AuthenticationLevel.IDPORTEN_4,
        sensitivity=Sensitivity.SENSITIVE,
    ),
)


def letter_pdf(sender: str, title: str, lines: tuple[str, ...]) -> bytes:
    """A one-page A4 letter with a letterhead, a title and a few lines; deterministic bytes."""
    font = font_name()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    pdf.setTitle(title)
    pdf.setAuthor(sender)
    width, height = A4
    pdf.setFillColorRGB(0.64, 0.09, 0.10)
    pdf.rect(0, height - 70, width, 70, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont(font, 16)
    pdf.drawString(56, height - 44, sender)
    pdf.setFillColorRGB(0.1, 0.1, 0.1)
    pdf.setFont(font, 20)
    pdf.drawString(56, height - 130, title)
    pdf.setFont(font, 11)
    y = height - 170
    for line in (
        *lines,
        "",
        "Dette er et eksempelbrev fra Postbud-sandkassen.",
        "Med vennlig hilsen",
        sender,
    ):
        pdf.drawString(56, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _document(sender: str, title: str, lines: tuple[str, ...]) -> DocumentInput:
    return DocumentInput(
        content=letter_pdf(sender, title, lines),
        file_type="pdf",
        mime="application/pdf",
        title=title,
        pages=1,
    )


async def send_sample_letters(runtime: Runtime, recipient_id: uuid.UUID) -> int:
    """Send every sample to the recipient from the sandbox sender; returns how many were sent."""
    async with runtime.reader() as uow:
        recipient = await uow.recipients.get(recipient_id)
    if recipient is None:
        raise NotFound("recipient", recipient_id)
    sender = await sandbox_sender(runtime)
    examples = example_datatypes(runtime.clock.now())
    for sample in SAMPLES:
        primary = _document(sender.name, sample.subject, sample.lines)
        datatype = (
            datatype_to_dict(datatype_from_dict(sample.kind, examples[sample.kind])) if sample.kind else None
        )
        documents = [
            DocumentInput(
                content=primary.content,
                file_type="pdf",
                mime="application/pdf",
                title=sample.subject,
                authentication=sample.authentication,
                sensitivity=sample.sensitivity,
                datatype=datatype,
                opening_receipt=sample.opening_receipt,
                pages=1,
            ),
            *(_document(sender.name, title, ("Vedlegg til brevet.",)) for title in sample.attachments),
        ]
        await send_letter(
            SendLetter(
                sender_id=uuid.UUID(sender.sender_id),
                dialect=DIALECT,
                recipient=recipient.party_id,
                documents=tuple(documents),
            ),
            runtime,
        )
    return len(SAMPLES)

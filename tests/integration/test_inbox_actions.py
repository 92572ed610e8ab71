"""What a recipient does with a card: pay an invoice, add an appointment to the calendar, share documents."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from postbud.domain.events import EventType
from postbud.services.inbox.pay_invoice import bank_today
from postbud.services.inbox.sharing import sharing_state
from postbud.services.sandbox.sample_letters import example_datatypes
from postbud.web.inbox.cards import sandbox_account
from tests.integration.test_inbox_web import World, world
from tests.real_pdf import real_pdf

__all__ = ["world"]

OSLO = ZoneInfo("Europe/Oslo")
PDF = real_pdf("shared")


def _example(world: World, kind: str, **changes: Any) -> dict[str, Any]:
    return {"kind": kind, **example_datatypes(world.runtime.clock.now())[kind], **changes}


def _pay_form(world: World, **changes: str) -> dict[str, str]:
    today = bank_today(world.runtime.clock.now())
    return {"from_account": sandbox_account(world.ola.id), "pay_on": today.isoformat(), **changes}


# --- Paying -----------------------------------------------------------------------------------------------


def test_paying_an_invoice_records_the_payment_once(world: World) -> None:
    letter = world.send(world.ola, "Faktura", datatype=_example(world, "invoice"))
    world.sign_in(world.ola)
    form = world.client.get(f"/inbox/letters/{letter.id}").text
    assert "Betal 1\u00a0249,50\u00a0kr" in form
    response = world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world))
    assert response.headers["location"] == f"/inbox/letters/{letter.id}"
    paid = world.client.get(f"/inbox/letters/{letter.id}").text
    assert "Betalingen er registrert" in paid
    assert "Betalt 1\u00a0249,50\u00a0kr" in paid
    assert 'action="/inbox/letters/' + str(letter.id) + '/pay"' not in paid

    (payment,) = [e for e in world.events(letter) if e.type is EventType.PAYMENT_REGISTERED]
    assert payment.data["amount"] == "1249.50"
    assert payment.data["creditor_account"] == _example(world, "invoice")["creditor_account"]
    assert payment.data["kid"] == _example(world, "invoice")["kid"]
    assert payment.data["datatype"]["kind"] == "invoice-payment"
    assert payment.data["datatype"]["payment_status"] == "ACSC"

    again = world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world))
    assert again.status_code == 409
    assert "allerede betalt" in again.text
    assert world.count(letter, EventType.PAYMENT_REGISTERED) == 1


def test_a_payment_on_a_later_date_is_pending(world: World) -> None:
    letter = world.send(world.ola, "Faktura", datatype=_example(world, "invoice"))
    world.sign_in(world.ola)
    later = (bank_today(world.runtime.clock.now()) + timedelta(days=10)).isoformat()
    world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world, pay_on=later))
    (payment,) = [e for e in world.events(letter) if e.type is EventType.PAYMENT_REGISTERED]
    assert payment.data["payment_date"] == later
    assert payment.data["datatype"]["payment_status"] == "PDNG"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "1.00"}, "amount", "Beløpet må være det brevet ber om"),
        ({"amount": "abc"}, "amount", "Skriv et beløp"),
        (
            {"from_account": "12345678901"},
            "from_account",
            "Kontrollsifferet (det siste sifferet) stemmer ikke",
        ),
        ({"pay_on": "2001-01-01"}, "pay_on", "Velg en betalingsdato"),
        ({"pay_on": "i morgen"}, "pay_on", "Velg en betalingsdato"),
        ({"pay_on": "2999-01-01"}, "pay_on", "Velg en betalingsdato"),
    ],
)
def test_a_tampered_payment_form_changes_nothing(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    letter = world.send(world.ola, "Faktura", datatype=_example(world, "invoice"))
    world.sign_in(world.ola)
    response = world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world, **changes))
    assert response.status_code == 400
    assert "Betalingen ble ikke registrert" in response.text
    assert message in response.text
    if field != "amount":  # an invoice's amount is fixed: it has no field of its own
        assert f'id="error-{field}"' in response.text
    assert world.count(letter, EventType.PAYMENT_REGISTERED) == 0


def test_a_notice_without_a_sum_is_paid_with_the_amount_given(world: World) -> None:
    inkasso = _example(world, "inkasso")
    del inkasso["sum"]
    letter = world.send(world.ola, "Inkassovarsel", datatype=inkasso)
    world.sign_in(world.ola)
    assert world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world)).status_code == 400
    world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world, amount="612,40"))
    (payment,) = [e for e in world.events(letter) if e.type is EventType.PAYMENT_REGISTERED]
    assert Decimal(payment.data["amount"]) == Decimal("612.40")


def test_a_letter_that_is_no_invoice_cannot_be_paid(world: World) -> None:
    letter = world.send(world.ola, "Vedtak")
    world.sign_in(world.ola)
    response = world.post(f"/inbox/letters/{letter.id}/pay", _pay_form(world))
    assert response.status_code == 409
    assert world.count(letter, EventType.PAYMENT_REGISTERED) == 0


# --- The calendar ---------------------------------------------------------------------------------------


def test_add_to_calendar_gives_a_valid_stable_ics(world: World) -> None:
    appointment = _example(world, "appointment")
    letter = world.send(world.ola, "Tannlegetime", datatype=appointment)
    world.sign_in(world.ola)
    first = world.client.get(f"/inbox/letters/{letter.id}/calendar.ics")
    second = world.client.get(f"/inbox/letters/{letter.id}/calendar.ics")
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    assert first.headers["content-disposition"].startswith('attachment; filename="tannlegetime.ics"')
    assert first.content == second.content

    calendar = Calendar.from_ical(first.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["VERSION"]) == "2.0"
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Oslo"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{letter.id}.{letter.primary.id}@postbud"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None
    assert start.isoformat() == appointment["start_time"]
    assert event.decoded("DTEND").isoformat() == appointment["end_time"]
    assert str(event["SUMMARY"]) == "Tannlegetime"
    assert str(event["LOCATION"]) == "Fjord Tannklinikk, Kirkegata 12, 0153 Oslo"
    assert "Kom gjerne ti minutter før" in str(event["DESCRIPTION"])
    assert "Avbestilling" in str(event["DESCRIPTION"])


def test_an_event_with_two_times_gives_two_calendar_entries(world: World) -> None:
    letter = world.send(world.ola, "Foreldremøte", datatype=_example(world, "event"))
    world.sign_in(world.ola)
    calendar = Calendar.from_ical(world.client.get(f"/inbox/letters/{letter.id}/calendar.ics").content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    assert len({str(e["UID"]) for e in events}) == 2


def test_a_letter_without_an_appointment_has_no_calendar_file(world: World) -> None:
    letter = world.send(world.ola, "Vedtak")
    world.sign_in(world.ola)
    assert world.client.get(f"/inbox/letters/{letter.id}/calendar.ics").status_code == 404


# --- Sharing ------------------------------------------------------------------------------------------------


def _request(world: World) -> Any:
    return world.send(
        world.ola, "Forespørsel om dokumentasjon", datatype=_example(world, "share-documents-request")
    )


def _shared(world: World, request: Any) -> list[str]:
    state = world.run(sharing_state, world.runtime, request.id)
    return [d.subject for d in state.documents]


def test_sharing_inbox_letters_and_an_uploaded_pdf_then_withdrawing(world: World) -> None:
    payslip = world.send(world.ola, "Lønnsslipp for oktober", attachments=1)
    request = _request(world)
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{request.id}").text
    assert "Vi trenger lønnsslipper og skattemelding" in page
    assert f'value="{payslip.primary.id}"' in page
    assert f'value="{payslip.documents[1].id}"' in page
    assert f'value="{request.primary.id}"' not in page  # not the request itself

    response = world.post(
        f"/inbox/letters/{request.id}/share",
        {"document": [str(payslip.primary.id)]},
        files={"file": ("skattemelding.pdf", PDF, "application/pdf")},
    )
    assert response.headers["location"] == f"/inbox/letters/{request.id}"
    shared = world.client.get(f"/inbox/letters/{request.id}").text
    assert "Dokumentene er delt" in shared
    assert "Du deler 2 dokumenter" in shared
    assert sorted(_shared(world, request)) == ["Lønnsslipp for oktober", "skattemelding"]
    assert world.count(request, EventType.DOCUMENTS_SHARED) == 1

    again = world.post(f"/inbox/letters/{request.id}/share", {"document": [str(payslip.primary.id)]})
    assert again.status_code == 409  # already shared
    assert world.post(f"/inbox/letters/{request.id}/withdraw").status_code == 303
    assert "Du trakk tilbake delingen" in world.client.get(f"/inbox/letters/{request.id}").text
    assert world.count(request, EventType.SHARING_WITHDRAWN) == 1
    assert world.post(f"/inbox/letters/{request.id}/withdraw").status_code == 409


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (("bilde.png", b"\x89PNG\r\n\x1a\n....", "image/png"), "Filen er ikke en PDF"),
        (("falsk.pdf", b"<html>not a pdf</html>", "application/pdf"), "Filen er ikke en PDF"),
        (("tom.pdf", b"", "application/pdf"), "Filen er tom"),
    ],
)
def test_an_upload_that_is_not_a_pdf_is_refused_and_nothing_is_shared(
    world: World, upload: tuple[str, bytes, str], message: str
) -> None:
    request = _request(world)
    world.sign_in(world.ola)
    response = world.post(f"/inbox/letters/{request.id}/share", files={"file": upload})
    assert response.status_code == 400
    assert message in response.text
    assert "Ingenting ble delt" in response.text
    assert _shared(world, request) == []


def test_an_oversize_upload_is_refused_and_nothing_is_shared(world: World) -> None:
    world.web.max_upload_bytes = 2_000
    request = _request(world)
    world.sign_in(world.ola)
    a_bit_large = PDF + b"0" * 3_000
    response = world.post(
        f"/inbox/letters/{request.id}/share", files={"file": ("stor.pdf", a_bit_large, "application/pdf")}
    )
    assert response.status_code == 400
    assert "Filen er for stor" in response.text
    far_too_large = PDF + b"0" * 200_000
    response = world.post(
        f"/inbox/letters/{request.id}/share", files={"file": ("enorm.pdf", far_too_large, "application/pdf")}
    )
    assert response.status_code == 413
    assert "Ingenting er endret" in response.text
    assert _shared(world, request) == []


def test_sharing_someone_elses_document_or_nothing_is_refused(world: World) -> None:
    evas = world.send(world.eva, "Evas lønnsslipp")
    request = _request(world)
    world.sign_in(world.ola)
    for data in ({"document": [str(evas.primary.id)]}, {"document": ["not-a-uuid"]}, {}):
        response = world.post(f"/inbox/letters/{request.id}/share", data)
        assert response.status_code == 400, data
        assert "Ingenting ble delt" in response.text
    assert "Evas lønnsslipp" not in response.text
    assert _shared(world, request) == []

"""The print production line over Ekopost's HTTP API on SQLite and PostgreSQL: a closed campaign is
printed in print batch files (each envelope's address found in the window of its pages there), held
until its output date, colour and plex kept per print batch, the reply-mail form and envelope, the
console's faults, and the monthly (113) and daily large-document (143) limits refusing a close with
nothing of the campaign released."""

from __future__ import annotations

import asyncio
import io
import re
import time
import uuid
from datetime import timedelta
from typing import Any

import pikepdf

from postbud.channels.print.geometry import EKOPOST_WINDOW, Area
from postbud.channels.print.preflight import texts_in
from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.domain.print_batches import REPLY_ENVELOPE_INSERT, PrintBatch
from postbud.domain.print_limits import PrintLimits
from postbud.domain.status import ShipmentStatus
from postbud.services.console import print_queue
from postbud.services.letters.batches import find_batch
from postbud.services.letters.query import get_shipment
from postbud.services.parties.senders import find_sender
from postbud.services.print_line.limits import print_limits_of, set_print_limits
from postbud.services.print_line.queries import print_batch_pdf, print_batches_of
from postbud.services.sandbox.clock import advance_clock
from postbud.services.sandbox.faults import set_channel_fault
from postbud.services.sandbox.reset import reset_sandbox
from tests.integration.test_ekopost_fixtures import CUSTOMER_ORGNR, Ekopost, content_body, ekopost, letter_pdf

__all__ = ["ekopost"]
FUTURE = "2099-01-01 08:00:00"
DONE = (ShipmentStatus.POSTED, ShipmentStatus.FAILED)


def _envelope(ekopost: Ekopost, campaign_id: str, pdf: bytes, *extra: dict[str, Any], **fields: Any) -> str:
    envelope = ekopost.envelope(campaign_id, **fields)
    path = f"/campaigns/{campaign_id}/envelopes/{envelope['id']}"
    added = ekopost.post(path + "/content", content_body(pdf))
    assert added.status_code == 200, added.text
    for body in extra:
        assert ekopost.post(path + "/content", body).status_code == 200
    closed = ekopost.post(path + "/close")
    assert closed.status_code == 200, closed.text
    return str(envelope["id"])


def _events(ekopost: Ekopost, envelope_id: str) -> dict[EventType, dict[str, Any]]:
    details = ekopost.run(lambda: get_shipment(uuid.UUID(envelope_id), ekopost.runtime))
    return {e.type: e.data for e in details.events}


def _print_batches(ekopost: Ekopost, campaign_id: str) -> list[PrintBatch]:
    async def of_campaign() -> list[PrintBatch]:
        sender = await find_sender(CUSTOMER_ORGNR, ekopost.runtime)
        batch = await find_batch(ekopost.runtime, sender.id, "ekopost", campaign_id)
        return await print_batches_of(ekopost.runtime, batch.id)

    return ekopost.run(of_campaign)


def _pdf(ekopost: Ekopost, batch: PrintBatch) -> bytes:
    return ekopost.run(lambda: print_batch_pdf(ekopost.runtime, batch.id))


def _completed(ekopost: Ekopost, campaign_id: str) -> None:
    deadline = time.monotonic() + 30
    while ekopost.get(f"/campaigns/{campaign_id}").json()["state"] != "completed":
        assert time.monotonic() < deadline, "the campaign never completed"
        ekopost.run(lambda: asyncio.sleep(0.1))


def _page_window(pdf: bytes, page: int, window: Area) -> str:
    """The text in ``window`` on page ``page`` (from 1) of ``pdf``."""
    with pikepdf.open(io.BytesIO(pdf)) as whole, pikepdf.new() as one:
        one.pages.append(whole.pages[page - 1])
        buffer = io.BytesIO()
        one.save(buffer)
    return texts_in(buffer.getvalue(), window, pages=1)[0]


def test_a_closed_campaign_is_printed_in_one_batch_file_with_each_address_in_its_window(
    ekopost: Ekopost,
) -> None:
    campaign = ekopost.campaign()
    people = [(f"Person {n} Svensson", f"Gatan {n}", f"12{n} 45 Stockholm") for n in range(1, 5)]
    window_envelopes = {
        _envelope(ekopost, campaign["id"], letter_pdf(p, pages=n)): p for n, p in enumerate(people, 1)
    }
    cover_address = {
        "$type": "postal",
        "name": ["Kalle Anka"],
        "street": ["Paradisäppelvägen 111"],
        "postal_code": "12345",
        "city": "Ankeborg",
        "country": "SE",
        "use_coverpage": True,
    }
    cover_envelope = _envelope(
        ekopost, campaign["id"], letter_pdf(()), address=cover_address, postage="economy"
    )
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    for envelope_id in [*window_envelopes, cover_envelope]:
        assert ekopost.wait_for(envelope_id, *DONE) is ShipmentStatus.POSTED
    _completed(ekopost, campaign["id"])

    [batch] = _print_batches(ekopost, campaign["id"])
    pdf = _pdf(ekopost, batch)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        assert len(opened.pages) == batch.pages
    ticket = batch.ticket()
    assert ticket["plex"] == "simplex"
    assert ticket["color"] is False
    assert [e["shipment_id"] for e in ticket["envelopes"]] == [*window_envelopes, cover_envelope]
    for envelope_id, address in window_envelopes.items():
        sent = _events(ekopost, envelope_id)[EventType.SENT_TO_PRINT]
        assert sent["print_batch"] == str(batch.id)
        assert sent["print_pdf"] == batch.sha256
        first, last = sent["batch_pages"]
        assert last - first + 1 == sent["pages"] == sent["document_pages"]
        shown = _page_window(pdf, first, EKOPOST_WINDOW)
        assert shown.split() == " ".join(address).split()
        posted = _events(ekopost, envelope_id)[EventType.POSTED]
        assert posted["postage"] == "priority"
    sent = _events(ekopost, cover_envelope)[EventType.SENT_TO_PRINT]
    assert sent["cover_page"] is True
    assert sent["pages"] == 2
    window = Area(*sent["window_mm"]) if "window_mm" in sent else None
    cover_text = " ".join(texts_in(_one_page(pdf, sent["batch_pages"][0]), window or _house_window(ekopost)))
    assert "Kalle Anka" in cover_text
    assert "12345 Ankeborg" in cover_text
    pages = [e["pages"] for e in ticket["envelopes"]]
    assert pages == [[1, 1], [2, 3], [4, 6], [7, 10], [11, 12]]
    economy = _events(ekopost, cover_envelope)[EventType.POSTED]
    assert economy["postage"] == "economy"
    assert economy["expected_arrival"] > economy["postmarked"]


def _one_page(pdf: bytes, page: int) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as whole, pikepdf.new() as one:
        one.pages.append(whole.pages[page - 1])
        buffer = io.BytesIO()
        one.save(buffer)
    return buffer.getvalue()


def _house_window(ekopost: Ekopost) -> Area:
    house = ekopost.runtime.channel(Channel.PRINT)
    window = getattr(house, "window", None)
    assert isinstance(window, Area)
    return window


def test_a_campaign_is_held_until_its_output_date_then_printed(ekopost: Ekopost) -> None:
    now = ekopost.runtime.clock.now()
    campaign = ekopost.campaign(output_date=(now + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S"))
    envelope_id = _envelope(ekopost, campaign["id"], letter_pdf())
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").json()["state"] == "closed"
    ekopost.run(lambda: asyncio.sleep(0.5))
    assert ekopost.get(f"/campaigns/{campaign['id']}/envelopes/{envelope_id}").json()["state"] == "closed"
    assert _print_batches(ekopost, campaign["id"]) == []
    ekopost.run(lambda: advance_clock(ekopost.runtime, timedelta(days=2, minutes=1)))
    assert ekopost.wait_for(envelope_id, *DONE) is ShipmentStatus.POSTED
    _completed(ekopost, campaign["id"])
    [batch] = _print_batches(ekopost, campaign["id"])
    assert batch.printed_at is not None
    assert _events(ekopost, envelope_id)[EventType.SENT_TO_PRINT]["print_batch"] == str(batch.id)


def test_colour_and_plex_each_get_a_print_batch_of_their_own_with_blank_backs_for_duplex(
    ekopost: Ekopost,
) -> None:
    campaign = ekopost.campaign()
    plain = _envelope(ekopost, campaign["id"], letter_pdf(pages=3))
    colour = _envelope(ekopost, campaign["id"], letter_pdf(pages=3), color=True)
    duplex = _envelope(ekopost, campaign["id"], letter_pdf(pages=3), plex="duplex")
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    for envelope_id in (plain, colour, duplex):
        assert ekopost.wait_for(envelope_id, *DONE) is ShipmentStatus.POSTED
    batches = {(b.color, b.duplex): b for b in _print_batches(ekopost, campaign["id"])}
    assert set(batches) == {(False, False), (True, False), (False, True)}
    assert batches[True, False].ticket()["color"] is True
    two_sided = batches[False, True]
    assert two_sided.ticket()["plex"] == "duplex"
    assert (two_sided.pages, two_sided.sheets) == (4, 2)  # three pages and a blank back
    assert _events(ekopost, duplex)[EventType.SENT_TO_PRINT]["sheets"] == 2
    assert (batches[False, False].pages, batches[False, False].sheets) == (3, 3)


def test_reply_mail_prints_the_form_with_a_reply_envelope_not_as_an_attachment(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign(replymail=True)
    template = {**content_body(letter_pdf((), body="Svarsblankett"), type="attachment"), "replymail": True}
    envelope_id = _envelope(ekopost, campaign["id"], letter_pdf(pages=2), template)
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    assert ekopost.wait_for(envelope_id, *DONE) is ShipmentStatus.POSTED
    [batch] = _print_batches(ekopost, campaign["id"])
    [entry] = batch.envelopes
    assert entry.inserts == (REPLY_ENVELOPE_INSERT,)
    assert entry.reply_form_pages == (3, 3)
    assert batch.ticket()["envelopes"][0]["inserts"] == ["reply_envelope"]
    sent = _events(ekopost, envelope_id)[EventType.SENT_TO_PRINT]
    assert sent["reply_envelope"] is True
    assert sent["document_pages"] == 2
    assert sent["pages"] == 3
    assert "Svarsblankett" in " ".join(texts_in(_one_page(_pdf(ekopost, batch), 3), Area(0, 0, 210, 297)))


def test_a_print_fault_fails_the_envelope_with_its_reason_and_the_others_print(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    envelopes = [_envelope(ekopost, campaign["id"], letter_pdf()) for _ in range(2)]
    ekopost.run(lambda: set_channel_fault(ekopost.runtime, Channel.PRINT, 1.0, "paper jam"))
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    for envelope_id in envelopes:
        assert ekopost.wait_for(envelope_id, *DONE) is ShipmentStatus.FAILED
        got = ekopost.get(f"/campaigns/{campaign['id']}/envelopes/{envelope_id}").json()
        assert got["state"] == "failed"
        assert "paper jam" in got["failed_reason"]
    assert _print_batches(ekopost, campaign["id"]) == []


def _customer_limits(ekopost: Ekopost, limits: PrintLimits) -> None:
    async def set_them() -> None:
        sender = await find_sender(CUSTOMER_ORGNR, ekopost.runtime)
        await set_print_limits(ekopost.runtime, sender.id, limits)

    ekopost.run(set_them)


def _refused_close(ekopost: Ekopost, campaign_id: str, code: str, envelopes: list[str]) -> None:
    refused = ekopost.post(f"/campaigns/{campaign_id}/close")
    assert refused.status_code == 400
    assert refused.json()["error_code"] == code, refused.text
    assert ekopost.get(f"/campaigns/{campaign_id}").json()["state"] == "opened"
    ekopost.run(lambda: asyncio.sleep(0.3))
    for envelope_id in envelopes:
        assert ekopost.get(f"/campaigns/{campaign_id}/envelopes/{envelope_id}").json()["state"] == "closed"
    assert _print_batches(ekopost, campaign_id) == []


def test_the_monthly_letter_limit_refuses_the_close_with_113(ekopost: Ekopost) -> None:
    _customer_limits(ekopost, PrintLimits(letters_per_month=1))
    campaign = ekopost.campaign()
    envelopes = [_envelope(ekopost, campaign["id"], letter_pdf()) for _ in range(2)]
    _refused_close(ekopost, campaign["id"], "113", envelopes)
    cancelled = ekopost.post(f"/campaigns/{campaign['id']}/envelopes/{envelopes[1]}/cancel")
    assert cancelled.status_code == 200
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    assert ekopost.wait_for(envelopes[0], *DONE) is ShipmentStatus.POSTED


def test_the_daily_large_document_limit_refuses_the_close_with_143(ekopost: Ekopost) -> None:
    small = letter_pdf()
    _customer_limits(ekopost, PrintLimits(large_documents_per_day=1, large_document_bytes=len(small) + 500))
    campaign = ekopost.campaign()
    large = letter_pdf(body="x" * 40, pages=12)
    assert len(large) > len(small) + 500
    envelopes = [_envelope(ekopost, campaign["id"], large) for _ in range(2)]
    envelopes.append(_envelope(ekopost, campaign["id"], small))
    _refused_close(ekopost, campaign["id"], "143", envelopes)
    _customer_limits(ekopost, PrintLimits(large_documents_per_day=2, large_document_bytes=len(small) + 500))
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200


def test_the_console_shows_a_batch_letter_its_own_pages_of_the_print_batch(ekopost: Ekopost) -> None:
    campaign = ekopost.campaign()
    people = [(f"Person {n}", f"Vägen {n}", f"11{n} 22 Uppsala") for n in (1, 2)]
    envelopes = {_envelope(ekopost, campaign["id"], letter_pdf(p, pages=2)): p for p in people}
    assert ekopost.post(f"/campaigns/{campaign['id']}/close").status_code == 200
    for envelope_id, address in envelopes.items():
        assert ekopost.wait_for(envelope_id, *DONE) is ShipmentStatus.POSTED
        shipment_id = uuid.UUID(envelope_id)
        letter = ekopost.run(lambda sid=shipment_id: print_queue.print_letter(ekopost.runtime, sid))
        assert letter.print_file is not None
        assert letter.print_file.pages == 2
        own = ekopost.run(lambda sid=shipment_id: print_queue.print_pdf(ekopost.runtime, sid))
        with pikepdf.open(io.BytesIO(own)) as opened:
            assert len(opened.pages) == 2
        assert texts_in(own, EKOPOST_WINDOW, pages=1)[0].split() == " ".join(address).split()
        image = ekopost.run(lambda sid=shipment_id: print_queue.print_page_image(ekopost.runtime, sid, 1))
        assert image.startswith(b"\x89PNG")
    _sign_in_to_the_console(ekopost)
    last = list(envelopes)[-1]
    sent = _events(ekopost, last)[EventType.SENT_TO_PRINT]
    shown = ekopost.http.get(f"/console/print/{last}")
    assert shown.status_code == 200
    assert sent["print_batch"] in shown.text
    assert "3–4" in shown.text  # its pages of the print batch's file


def _sign_in_to_the_console(ekopost: Ekopost) -> None:
    form = ekopost.http.get("/console/sign-in").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match is not None
    signed = ekopost.http.post(
        "/console/sign-in",
        data={"csrf_token": match.group(1), "token": "test-admin-token"},
        follow_redirects=False,
    )
    assert signed.status_code == 303


def test_a_sandbox_reset_keeps_a_senders_print_limits_with_the_sender(ekopost: Ekopost) -> None:
    _customer_limits(ekopost, PrintLimits(letters_per_month=7))

    async def reset_and_read() -> PrintLimits:
        await reset_sandbox(ekopost.runtime)
        sender = await find_sender(CUSTOMER_ORGNR, ekopost.runtime)
        return await print_limits_of(ekopost.runtime, sender.id)

    assert ekopost.run(reset_and_read).letters_per_month == 7

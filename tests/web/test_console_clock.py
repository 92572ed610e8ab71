"""The console's sandbox clock makes waiting work happen: print-if-unread and reminders (TestClient,
with the app's own worker)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from postbud.domain.channels import Channel
from postbud.domain.documents import AuthenticationLevel
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import NotificationRequest, PrintInstructions
from postbud.services.inbox.open_letter import open_letter
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.sandbox.sample_letters import letter_pdf
from tests.integration.core_helpers import ADDRESS
from tests.integration.test_console_web import OLA, Console, console, wait_for

__all__ = ["console"]


def _send(console: Console, subject: str, **letter: object) -> str:
    command = SendLetter(
        sender_id=uuid.UUID(console.sender_id),
        dialect="platform",
        recipient=parse_party_id(OLA),
        documents=(
            DocumentInput(letter_pdf("Skatteetaten", subject, ("Hei!",)), "pdf", "application/pdf", subject),
        ),
        **letter,  # type: ignore[arg-type]
    )
    accepted = console.run(send_letter, command, console.runtime)
    return str(accepted.shipment.id)


def _open(console: Console, letter_id: str) -> None:
    async def as_ola() -> None:
        async with console.runtime.reader() as uow:
            ola = await uow.recipients.by_party_id(parse_party_id(OLA))
        assert ola is not None
        await open_letter(console.runtime, ola.id, uuid.UUID(letter_id), AuthenticationLevel.IDPORTEN_4)

    console.run(as_ola)


def test_moving_the_clock_in_the_console_prints_the_unread_letter_and_not_the_read_one(
    console: Console,
) -> None:
    console.add_ola()
    deadline = console.runtime.clock.now() + timedelta(days=7)
    fallback = {"print_instructions": PrintInstructions(recipient=ADDRESS), "print_if_unread_after": deadline}
    unread = _send(console, "Ulest", **fallback)
    read = _send(console, "Lest", **fallback)
    _open(console, read)
    console.sign_in()
    assert "Print hvis ulest etter" in console.client.get(f"/console/letters/{unread}").text

    notice = console.notice(console.post("/console/clock/advance", {"amount": "8", "unit": "days"}))
    assert "Klokken i sandkassen er nå" in notice
    wait_for(lambda: console.shipment(unread)["status"] == "posted", what="the unread letter to be printed")
    assert "Ulest" in console.client.get("/console/print").text
    page = console.client.get(f"/console/letters/{unread}").text
    assert "not opened before the print-if-unread deadline" in page
    wait_for(
        lambda: console.api("GET", "/sandbox/clock").json()["scheduled_jobs"] == 0,
        what="every waiting job to have run",
    )
    assert console.shipment(read)["status"] == "opened"
    assert "sent_to_print" not in console.event_types(read)
    assert "Lest" not in console.client.get("/console/print").text


def test_a_letters_reminders_show_in_its_timeline_and_go_out_as_the_clock_moves(console: Console) -> None:
    console.add_ola()
    notice = NotificationRequest(Channel.SMS, address="41234567", after_hours=(24,))
    letter_id = _send(console, "Påminnes", notifications=(notice,))
    wait_for(lambda: "notification_sent" in console.event_types(letter_id), what="the first notice")
    console.sign_in()
    page = wait_for(
        lambda: (
            (html := console.client.get(f"/console/letters/{letter_id}").text).count("Påminnelser") and html
        ),
        what="the reminder to be queued",
    )
    assert "Klar" in page.split("Påminnelser", 1)[1].split("</table>", 1)[0]

    console.post("/console/clock/advance", {"amount": "2", "unit": "days"})
    wait_for(
        lambda: console.event_types(letter_id).count("notification_sent") == 2, what="the reminder to go out"
    )
    reminder = console.shipment(letter_id)["events"][-1]
    assert reminder["data"]["reminder"] == "after-24h"

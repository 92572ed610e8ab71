"""Issue 12 defect 11 in the console: a direct-print letter shows its envelope's name in the feed, the
letter list and the print queue; the live feed shows the date of an event that is not today's; the
timeline renders event data for people (named facts, channel names), not raw JSON."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from postbud.domain.channels import Channel
from postbud.domain.parties import PostalAddress
from postbud.domain.shipments import PrintInstructions
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.sandbox.clock import advance_clock
from postbud.services.sandbox.sample_letters import letter_pdf
from tests.integration.test_console_web import OLA, Console, console, wait_for

__all__ = ["console"]

ENVELOPE = PostalAddress("Per Papir", ("Postboks 7",), "0101", "Oslo")
FEED_TIME = re.compile(r'<td class="feed-row__time"><time [^>]*>([^<]+)</time>')


def _direct_print(console: Console, subject: str) -> str:
    command = SendLetter(
        sender_id=uuid.UUID(console.sender_id),
        dialect="platform",
        documents=(
            DocumentInput(letter_pdf("Skatteetaten", subject, ("Hei!",)), "pdf", "application/pdf", subject),
        ),
        channels=(Channel.PRINT,),
        print_instructions=PrintInstructions(recipient=ENVELOPE),
    )
    return str(console.run(send_letter, command, console.runtime).shipment.id)


def test_a_direct_print_letter_shows_the_name_on_its_envelope(console: Console) -> None:
    letter = _direct_print(console, "Papirbrev")
    console.sign_in()
    feed = console.client.get("/console/").text
    assert "Per Papir" in feed.split("Papirbrev", 1)[1].split("</tr>", 1)[0]
    listed = console.client.get("/console/letters").text
    assert "Per Papir" in listed.split("Papirbrev", 1)[1].split("</tr>", 1)[0]
    wait_for(lambda: "Papirbrev" in console.client.get("/console/print").text, what="the print queue")
    queue = console.client.get("/console/print").text
    assert "Per Papir" in queue.split("Papirbrev", 1)[1].split("</tr>", 1)[0]
    assert "Per Papir" in console.client.get(f"/console/letters/{letter}").text


def test_the_feed_shows_the_date_of_events_from_another_day(console: Console) -> None:
    console.add_ola()
    console.send("Gammelt", recipient=OLA)
    console.run(advance_clock, console.runtime, timedelta(days=3))
    console.send("Nytt", recipient=OLA)
    console.sign_in()
    page = console.client.get("/console/").text
    rows = {subject: page.split(subject, 1)[0].rsplit("<tr", 1)[1] for subject in ("Gammelt", "Nytt")}
    [old] = FEED_TIME.findall(rows["Gammelt"])
    [new] = FEED_TIME.findall(rows["Nytt"])
    assert re.fullmatch(r"\d{2}:\d{2}", new), new
    assert re.search(r"\d{1,2}\. \w+\.? \d{4}", old), old  # "5. des. 2026 kl. 14:05"


def test_the_timeline_names_event_data_for_people(console: Console) -> None:
    console.add_ola()
    letter = console.send("Vedtak", recipient=OLA)
    console.sign_in()
    page = console.client.get(f"/console/letters/{letter['id']}").text
    timeline = page.split('class="timeline"', 1)[1]
    assert "<code>" not in timeline
    assert "[]" not in timeline
    for raw_key in ("considered", "reason", "dialect"):
        assert f">{raw_key}<" not in timeline
    assert "Begrunnelse" in timeline
    assert "Kom inn gjennom" in timeline
    console.client.get(f"/console/letters/{letter['id']}?lang=en")
    english = console.client.get(f"/console/letters/{letter['id']}").text.split('class="timeline"', 1)[1]
    assert "Reason" in english
    assert "Digital mailbox" in english or "Digital post" in english


def test_the_live_stream_dates_rows_from_another_day_too(console: Console) -> None:
    from postbud.services.console.feed import FeedCursor

    console.add_ola()
    start = FeedCursor.at_time(console.runtime.clock.now() - timedelta(minutes=1)).encode()
    console.send("Gammelt", recipient=OLA)
    console.run(advance_clock, console.runtime, timedelta(days=3))
    console.send("Nytt", recipient=OLA)
    console.sign_in()
    stream = console.client.get("/console/feed/stream", params={"lifetime": "1", "after": start}).text
    rows = {
        subject: stream.split(subject, 1)[0].rsplit("event: feed", 1)[1] for subject in ("Gammelt", "Nytt")
    }
    [old] = FEED_TIME.findall(rows["Gammelt"])
    [new] = FEED_TIME.findall(rows["Nytt"])
    assert re.fullmatch(r"\d{2}:\d{2}", new), new
    assert re.search(r"\d{4}", old), old

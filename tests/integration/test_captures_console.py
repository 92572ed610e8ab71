"""Captured e-mails and SMS in the console (whole app, TestClient; SQLite and PostgreSQL): a letter
sent by e-mail and one by SMS are captured, listed newest first, read rendered and raw, downloaded
whole, and reached from the letter's timeline; an SMTP-sent message is no capture."""

from __future__ import annotations

import base64
import re
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.domain.identifiers import parse_party_id
from postbud.domain.shipments import NotificationRequest
from postbud.services.console.captures import list_captures
from postbud.services.letters.send_letter import SendLetter, send_letter
from tests.integration.core_helpers import pdf_document
from tests.integration.test_console_web import Console, console_for, wait_for

OLA = "15108695088"


@pytest.fixture
def console(tmp_path: Path, database_url: str) -> Iterator[Console]:
    for console in console_for(tmp_path, database_url):
        console.sign_in()
        yield console


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _delivered(console: Console, shipment_id: str) -> dict[str, Any]:
    """The letter's DELIVERED event (with ``shipment_id`` added), once the worker has delivered it."""

    def found() -> dict[str, Any] | None:
        events = console.shipment(shipment_id)["events"]
        return next((e for e in events if e["type"] == EventType.DELIVERED.value), None)

    delivered: dict[str, Any] = wait_for(found, what="the letter's delivery")
    return {**delivered, "shipment_id": shipment_id}


def _by_email(console: Console, subject: str) -> dict[str, Any]:
    shipment = console.send(subject, channels=["email"], email_address="ola@example.no", recipient=OLA)
    return _delivered(console, shipment["id"])


def _by_sms(console: Console, text: str) -> dict[str, Any]:
    response = console.api(
        "PUT", "/recipients", json={"id": OLA, "name": "Ola Nordmann", "mobile": "+4791234567"}
    )
    assert response.status_code in (200, 201), response.text
    body = {
        "sender_id": console.sender_id,
        "recipient": OLA,
        "channels": ["sms"],
        "documents": [
            {
                "content_base64": base64.b64encode(text.encode()).decode(),
                "file_type": "txt",
                "mime": "text/plain",
            }
        ],
    }
    sent = console.api("POST", "/shipments", json=body)
    assert sent.status_code == 201, sent.text
    return _delivered(console, sent.json()["shipment"]["id"])


def test_a_captured_email_reads_rendered_and_raw(console: Console) -> None:
    event = _by_email(console, "Vedtak om bostøtte")
    assert event["data"]["captured"] is True

    listing = console.client.get("/console/captures")
    assert listing.status_code == 200
    assert f'href="/console/captures/{event["id"]}"' in listing.text
    assert "Vedtak om bostøtte" in listing.text
    assert "ola@example.no" in listing.text

    page = console.client.get(f"/console/captures/{event['id']}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Subject Vedtak om bostøtte" in text
    assert "To ola@example.no" in text
    assert "You have received a letter through Postbud" in text
    assert "Vedtak om bostøtte.pdf" in text, "the attachment is listed"
    assert "Content-Type: multipart/mixed" in page.text, "the raw message is shown"

    raw = console.client.get(f"/console/captures/{event['id']}/raw")
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("message/rfc822")
    assert "attachment" in raw.headers["content-disposition"]
    message = message_from_bytes(raw.content, policy=policy.default)
    assert message["Subject"] == "Vedtak om bostøtte"
    [attachment] = list(message.iter_attachments())  # type: ignore[attr-defined]
    pdf = console.client.get(f"/console/captures/{event['id']}/attachments/1")
    assert pdf.status_code == 200
    assert pdf.content == attachment.get_payload(decode=True)
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/octet-stream"
    assert console.client.get(f"/console/captures/{event['id']}/attachments/2").status_code == 404


def test_a_captured_sms_reads_rendered_and_raw(console: Console) -> None:
    event = _by_sms(console, "Hei Ola! Du har fått time hos fastlegen 12. januar kl. 09.30.")
    page = console.client.get(f"/console/captures/{event['id']}")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Hei Ola! Du har fått time hos fastlegen 12. januar kl. 09.30." in text
    assert "+4791234567" in text
    raw = console.client.get(f"/console/captures/{event['id']}/raw")
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.json()["text"] == "Hei Ola! Du har fått time hos fastlegen 12. januar kl. 09.30."


def test_the_letters_timeline_links_to_its_capture(console: Console) -> None:
    event = _by_email(console, "Tidslinje")
    letter = console.client.get(f"/console/letters/{event['shipment_id']}")
    assert letter.status_code == 200
    assert f'href="/console/captures/{event["id"]}"' in letter.text
    capture = console.client.get(f"/console/captures/{event['id']}").text
    assert f'href="/console/letters/{event["shipment_id"]}"' in capture, "and back"


def test_the_list_pages_and_filters_by_channel(console: Console) -> None:
    emails = [_by_email(console, f"Brev {n}")["id"] for n in range(3)]
    sms = _by_sms(console, "Kort melding")["id"]
    page = console.run(lambda: list_captures(console.runtime, limit=2))
    assert [str(c.captured.event_id) for c in page.captures] == [sms, emails[2]]
    assert page.next_cursor is not None
    rest = console.run(lambda: list_captures(console.runtime, limit=2, cursor=page.next_cursor))
    assert [str(c.captured.event_id) for c in rest.captures] == [emails[1], emails[0]]
    assert rest.next_cursor is None

    only_sms = console.client.get("/console/captures?channel=sms").text
    assert sms in only_sms
    assert all(e not in only_sms for e in emails)


def test_captures_need_the_admin_and_a_real_capture(console: Console) -> None:
    event = _by_email(console, "Hemmelig")
    console.client.post("/console/sign-out", data={"csrf_token": console.token("/console/")})
    assert console.client.get("/console/captures", follow_redirects=False).status_code == 303
    assert console.client.get(f"/console/captures/{event['id']}/raw").status_code == 401
    console.sign_in()
    assert console.client.get(f"/console/captures/{uuid.uuid4()}").status_code == 404


def test_a_notice_of_an_inbox_letter_is_listed_as_a_notice_of_that_letter(console: Console) -> None:
    added = console.api("PUT", "/recipients", json={"id": OLA, "name": "Ola Nordmann", "mailbox": True})
    assert added.status_code in (200, 201), added.text
    notice = NotificationRequest(
        Channel.SMS, address="+4791234567", text="Du har fått brev fra Skatteetaten."
    )
    request = SendLetter(
        sender_id=uuid.UUID(console.sender_id),
        dialect="platform",
        recipient=parse_party_id(OLA),
        documents=(pdf_document("Varslet brev"),),
        notifications=(notice,),
    )
    accepted = console.run(send_letter, request, console.runtime)
    shipment_id = str(accepted.shipment.id)

    def sent() -> dict[str, Any] | None:
        events = console.shipment(shipment_id)["events"]
        return next((e for e in events if e["type"] == EventType.NOTIFICATION_SENT.value), None)

    event = wait_for(sent, what="the notice")
    console.client.get("/console/captures?lang=en")
    row = re.search(
        rf"<tr>(?:(?!</tr>).)*/console/captures/{event['id']}(?:(?!</tr>).)*</tr>",
        console.client.get("/console/captures").text,
        re.S,
    )
    assert row, "the notice is listed"
    assert "Du har fått brev fra Skatteetaten." in row.group(0)
    assert ">Notice<" in row.group(0)
    assert f'href="/console/letters/{shipment_id}"' in row.group(0)


def test_a_capture_whose_message_is_gone_says_so(console: Console) -> None:
    event = _by_email(console, "Borte")
    console.run(console.runtime.blobs.delete, event["data"]["eml_sha256"])
    console.client.get("/console/captures?lang=en")
    listing = console.client.get("/console/captures").text
    assert "(no longer stored)" in listing
    page = console.client.get(f"/console/captures/{event['id']}")
    assert page.status_code == 200
    assert "The message is no longer stored" in page.text
    assert console.client.get(f"/console/captures/{event['id']}/raw").status_code == 404

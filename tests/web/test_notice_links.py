"""An e-mail or SMS notice links to the letter in the recipient's web inbox, through sign-in."""

from __future__ import annotations

import json
import re
import uuid
from urllib.parse import urlsplit

from postbud.channels.notify import letter_link
from postbud.domain.channels import Channel
from postbud.domain.events import EventType
from postbud.domain.shipments import NotificationRequest
from postbud.services.letters.notify import send_notifications
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.sandbox.sample_letters import letter_pdf
from postbud.web.inbox import paths
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]

LINK = re.compile(r"https?://\S+")


def test_the_link_is_the_inbox_page_of_the_letter() -> None:
    letter_id = uuid.uuid4()
    link = letter_link("https://post.example.no/", letter_id)
    assert link == f"https://post.example.no{paths.letter(letter_id)}"


def _send_with_sms_notice(world: World, subject: str) -> uuid.UUID:
    document = DocumentInput(
        content=letter_pdf("Skatteetaten", subject, ("Hei!",)),
        file_type="pdf",
        mime="application/pdf",
        title=subject,
    )
    command = SendLetter(
        sender_id=world.sender_id,
        dialect="platform",
        recipient=world.ola.party_id,
        documents=(document,),
        notifications=(NotificationRequest(Channel.SMS, address="41234567"),),
    )
    accepted = world.run(send_letter, command, world.runtime)
    world.run(send_notifications, accepted.shipment.id, world.runtime)
    letter_id: uuid.UUID = accepted.shipment.id
    return letter_id


def _captured_sms(world: World, letter_id: uuid.UUID) -> str:
    async def load() -> str:
        async with world.runtime.reader() as uow:
            events = await uow.events.for_shipment(letter_id)
        sent = next(e for e in events if e.type is EventType.NOTIFICATION_SENT)
        record = json.loads(await world.runtime.blobs.get(sent.data["sms_sha256"]))
        return str(record["text"])

    text: str = world.run(load)
    return text


def test_following_the_link_in_a_notice_signs_in_and_opens_the_letter(world: World) -> None:
    letter_id = _send_with_sms_notice(world, "Vedtak om skatt")
    found = LINK.findall(_captured_sms(world, letter_id))
    assert len(found) == 1
    link = urlsplit(found[0])
    assert f"{link.scheme}://{link.netloc}" == world.runtime.settings.resolved_public_url
    assert link.path == f"/inbox/letters/{letter_id}"

    world.client.cookies.clear()
    to_sign_in = world.client.get(link.path, follow_redirects=False)
    assert to_sign_in.status_code == 303
    sign_in_page = world.client.get(to_sign_in.headers["location"])
    assert f'value="/inbox/letters/{letter_id}"' in sign_in_page.text, "sign-in comes back to the letter"
    token = re.search(r'name="csrf_token" value="([^"]+)"', sign_in_page.text)
    assert token
    signed_in = world.client.post(
        "/inbox/sign-in",
        data={"csrf_token": token.group(1), "recipient_id": str(world.ola.id), "next": link.path},
        follow_redirects=False,
    )
    assert signed_in.headers["location"] == link.path
    letter = world.client.get(link.path)
    assert letter.status_code == 200
    assert "Vedtak om skatt" in letter.text

"""Issue 12 defect 3: a letter held for a later publish time shows, as "received", when it was delivered
to the inbox — not when the sender created it — in the list and on the letter page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from postbud.jobs.worker import Worker
from postbud.plugins.registry import default_dialects
from postbud.services.letters.send_letter import DocumentInput, SendLetter, send_letter
from postbud.services.sandbox.clock import advance_clock
from postbud.services.sandbox.sample_letters import letter_pdf
from postbud.web.formatting import datetime_text
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]

ISO_TIME = re.compile(r'<time datetime="([^"]+)"')


def _deliver_due_letters(world: World) -> None:
    async def drain() -> None:
        worker = Worker(world.runtime, default_dialects().job_handlers())
        while await worker.run_once():
            pass

    world.run(drain)


def test_a_held_letter_is_received_when_it_was_published_not_when_it_was_created(world: World) -> None:
    created = world.runtime.clock.now()
    command = SendLetter(
        sender_id=world.sender_id,
        dialect="platform",
        recipient=world.ola.party_id,
        documents=(DocumentInput(letter_pdf("S", "Senere", ()), "pdf", "application/pdf", "Senere"),),
        publish_at=created + timedelta(days=2),
    )
    held = world.run(send_letter, command, world.runtime).shipment
    world.run(advance_clock, world.runtime, timedelta(days=3))
    _deliver_due_letters(world)
    [delivered] = [e.at for e in world.events(held) if e.type.value == "delivered"]
    assert delivered - created > timedelta(days=2)

    world.sign_in(world.ola)
    listed = world.client.get("/inbox/").text
    row = listed.split(f"/inbox/letters/{held.id}", 1)[1].split("</li>", 1)[0]
    [shown] = ISO_TIME.findall(row)
    assert abs(datetime.fromisoformat(shown) - delivered) < timedelta(seconds=1), (shown, delivered)

    page = world.client.get(f"/inbox/letters/{held.id}").text
    assert abs(datetime.fromisoformat(ISO_TIME.findall(page)[0]) - delivered) < timedelta(seconds=1)
    zone = world.runtime.settings.regional().zone
    received = page.split("Mottatt", 1)[1][:200]
    assert datetime_text(delivered, "nb", zone) in received
    assert datetime_text(created, "nb", zone) not in received

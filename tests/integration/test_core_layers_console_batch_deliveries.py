"""The console's webhook log names a batch event's delivery as webhooks name it (``batch.completed``)."""

from __future__ import annotations

import pytest

from postbud.domain.batches import BatchState, batch_event_name
from postbud.domain.ids import new_id
from postbud.services.console.webhook_log import delivery_log
from postbud.services.letters.batches import complete_batch, open_batch
from postbud.storage.repos.webhooks import Webhook
from postbud.web.console.texts import CONSOLE_TEXTS
from tests.integration.test_core_actions_batches import World, world

__all__ = ["world"]

pytestmark = pytest.mark.anyio


def test_every_batch_event_has_a_name_in_the_console() -> None:
    missing = [s for s in BatchState if f"console.event.{batch_event_name(s)}" not in CONSOLE_TEXTS]
    assert missing == []


async def test_a_batch_events_delivery_is_logged_under_its_batch_event_name(world: World) -> None:
    now = world.runtime.clock.now()
    hook = Webhook(new_id(), world.sender, "http://127.0.0.1:9/batches", "s", ("batch.completed",), True, now)
    async with world.runtime.unit_of_work() as uow:
        await uow.webhooks.add(hook)
    batch = await open_batch(world.runtime, sender_id=world.sender, dialect="ekopost", external_id="log-1")
    await world.to_mailbox(batch.id)
    await complete_batch(world.runtime, batch.id)
    await world.work()

    logged = [d for d in (await delivery_log(world.runtime)).deliveries if d.delivery.webhook_id == hook.id]
    assert [(d.event_type, d.shipment_id) for d in logged] == [("batch.completed", None)]

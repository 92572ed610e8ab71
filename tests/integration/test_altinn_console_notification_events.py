"""The console's timeline of a correspondence names its notification orders in Altinn's words, as
subscribers got them: ``notificationcreated`` for an order made, ``correspondencenotificationcreationfailed``
for one that could not be, whose recipient's notice is ``Failed_RecipientNotIdentified`` (no
``correspondencenotificationfailed``, which Altinn does not send for it)."""

from __future__ import annotations

import re

from tests.integration.altinn_api_fixtures import ORG_RECIPIENT, OTHER_ORG_RECIPIENT, Altinn, correspondence
from tests.integration.test_altinn_business_inbox_console import _console, world

__all__ = ["world"]


def test_the_timeline_names_the_notification_orders_as_altinn_does(world: Altinn) -> None:
    notification = {"notificationTemplate": "GenericAltinnMessage", "notificationChannel": "Email"}
    told, silent = world.initialized(
        correspondence(f"0192:{ORG_RECIPIENT}", f"0192:{OTHER_ORG_RECIPIENT}", notification=notification)
    )
    world.work()
    console = _console(world)

    def shown(cid: str) -> list[str]:
        return re.findall(r"data-altinn-status>Altinn: ([^<]+)<", console.get(f"/console/letters/{cid}").text)

    assert {"notificationcreated", "correspondencenotificationdelivered"} <= set(shown(told))
    silent_names = shown(silent)
    assert {"correspondencenotificationcreationfailed", "Failed_RecipientNotIdentified"} <= set(silent_names)
    assert "correspondencenotificationfailed" not in silent_names

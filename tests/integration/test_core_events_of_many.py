"""Reading the histories of many letters at once (a page of a search), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from postbud.domain.identifiers import parse_party_id
from postbud.services.letters.query import events_of, get_shipment
from postbud.services.letters.send_letter import send_letter
from tests.integration.core_helpers import (
    PERSON_WITH_MAILBOX,
    PERSON_WITHOUT_MAILBOX,
    add_recipients,
    add_sender,
    letter,
    runtime_for,
)

pytestmark = pytest.mark.anyio


async def test_each_letter_gets_its_own_history_oldest_first(tmp_path: Path, database_url: str) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        sender = await add_sender(runtime)
        await add_recipients(runtime)
        sent = [
            (await send_letter(letter(sender, recipient=parse_party_id(person)), runtime)).shipment.id
            for person in (PERSON_WITH_MAILBOX, PERSON_WITHOUT_MAILBOX, PERSON_WITH_MAILBOX)
        ]
        never_sent = uuid.uuid4()

        together = await events_of([*sent, never_sent], runtime)

        assert set(together) == {*sent, never_sent}
        for shipment_id in sent:
            one_by_one = (await get_shipment(shipment_id, runtime)).events
            assert together[shipment_id] == one_by_one
            assert together[shipment_id]
        assert together[never_sent] == []
        assert await events_of([], runtime) == {}
    finally:
        await runtime.close()

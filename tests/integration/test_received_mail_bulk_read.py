"""The organisation's inbox list (Digipost ``get_inbox``) reads a page in a fixed number of statements.

It read each letter and each sender on its own (two statements and more per letter); a page of
1,000 letters was thousands of round trips. Counted on both backends, not timed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient, Sender
from postbud.services.letters.letter_request import DocumentInput, SendLetter
from postbud.services.letters.send_letter import send_letter
from postbud.services.received import mail
from postbud.services.runtime import Runtime
from tests.integration.core_helpers import runtime_for

pytestmark = pytest.mark.anyio

ORGANISATION = "974760673"
SENDERS = ("988077917", "974761076", "971032081")
LETTERS_PER_SENDER = 8


@contextmanager
def _statements(runtime: Runtime) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            seen.append(statement)

    engines = {
        id(e.sync_engine): e.sync_engine
        for e in (runtime.database.read_engine, runtime.database.write_engine)
    }
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        for engine in engines.values():
            event.remove(engine, "before_cursor_execute", count)


async def test_a_page_of_the_inbox_is_read_in_the_same_few_statements_whatever_its_size(
    tmp_path: Path, database_url: str
) -> None:
    runtime = await runtime_for(tmp_path, database_url)
    try:
        owner = Sender(uuid.uuid4(), "Kommunen", ORGANISATION)
        senders = [Sender(uuid.uuid4(), f"Avsender {n}", orgnr) for n, orgnr in enumerate(SENDERS)]
        own = Recipient(
            uuid.uuid4(), parse_party_id(ORGANISATION), "Kommunen", Capabilities(business_inbox=True)
        )
        async with runtime.unit_of_work() as uow:
            for sender in (owner, *senders):
                await uow.senders.add(sender, now=runtime.clock.now())
            await uow.recipients.add(own, now=runtime.clock.now())
        for n in range(LETTERS_PER_SENDER):
            for sender in senders:
                document = DocumentInput(b"brev", "txt", "text/plain", title=f"Brev {n}")
                command = SendLetter(
                    sender.id, "ekopost", (document,), recipient=parse_party_id(ORGANISATION)
                )
                await send_letter(command, runtime)
        everything = len(SENDERS) * LETTERS_PER_SENDER
        token = await mail.content_link(runtime, owner, (await _newest(runtime, owner)).shipment.primary.id)
        assert token

        with _statements(runtime) as one_letter:
            single = await mail.received_letters(runtime, owner, offset=0, limit=1)
        with _statements(runtime) as whole_inbox:
            page = await mail.received_letters(runtime, owner, offset=0, limit=everything)

        assert len(single) == 1
        assert len(page) == everything
        assert {letter.sender_name for letter in page} == {s.name for s in senders}
        assert page[0].first_accessed is not None
        assert all(letter.first_accessed is None for letter in page[1:])
        assert all(letter.shipment.documents for letter in page)
        assert len(whole_inbox) == len(one_letter), whole_inbox
        assert len(whole_inbox) <= 4, whole_inbox  # the mailbox, then the page in three
    finally:
        await runtime.close()


async def _newest(runtime: Runtime, owner: Sender) -> mail.ReceivedLetter:
    return (await mail.received_letters(runtime, owner, offset=0, limit=1))[0]

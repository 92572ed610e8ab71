"""``postbud recipients add --ebank``: someone who takes bank e-invoices (Ekopost's ebank, eFaktura),
which then reach their inbox; a later change that does not name it keeps it; ``--no-ebank`` ends it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from postbud.bootstrap import build_runtime
from postbud.config import Settings
from postbud.domain.parties import Recipient
from postbud.services.inbox.query import inbox_owners
from postbud.services.parties.recipients import get_recipient
from tests.integration.test_cli import data_dir, postbud_json

__all__ = ["data_dir"]
PAYER = "196410231077"


def _stored(data_dir: Path) -> tuple[Recipient, bool]:
    """The recipient as stored, and whether they may sign in to the inbox."""

    async def read() -> tuple[Recipient, bool]:
        runtime = await build_runtime(Settings(data_dir=data_dir))
        try:
            recipient = await get_recipient("se-person:" + PAYER, runtime)
            return recipient, bool(await inbox_owners(runtime, PAYER))
        finally:
            await runtime.close()

    return asyncio.run(read())


def test_a_recipient_takes_bank_einvoices_until_told_otherwise(data_dir: Path) -> None:
    folder = ("--data-dir", str(data_dir))
    postbud_json("recipients", "add", "--id", PAYER, "--name", "Britt Betalare", "--ebank", *folder)
    recipient, has_an_inbox = _stored(data_dir)
    assert recipient.capabilities.ebank
    assert not recipient.capabilities.digital_mailbox
    assert has_an_inbox
    postbud_json("recipients", "add", "--id", PAYER, "--email", "britt@example.se", *folder)
    assert _stored(data_dir)[0].capabilities.ebank
    postbud_json("recipients", "add", "--id", PAYER, "--no-ebank", *folder)
    recipient, has_an_inbox = _stored(data_dir)
    assert not recipient.capabilities.ebank
    assert not has_an_inbox

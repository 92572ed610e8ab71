"""Search, autocomplete and a hit's ``self`` link (``GET /recipients/{address}``) through the Python
SDK against a live server, with letters outside ASCII in the query and the address."""

from __future__ import annotations

import uuid

import pytest

from postbud.domain.identifiers import parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from postbud.sdk.digipost import AsyncDigipostClient, DigipostApiError, DigipostClient, FoundRecipient
from tests.integration.sdk_live_server import LiveDigipost, live_digipost

__all__ = ["live_digipost"]

ASE = "12038510183"
ADDRESS = "åse.ødegård#4B2C"


async def _ase(live: LiveDigipost) -> None:
    runtime = live.runtime
    async with runtime.unit_of_work() as uow:
        if await uow.recipients.by_party_id(parse_party_id(ASE)) is None:
            caps = Capabilities(digital_mailbox=True, mailbox_address=ADDRESS, mobile="+4741234527")
            person = Recipient(uuid.uuid4(), parse_party_id(ASE), "Åse Ødegård", caps)
            await uow.recipients.add(person, now=runtime.clock.now())


def test_search_finds_the_person_and_its_self_link_reads_it_again(live_digipost: LiveDigipost) -> None:
    live_digipost.run(_ase, live_digipost)
    with DigipostClient(live_digipost.config()) as client:
        (hit,) = client.search("Åse Ødegård")
        again = client.recipient(hit)

    assert (hit.firstname, hit.lastname, hit.digipost_address) == ("Åse", "Ødegård", ADDRESS)
    assert hit.mobile_number == "*****527"
    assert again == hit


def test_an_address_no_mailbox_has_is_unknown_recipient(live_digipost: LiveDigipost) -> None:
    nobody = FoundRecipient(
        "ingen#0000", self_link=f"{live_digipost.config().base_url}/recipients/ingen%230000"
    )
    with DigipostClient(live_digipost.config()) as client, pytest.raises(DigipostApiError) as refused:
        client.recipient(nobody)

    assert (refused.value.status, refused.value.error_code) == (404, "UNKNOWN_RECIPIENT")


@pytest.mark.anyio
async def test_async_autocomplete_suggests_the_person(live_digipost: LiveDigipost) -> None:
    live_digipost.run(_ase, live_digipost)
    async with AsyncDigipostClient(live_digipost.config()) as client:
        suggestions = await client.autocomplete("Åse Øde")
        (hit,) = await client.search("ødegård")

    assert any("Åse Ødegård" in s.search_string for s in suggestions)
    assert hit.digipost_address == ADDRESS

"""The API's maximum in one request: 500 recipients sharing one attachment, one correspondence each,
written all at once; and nothing at all when one of them is unknown."""

from __future__ import annotations

import random
import time
import uuid

from postbud.domain.identifiers import generate_organisasjonsnummer, parse_party_id
from postbud.domain.parties import Capabilities, Recipient
from tests.integration.altinn_api_fixtures import API, Altinn, altinn, correspondence, letters
from tests.real_pdf import real_pdf

__all__ = ["altinn"]

COUNT = 500


def register_organisations(world: Altinn, count: int) -> list[str]:
    rng = random.Random(10)
    numbers: list[str] = []
    while len(numbers) < count:
        number = generate_organisasjonsnummer(rng)
        if number not in numbers:
            numbers.append(number)

    async def add() -> None:
        now = world.runtime.clock.now()
        async with world.runtime.unit_of_work() as uow:
            for number in numbers:
                capabilities = Capabilities(business_inbox=True)
                recipient = Recipient(uuid.uuid4(), parse_party_id(number), f"Org {number}", capabilities)
                await uow.recipients.add(recipient, now=now)

    world.run(add)
    return numbers


def test_500_recipients_share_one_attachment(altinn: Altinn) -> None:
    numbers = register_organisations(altinn, COUNT)
    sender = altinn.as_sender()
    attachment_id = altinn.post(
        "/attachment",
        sender,
        json={"resourceId": "skd-melding", "fileName": "felles.pdf", "sendersReference": "shared"},
    ).json()
    content = real_pdf("Felles vedlegg " + "x" * 1_000_000)
    altinn.post(
        f"/attachment/{attachment_id}/upload",
        sender | {"content-type": "application/octet-stream"},
        content=content,
    )
    body = correspondence(*[f"0192:{n}" for n in numbers]) | {"existingAttachments": [attachment_id]}
    started = time.monotonic()
    response = altinn.http.post(f"{API}/correspondence", json=body, headers=sender)
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    answer = response.json()
    assert len(answer["correspondences"]) == COUNT
    assert answer["attachmentIds"] == [attachment_id]
    assert letters(altinn) == COUNT
    last = answer["correspondences"][-1]
    recipient = altinn.as_org(numbers[-1])
    download = altinn.get(
        f"/correspondence/{last['correspondenceId']}/attachment/{attachment_id}/download", recipient
    )
    assert download.content == content
    print(f"500 correspondences initialized in {elapsed:.2f} s")


def test_one_unknown_among_500_writes_nothing(altinn: Altinn) -> None:
    numbers = register_organisations(altinn, COUNT - 1)
    unknown = "923609016"
    response = altinn.initialize(correspondence(*[f"0192:{n}" for n in [*numbers, unknown]]))
    assert response.status_code == 404
    assert response.json()["errorCode"] == 1029
    assert letters(altinn) == 0

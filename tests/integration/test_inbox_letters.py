"""The letter list and the letter page: folders, search, paging, gates, opening, pages and cards."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from postbud.domain.datatypes import DATATYPE_KINDS
from postbud.domain.documents import AuthenticationLevel, Sensitivity
from postbud.domain.event_drafts import EventDraft
from postbud.domain.events import EventType
from postbud.services.inbox.query import PAGE_SIZE
from postbud.services.letters.record_event import record_events
from postbud.services.sandbox.sample_letters import example_datatypes
from postbud.storage import schema
from postbud.webhooks.manage import add_webhook, list_deliveries
from tests.integration.test_inbox_web import World, world

__all__ = ["world"]

LETTER_LINK = re.compile(r'href="/inbox/letters/([0-9a-f-]{36})"')
PAGE_IMAGE = re.compile(r'<img class="page" src="([^"]+)"')


def _kind(name: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"kind": name, **data}


# --- The list ---------------------------------------------------------------------------------------------


def test_the_list_shows_sender_subject_date_unread_attachments_and_kind(world: World) -> None:
    world.send(
        world.ola,
        "Faktura for strøm",
        datatype=_kind("invoice", example_datatypes(world.runtime.clock.now())["invoice"]),
        attachments=2,
    )
    world.send(world.ola, "Prøvesvar", sensitivity=Sensitivity.SENSITIVE)
    world.sign_in(world.ola)
    page = world.client.get("/inbox/").text
    assert "Skatteetaten" in page
    assert "Faktura for strøm" in page
    assert "2 vedlegg" in page
    assert '<span class="badge badge--kind">Faktura</span>' in page
    assert page.count("Ulest") == 2
    assert "Prøvesvar" not in page  # a sensitive letter's subject stays out of the list
    assert "Sensitivt innhold" in page
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page)


def test_search_finds_sender_and_subject_but_never_a_sensitive_subject(world: World) -> None:
    world.send(world.ola, "Skattemelding 2025")
    world.send(world.ola, "Skattehemmelighet", sensitivity=Sensitivity.SENSITIVE)
    world.send(world.ola, "Årsoppgave")
    world.sign_in(world.ola)
    found = world.client.get("/inbox/", params={"q": "skatte"}).text
    assert len(LETTER_LINK.findall(found)) == 3  # the sender is Skatteetaten: all match by sender
    by_subject = world.client.get("/inbox/", params={"q": "melding"}).text
    assert len(LETTER_LINK.findall(by_subject)) == 1
    assert LETTER_LINK.findall(world.client.get("/inbox/", params={"q": "hemmelighet"}).text) == []
    assert "Ingen brev passer søket" in world.client.get("/inbox/", params={"q": "100%_"}).text


def test_archiving_moves_a_letter_between_folders(world: World) -> None:
    letter = world.send(world.ola, "Gammelt brev")
    world.sign_in(world.ola)
    assert (
        world.post(f"/inbox/letters/{letter.id}/archive").headers["location"] == f"/inbox/letters/{letter.id}"
    )
    assert "Brevet er flyttet til arkivet" in world.client.get(f"/inbox/letters/{letter.id}").text
    assert str(letter.id) not in world.client.get("/inbox/").text
    assert str(letter.id) in world.client.get("/inbox/", params={"folder": "archive"}).text
    world.post(f"/inbox/letters/{letter.id}/archive")  # twice is still archived once
    world.post(f"/inbox/letters/{letter.id}/unarchive")
    assert str(letter.id) in world.client.get("/inbox/").text
    assert str(letter.id) not in world.client.get("/inbox/", params={"folder": "archive"}).text


def test_paging_walks_every_letter_once_newest_first(world: World) -> None:
    sent = [world.send(world.ola, f"Brev {i}").id for i in range(PAGE_SIZE + 5)]
    world.sign_in(world.ola)
    first = world.client.get("/inbox/").text
    older = re.search(r'href="(/inbox/\?cursor=[^"]+)"', first)
    assert older is not None
    second = world.client.get(older.group(1).replace("&amp;", "&")).text
    ids = [*LETTER_LINK.findall(first), *LETTER_LINK.findall(second)]
    assert [str(i) for i in reversed(sent)] == ids
    assert "Eldre brev" not in second
    assert "Til de nyeste" in second
    assert world.client.get("/inbox/", params={"cursor": "not-a-cursor"}).status_code == 400


# --- A letter ---------------------------------------------------------------------------------------------


def test_opening_shows_the_pages_and_records_opened_once_with_one_webhook(world: World) -> None:
    world.run(add_webhook, world.runtime, world.sender_id, "https://sender.example/hook", ("opened",))
    letter = world.send(world.ola, "Vedtak om skatt", attachments=1)
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{letter.id}").text
    assert '<h1 id="letter-title">Vedtak om skatt</h1>' in page
    images = PAGE_IMAGE.findall(page)
    assert len(images) == 2  # the letter and its attachment, one page each
    image = world.client.get(images[0].replace("&amp;", "&"))
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert "private" in image.headers["cache-control"]
    download = world.client.get(f"/inbox/letters/{letter.id}/documents/{letter.primary.id}")
    assert download.content.startswith(b"%PDF-")
    assert download.headers["content-disposition"].startswith("attachment;")
    world.client.get(f"/inbox/letters/{letter.id}")
    assert world.count(letter, EventType.OPENED) == 1
    deliveries = world.run(list_deliveries, world.runtime, world.sender_id)
    assert len(deliveries) == 1
    assert "ulest" not in world.client.get("/inbox/").text.lower()


def test_page_images_are_rendered_once_per_document_content(world: World) -> None:
    first = world.send(world.ola, "Samme brev")
    world.sign_in(world.ola)
    url = PAGE_IMAGE.findall(world.client.get(f"/inbox/letters/{first.id}").text)[0].replace("&amp;", "&")
    assert world.client.get(url).content == world.client.get(url).content
    assert world.client.get(url.replace("w=960", "w=123")).status_code == 400
    assert world.client.get(url.replace("/pages/1.png", "/pages/9.png")).status_code == 404

    async def rows() -> int:
        async with world.runtime.reader() as uow:
            return int(
                (await uow.conn.execute(select(func.count()).select_from(schema.page_images))).scalar_one()
            )

    assert world.run(rows) == 1


def test_a_higher_authentication_level_asks_for_a_step_up_first(world: World) -> None:
    letter = world.send(
        world.ola,
        "Prøvesvar",
        authentication=AuthenticationLevel.IDPORTEN_4,
        sensitivity=Sensitivity.SENSITIVE,
    )
    world.sign_in(world.ola)
    response = world.client.get(f"/inbox/letters/{letter.id}", follow_redirects=False)
    assert response.headers["location"].startswith("/inbox/step-up?level=idporten_4")
    for path in (
        f"/inbox/letters/{letter.id}/documents/{letter.primary.id}",
        f"/inbox/letters/{letter.id}/documents/{letter.primary.id}/pages/1.png",
    ):
        assert world.client.get(path, follow_redirects=False).status_code == 303
    step_up = world.client.get(response.headers["location"]).text
    assert "Bekreft med test-BankID" in step_up
    assert "Prøvesvar" not in step_up
    assert world.count(letter, EventType.OPENED) == 0

    confirmed = world.post("/inbox/step-up", {"level": "idporten_4", "next": f"/inbox/letters/{letter.id}"})
    assert confirmed.headers["location"] == f"/inbox/letters/{letter.id}"
    assert "Prøvesvar" in world.client.get(f"/inbox/letters/{letter.id}").text
    assert world.count(letter, EventType.OPENED) == 1


def test_an_opening_receipt_is_agreed_to_before_the_letter_opens(world: World) -> None:
    letter = world.send(world.ola, "Vedtak om barnehageplass", opening_receipt=True)
    world.sign_in(world.ola)
    gate = world.client.get(f"/inbox/letters/{letter.id}")
    assert "Avsenderen ber om åpningskvittering" in gate.text
    assert "barnehageplass" not in gate.text
    download = world.client.get(
        f"/inbox/letters/{letter.id}/documents/{letter.primary.id}", follow_redirects=False
    )
    assert download.status_code == 303
    assert world.count(letter, EventType.OPENED) == 0
    assert world.post(f"/inbox/letters/{letter.id}/open").headers["location"] == f"/inbox/letters/{letter.id}"
    assert "Vedtak om barnehageplass" in world.client.get(f"/inbox/letters/{letter.id}").text
    assert world.count(letter, EventType.OPENED) == 1


# --- Cards -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_datatype_has_a_card_in_both_languages(world: World, lang: str) -> None:
    examples = example_datatypes(world.runtime.clock.now())
    assert set(examples) == set(DATATYPE_KINDS)
    letters = {
        kind: world.send(world.ola, f"Brev med {kind}", datatype=_kind(kind, data))
        for kind, data in examples.items()
    }
    world.sign_in(world.ola)
    world.client.get("/inbox/", params={"lang": lang})
    for kind, letter in letters.items():
        if kind == "opening-receipt":
            world.post(f"/inbox/letters/{letter.id}/open")
        response = world.client.get(f"/inbox/letters/{letter.id}")
        assert response.status_code == 200, kind
        assert f'class="card card--{kind}"' in response.text, kind


def test_data_the_sender_adds_later_gets_its_own_card(world: World) -> None:
    now = world.runtime.clock.now()
    examples = example_datatypes(now)
    letter = world.send(world.ola, "Hentemelding", datatype=_kind("pickup-notice", examples["pickup-notice"]))
    status = _kind("pickup-notice-status", examples["pickup-notice-status"])

    async def add() -> None:
        async with world.runtime.unit_of_work() as uow:
            shipment = await uow.shipments.get(letter.id, for_update=True)
            assert shipment is not None
            draft = EventDraft(EventType.DATA_ADDED, data={"kind": status["kind"], "datatype": status})
            await record_events(uow, shipment, [draft], now=now)

    world.run(add)
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{letter.id}").text
    assert 'class="card card--pickup-notice"' in page
    assert 'class="card card--pickup-notice-status"' in page
    assert "Hentet" in page
    assert "Oppdatert av avsenderen" in page


def test_an_external_link_is_disabled_after_its_deadline(world: World) -> None:
    deadline = world.runtime.clock.now() + timedelta(days=1)
    link = {
        "kind": "externalLink",
        "url": "https://example.com/svar",
        "deadline": deadline.isoformat(),
        "button_text": "Svar nå",
    }
    letter = world.send(world.ola, "Undersøkelse", datatype=link)
    world.sign_in(world.ola)
    before = world.client.get(f"/inbox/letters/{letter.id}").text
    assert 'href="https://example.com/svar"' in before
    world.runtime.clock.advance(timedelta(days=2))
    after = world.client.get(f"/inbox/letters/{letter.id}").text
    assert 'href="https://example.com/svar"' not in after
    assert 'aria-disabled="true">Svar nå<' in after
    assert "Fristen gikk ut" in after


def test_an_appointment_card_links_to_the_map_and_the_calendar(world: World) -> None:
    appointment = _kind("appointment", example_datatypes(world.runtime.clock.now())["appointment"])
    letter = world.send(world.ola, "Tannlege", datatype=appointment)
    world.sign_in(world.ola)
    page = world.client.get(f"/inbox/letters/{letter.id}").text
    assert (
        'href="https://www.openstreetmap.org/search?query=Fjord+Tannklinikk%2C+Kirkegata+12%2C+0153+Oslo"'
        in page
    )
    assert f'href="/inbox/letters/{letter.id}/calendar.ics"' in page
    assert "Puss tennene før timen." in page
    assert "Kom gjerne ti minutter før" in page

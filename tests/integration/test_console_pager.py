"""The console's lists page by one pager (whole app, TestClient; SQLite and PostgreSQL): a full page of
letters links to the older ones, the last page has no such link."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from postbud.services.console.print_queue import PAGE_SIZE as PRINT_PAGE_SIZE
from postbud.web.console.letters import PAGE_SIZE as LETTERS_PAGE_SIZE
from tests.integration.test_console_web import Console, console_for, wait_for

PAGER = re.compile(
    r'<nav class="pager" aria-label="[^"]+"><a class="pager__older" href="([^"]+)">[^<]+</a></nav>'
)


@pytest.fixture
def console(tmp_path: Path, database_url: str) -> Iterator[Console]:
    for console in console_for(tmp_path, database_url):
        console.sign_in()
        yield console


def _older(page: str) -> str | None:
    found = PAGER.findall(page)
    assert len(found) <= 1
    return html.unescape(found[0]) if found else None


def test_a_full_page_links_to_the_older_letters_and_the_last_page_does_not(console: Console) -> None:
    sent = max(LETTERS_PAGE_SIZE, PRINT_PAGE_SIZE) + 1
    ids = {console.send_to_print(f"Vedtak {n}")["id"] for n in range(sent)}

    first = console.client.get("/console/letters")
    assert first.status_code == 200
    older = _older(first.text)
    assert older is not None
    assert older.startswith("/console/letters?")
    second = console.client.get(older)
    assert second.status_code == 200
    assert _older(second.text) is None
    shown = set(re.findall(r"/console/letters/([0-9a-f-]{36})", first.text + second.text))
    assert ids <= shown

    def print_queue_is_full() -> str | None:
        return _older(console.client.get("/console/print").text)

    older_prints = wait_for(print_queue_is_full, what="a second page of the print queue")
    assert older_prints.startswith("/console/print?")
    assert _older(console.client.get(older_prints).text) is None

    for path in ("/console/webhooks", "/console/captures"):
        page = console.client.get(path)
        assert page.status_code == 200, path
        assert _older(page.text) is None, path

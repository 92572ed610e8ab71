"""One loader for the text catalogues of every web part: each key once, in both languages, with
the same placeholders, so a page cannot show a missing or half-translated text."""

from __future__ import annotations

import pytest

from postbud.web.console.texts import CONSOLE_TEXTS
from postbud.web.i18n import Catalogue, texts
from postbud.web.inbox.texts import INBOX_TEXTS
from postbud.web.texts import COMMON_TEXTS


def test_sections_load_into_one_catalogue() -> None:
    loaded = texts({"a.one": ("Én", "One")}, {"a.two": ("{n} to", "{n} two")})
    assert loaded == {"a.one": ("Én", "One"), "a.two": ("{n} to", "{n} two")}
    catalogue = Catalogue(loaded)
    assert catalogue.text("nb", "a.two", n=2) == "2 to"
    assert catalogue.text("en", "a.two", n=2) == "2 two"


@pytest.mark.parametrize(
    ("sections", "problem"),
    [
        (({"a.one": ("Én", "One")}, {"a.one": ("En", "One")}), "defined twice"),
        (({"a.one": ("", "One")},), "empty"),
        (({"a.one": ("Én", "")},), "empty"),
        (({"a.count": ("{count} brev", "{n} letters")},), "placeholders"),
        (({"a.count": ("{count} brev", "letters")},), "placeholders"),
    ],
)
def test_a_catalogue_that_would_show_a_broken_text_does_not_load(
    sections: tuple[dict[str, tuple[str, str]], ...], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        texts(*sections)


def test_the_parts_catalogues_load_together() -> None:
    catalogue = Catalogue(COMMON_TEXTS, INBOX_TEXTS, CONSOLE_TEXTS)
    assert catalogue.keys() == COMMON_TEXTS.keys() | INBOX_TEXTS.keys() | CONSOLE_TEXTS.keys()
    assert catalogue.text("en", "console.print_again_done", attempt=2) == (
        "The letter is queued to print again (attempt 2)."
    )
    with pytest.raises(ValueError, match="defined twice"):
        Catalogue(INBOX_TEXTS, INBOX_TEXTS)

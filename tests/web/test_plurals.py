"""Issue 12 defect 10: proper plural forms in bokmål and English — one helper (``domain/wording``) for the
web pages, the CLI and the print cover sheet; no "1 jobs wait", "1 shipments", "document(s)"; a duration
of 6 days 23 hours is not "6 days"."""

from __future__ import annotations

import re
import tokenize
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

import postbud
from postbud.domain.wording import counted, format_text, is_one
from postbud.web.console.texts import CONSOLE_TEXTS
from postbud.web.formatting import duration_text
from postbud.web.i18n import Catalogue
from postbud.web.inbox.texts import INBOX_TEXTS
from postbud.web.texts import COMMON_TEXTS

CATALOGUE = Catalogue(COMMON_TEXTS, INBOX_TEXTS, CONSOLE_TEXTS)
SOURCES = Path(postbud.__file__).parent
# "document(s)", "jobb(er)": a plural left to the reader ("http(s)" is not one).
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
LEFT_TO_THE_READER = re.compile(r"(?<=\w)(?<!http)\((?:s|er|e|r|es)\)")


def test_one_is_singular_in_both_languages_and_everything_else_plural() -> None:
    assert [is_one(n) for n in (1, 1.0, Decimal("1.00"), "1")] == [True] * 4
    assert [is_one(n) for n in (0, 2, 1.5, 11, 21, "abc")] == [False] * 6
    assert counted(1, "job", "jobs") == "1 job"
    assert counted(0, "job", "jobs") == "0 jobs"
    assert format_text("{n} {n:jobb venter|jobber venter}", {"n": 1}) == "1 jobb venter"
    assert format_text("{n} {n:job waits|jobs wait}, {at}", {"n": 3, "at": "now"}) == "3 jobs wait, now"


@pytest.mark.parametrize(
    ("key", "params", "nb", "en"),
    [
        ("console.clock_scheduled", {"count": 1}, "1 jobb venter", "1 job waits for a later time."),
        ("console.clock_scheduled", {"count": 2}, "2 jobber venter", "2 jobs wait for a later time."),
        ("console.run_now_done", {"count": 1}, "1 jobb kjøres nå", "1 job runs now"),
        ("console.faults_cleared", {"count": 1}, "Fjernet 1 feil.", "Removed 1 fault."),
        ("console.print_pages", {"pages": 1}, "1 side", "1 page"),
        ("console.print_sheets", {"sheets": 1}, "1 ark", "1 sheet"),
        ("console.chart_desc", {"total": 1}, "1 brev", "1 letter routed"),
        ("share.documents_shared", {"count": 1}, "1 dokument ble delt.", "1 document was shared."),
        ("share.documents_shared", {"count": 2}, "2 dokumenter ble delt.", "2 documents were shared."),
        ("share.active", {"count": 1, "expires": "i morgen"}, "Du deler 1 dokument.", "sharing 1 document."),
        ("inbox.attachments", {"count": 1}, "1 vedlegg", "1 attachment"),
        ("letter.pages", {"count": 1}, "1 side", "1 page"),
    ],
)
def test_counted_texts_agree_with_their_count(key: str, params: dict[str, object], nb: str, en: str) -> None:
    assert nb in CATALOGUE.text("nb", key, **params)
    assert en in CATALOGUE.text("en", key, **params)


def test_no_text_leaves_the_plural_to_the_reader() -> None:
    """Every catalogue, template and string in web/ (home, webhooks and all), cli/ and the cover sheet."""
    keys = sorted(CATALOGUE.keys())
    texts = [text for key in keys for text in (CATALOGUE.text("nb", key), CATALOGUE.text("en", key))]
    assert [t for t in texts if LEFT_TO_THE_READER.search(t)] == []
    for folder in ("web", "cli", "channels/print"):
        for path in (SOURCES / folder).rglob("*"):
            if path.suffix in {".py", ".html"}:
                assert [m.group(0) for m in LEFT_TO_THE_READER.finditer(_words(path))] == [], path


def _words(path: Path) -> str:
    """A template's text outside its tags, or a module's string literals (code may well call ``f(s)``)."""
    if path.suffix != ".py":
        return JINJA_TAG.sub(" ", path.read_text())
    with path.open("rb") as source:
        return "\n".join(t.string for t in tokenize.tokenize(source.readline) if t.type == tokenize.STRING)


@pytest.mark.parametrize(
    ("span", "nb", "en"),
    [
        (
            timedelta(days=6, hours=23, minutes=59),
            "6\u00a0døgn og 23\u00a0timer",
            "6\u00a0days and 23\u00a0hours",
        ),
        (timedelta(days=1), "1\u00a0døgn", "1\u00a0day"),
        (timedelta(hours=1, minutes=1), "1\u00a0time og 1\u00a0minutt", "1\u00a0hour and 1\u00a0minute"),
    ],
)
def test_a_duration_names_its_two_largest_units_in_their_plural_forms(
    span: timedelta, nb: str, en: str
) -> None:
    assert (duration_text(span, "nb"), duration_text(span, "en")) == (nb, en)

"""Dates, times, amounts, sizes and durations in bokmål and English, as Babel (CLDR) writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

import pytest

from postbud.web.formatting import Formatter, parse_amount

NB, EN = Formatter("nb"), Formatter("en")
WINTER = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)  # 14:05 in Oslo
SUMMER = datetime(2026, 6, 30, 22, 5, tzinfo=UTC)  # 00:05 on 1 July in Oslo


@pytest.mark.parametrize(
    ("moment", "nb", "en"),
    [
        (WINTER, "23. nov. 2026 kl.\u00a014:05", "23 Nov 2026, 14:05"),
        (SUMMER, "1. juli 2026 kl.\u00a000:05", "1 Jul 2026, 00:05"),
    ],
)
def test_dates_and_times_are_norwegian_time(moment: datetime, nb: str, en: str) -> None:
    assert NB.datetime(moment) == nb
    assert EN.datetime(moment) == en


def test_dates_and_times_alone() -> None:
    assert NB.date(WINTER) == "23. nov. 2026"
    assert EN.date(WINTER) == "23 Nov 2026"
    assert NB.date(SUMMER) == "1. juli 2026", "the day in Oslo, not in UTC"
    assert [NB.date(date(2026, m, 1)) for m in (3, 5, 12)] == ["1. mars 2026", "1. mai 2026", "1. des. 2026"]
    assert NB.time(WINTER) == EN.time(WINTER) == "14:05"


def test_amounts() -> None:
    assert NB.money(Decimal("1234.5")) == "1\u00a0234,50\u00a0kr"
    assert EN.money(Decimal("1234.5")) == "1,234.50\u00a0NOK"
    assert NB.money(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50\u00a0kr"
    assert NB.money(Decimal("-12.345")) == "-12,35\u00a0kr", "half up, as prices round"
    assert NB.money(Decimal("0.125")) == "0,13\u00a0kr"
    assert NB.money(99, "EUR") == "99,00\u00a0€"
    assert EN.money(99.999, "EUR") == "100.00\u00a0€"


def test_numbers_sizes_and_durations() -> None:
    assert NB.number(Decimal("1234567")) == "1\u00a0234\u00a0567"
    assert EN.number(Decimal("1234.567"), 2) == "1,234.57"
    assert NB.number(2.5) == "3"
    assert NB.size(1_234_567) == "1,2\u00a0MB"
    assert EN.size(1_234_567) == "1.2\u00a0MB"
    assert NB.size(999) == "999\u00a0B"
    assert NB.duration(timedelta(days=14)) == "14\u00a0døgn"
    assert EN.duration(timedelta(days=14)) == "14\u00a0days"
    assert EN.duration(timedelta(hours=47)) == "1\u00a0day and 23\u00a0hours", "two units, never rounded up"
    assert EN.duration(timedelta(hours=3)) == "3\u00a0hours"
    assert NB.duration(timedelta(seconds=5)) == "0\u00a0minutter"


def test_norwegian_numbers_keep_their_grouping() -> None:
    assert NB.account("12345678903") == EN.account("12345678903") == "1234.56.78903"
    assert NB.organisation_number("974761076") == "974\u00a0761\u00a0076"
    assert NB.account("1234") == "1234"


@pytest.mark.parametrize(
    ("typed", "lang", "amount"),
    [
        ("1 249,50", "nb", Decimal("1249.50")),
        ("1\u00a0249,50", "nb", Decimal("1249.50")),
        ("1249,5", "nb", Decimal("1249.5")),
        ("1249.50", "nb", Decimal("1249.50")),
        (" 300 ", "nb", Decimal("300")),
        ("1,249.50", "en", Decimal("1249.50")),
        ("1249.50", "en", Decimal("1249.50")),
    ],
)
def test_an_amount_is_read_as_the_reader_writes_it(typed: str, lang: str, amount: Decimal) -> None:
    assert parse_amount(typed, lang) == amount


@pytest.mark.parametrize(
    ("typed", "lang"), [("12,50", "en"), ("1,249.50", "nb"), ("tolv", "nb"), ("1 2 3", "en"), ("", "nb")]
)
def test_an_amount_that_could_be_misread_is_refused(typed: str, lang: str) -> None:
    with pytest.raises(InvalidOperation):
        parse_amount(typed, lang)

"""Dates, times, money and sizes as a Norwegian or an English reader expects them.

Times are shown in Norway's time zone, where the letters' senders and readers are. Written out
here rather than with Babel: two languages and a handful of patterns do not need the CLDR.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import date as Date
from datetime import datetime as DateTime
from decimal import ROUND_HALF_UP, Decimal
from typing import Final
from zoneinfo import ZoneInfo

LOCAL_ZONE: Final = ZoneInfo("Europe/Oslo")
_NBSP: Final = "\u00a0"

_MONTHS: Final = {
    "nb": ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_UNITS: Final = ("B", "kB", "MB", "GB")
_DURATION_UNITS: Final = {
    "nb": {"day": ("dag", "dager"), "hour": ("time", "timer"), "minute": ("minutt", "minutter")},
    "en": {"day": ("day", "days"), "hour": ("hour", "hours"), "minute": ("minute", "minutes")},
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nb"


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_ZONE)


def date_text(day: date | datetime, lang: str) -> str:
    if isinstance(day, datetime):
        day = local(day).date()
    month = _MONTHS[_lang(lang)][day.month - 1]
    if _lang(lang) == "en":
        return f"{day.day} {month} {day.year}"
    return f"{day.day}. {month} {day.year}"


def time_text(moment: datetime, lang: str) -> str:
    return local(moment).strftime("%H:%M")


def datetime_text(moment: datetime, lang: str) -> str:
    if _lang(lang) == "en":
        return f"{date_text(moment, lang)}, {time_text(moment, lang)}"
    return f"{date_text(moment, lang)} kl.{_NBSP}{time_text(moment, lang)}"


def _grouped(whole: str, separator: str) -> str:
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return separator.join(groups)


def number_text(value: Decimal | int | float, lang: str, decimals: int = 2) -> str:
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if exact < 0 else ""
    whole, _, fraction = f"{abs(exact):f}".partition(".")
    if _lang(lang) == "en":
        text = _grouped(whole, ",") + (f".{fraction}" if fraction else "")
    else:
        text = _grouped(whole, _NBSP) + (f",{fraction}" if fraction else "")
    return sign + text


def money_text(amount: Decimal | int | float, lang: str, currency: str = "NOK") -> str:
    number = number_text(amount, lang)
    if _lang(lang) == "en":
        return f"{currency}{_NBSP}{number}"
    symbol = "kr" if currency == "NOK" else currency
    return f"{number}{_NBSP}{symbol}"


def size_text(size: int, lang: str) -> str:
    value = float(size)
    unit = 0
    while value >= 1000 and unit < len(_UNITS) - 1:
        value /= 1000
        unit += 1
    if unit == 0:
        return f"{size}{_NBSP}B"
    return f"{number_text(value, lang, decimals=1)}{_NBSP}{_UNITS[unit]}"


def duration_text(span: timedelta, lang: str) -> str:
    """The largest whole unit: "14 days", "3 hours"."""
    units = _DURATION_UNITS[_lang(lang)]
    seconds = int(span.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            one, many = units[unit]
            return f"{count}{_NBSP}{one if count == 1 else many}"
    one, many = units["minute"]
    return f"0{_NBSP}{many}"


def account_text(account: str) -> str:
    """A Norwegian account number in its usual 4.2.5 grouping."""
    if len(account) == 11 and account.isdigit():
        return f"{account[:4]}.{account[4:6]}.{account[6:]}"
    return account


def organisation_number_text(number: str) -> str:
    """A Norwegian organisation number in its usual 3-3-3 grouping."""
    if len(number) == 9 and number.isdigit():
        return f"{number[:3]}{_NBSP}{number[3:6]}{_NBSP}{number[6:]}"
    return number


class Formatter:
    """``fmt.money(x)`` and friends in templates, bound to one request's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def date(self, day: Date | DateTime) -> str:
        return date_text(day, self.lang)

    def time(self, moment: DateTime) -> str:
        return time_text(moment, self.lang)

    def datetime(self, moment: DateTime) -> str:
        return datetime_text(moment, self.lang)

    def iso(self, moment: DateTime | Date) -> str:
        return moment.isoformat()

    def number(self, value: Decimal | int | float, decimals: int = 0) -> str:
        return number_text(value, self.lang, decimals)

    def money(self, amount: Decimal | int | float, currency: str = "NOK") -> str:
        return money_text(amount, self.lang, currency)

    def size(self, size: int) -> str:
        return size_text(size, self.lang)

    def duration(self, span: timedelta) -> str:
        return duration_text(span, self.lang)

    def account(self, account: str) -> str:
        return account_text(account)

    def organisation_number(self, number: str) -> str:
        return organisation_number_text(number)

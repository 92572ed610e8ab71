"""Dates, times, money and sizes as a Norwegian or an English reader expects them, by Babel (CLDR);
and an amount as such a reader types it.

Times are shown in the deployment's time zone (``Settings.time_zone``; Norway's unless configured),
where the letters' senders and readers are. Bokmål reads as
``nb_NO``; English as ``en_150`` (English for Europe): day-month-year dates, 24-hour times and the
currency after the amount (``1,234.50 NOK``), which suits a reader of Norwegian post.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from datetime import date as Date
from datetime import datetime as DateTime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.lists import format_list
from babel.numbers import NumberFormatError, format_currency, format_decimal, get_group_symbol, parse_decimal
from babel.units import format_unit

from postbud.domain.regional import Regional

DEFAULT_ZONE: Final = Regional().zone
"""The zone of a deployment that names none; the web's pages are drawn in ``Settings.regional().zone``."""
LOCALES: Final = {"nb": Locale.parse("nb_NO"), "en": Locale.parse("en_150")}
_NBSP: Final = "\u00a0"
# CLDR's "atTime" date-time pattern, which Babel does not carry: "23. nov. 2026 kl. 14:05".
_AT_TIME: Final = {"nb": "{1} kl.\u00a0{0}"}
_SIZE_UNITS: Final = ("digital-byte", "digital-kilobyte", "digital-megabyte", "digital-gigabyte")
_DURATION_UNITS: Final = (("duration-day", 86400), ("duration-hour", 3600), ("duration-minute", 60))


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nb"


def _locale(lang: str) -> Locale:
    return LOCALES[_lang(lang)]


def local(moment: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    return moment.astimezone(zone)


def date_text(day: date | datetime, lang: str, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """``23. nov. 2026`` / ``23 Nov 2026``."""
    if isinstance(day, datetime):
        day = local(day, zone).date()
    return format_date(day, "medium", locale=_locale(lang))


def time_text(moment: datetime, lang: str, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    return format_time(local(moment, zone), "short", locale=_locale(lang))


def datetime_text(moment: datetime, lang: str, zone: ZoneInfo = DEFAULT_ZONE) -> str:
    """``23. nov. 2026 kl. 14:05`` / ``23 Nov 2026, 14:05``."""
    pattern = _AT_TIME.get(_lang(lang)) or str(get_datetime_format("medium", locale=_locale(lang)))
    return pattern.replace("{1}", date_text(moment, lang, zone)).replace("{0}", time_text(moment, lang, zone))


def _rounded(value: Decimal | int | float, decimals: int) -> Decimal:
    # Half up, as prices are rounded (Babel's own quantizing rounds half to even).
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def number_text(value: Decimal | int | float, lang: str, decimals: int = 2) -> str:
    return format_decimal(_rounded(value, decimals), format=_pattern(decimals), locale=_locale(lang))


def money_text(amount: Decimal | int | float, lang: str, currency: str = "NOK") -> str:
    """``1 234,50 kr`` / ``1,234.50 NOK``."""
    return format_currency(_rounded(amount, 2), currency, locale=_locale(lang))


def parse_amount(text: str, lang: str) -> Decimal:
    """``1 249,50`` or ``1249.50`` (bokmål), ``1,249.50`` (English); raises ``InvalidOperation``.

    Strict: a comma an English reader typed as a decimal mark is refused rather than taken as
    a thousands separator (which would make 12,50 into 1250).
    """
    locale = _locale(lang)
    group = get_group_symbol(locale=locale)
    typed = text.strip().replace(" ", group) if group.isspace() else text.strip()
    try:
        return parse_decimal(typed, locale=locale, strict=True)
    except NumberFormatError:
        raise InvalidOperation(text) from None


def _unit(
    value: float, unit: str, lang: str, length: Literal["short", "long"], number: str | None = None
) -> str:
    text = format_unit(value, unit, length=length, format=number, locale=_locale(lang))
    return text.replace(" ", _NBSP)  # a quantity and its unit stay on one line


def size_text(size: int, lang: str) -> str:
    """Decimal units, as files are sized for people: ``1,2 MB``."""
    value = float(size)
    unit = 0
    while value >= 1000 and unit < len(_SIZE_UNITS) - 1:
        value /= 1000
        unit += 1
    if unit == 0:
        return _unit(size, _SIZE_UNITS[0], lang, "short")
    return _unit(value, _SIZE_UNITS[unit], lang, "short", "#,##0.0")


def duration_text(span: timedelta, lang: str) -> str:
    """The two largest units, never rounded up: ``6 døgn og 23 timer`` / ``6 days and 23 hours``,
    ``14 days``, ``3 hours and 5 minutes``; the unit's plural form by Babel (CLDR)."""
    seconds = int(span.total_seconds())
    for index, (unit, size) in enumerate(_DURATION_UNITS):
        if seconds >= size:
            parts = [_unit(seconds // size, unit, lang, "long")]
            if index + 1 < len(_DURATION_UNITS):
                next_unit, next_size = _DURATION_UNITS[index + 1]
                if rest := (seconds % size) // next_size:
                    parts.append(_unit(rest, next_unit, lang, "long"))
            return format_list(parts, locale=_locale(lang))
    return _unit(0, "duration-minute", lang, "long")


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
    """``fmt.money(x)`` and friends in templates, in one request's language and the deployment's zone."""

    def __init__(self, lang: str, zone: ZoneInfo = DEFAULT_ZONE) -> None:
        self.lang = lang
        self.zone = zone

    def date(self, day: Date | DateTime) -> str:
        return date_text(day, self.lang, self.zone)

    def time(self, moment: DateTime) -> str:
        return time_text(moment, self.lang, self.zone)

    def datetime(self, moment: DateTime) -> str:
        return datetime_text(moment, self.lang, self.zone)

    def iso(self, moment: DateTime | Date) -> str:
        return moment.isoformat()

    def number(self, value: Decimal | int | float, decimals: int = 0) -> str:
        return number_text(value, self.lang, decimals)

    def money(self, amount: Decimal | int | float, currency: str = "NOK") -> str:
        return money_text(amount, self.lang, currency)

    def size(self, size: int) -> str:
        return size_text(size, self.lang)

    def moment(self, moment: DateTime, now: DateTime) -> str:
        """The time alone when ``moment`` is on ``now``'s day (in this zone), else the date and time."""
        if local(moment, self.zone).date() == local(now, self.zone).date():
            return self.time(moment)
        return self.datetime(moment)

    def duration(self, span: timedelta) -> str:
        return duration_text(span, self.lang)

    def account(self, account: str) -> str:
        return account_text(account)

    def organisation_number(self, number: str) -> str:
        return organisation_number_text(number)

"""Where a deployment or a sender lives: time zone, country, SMS hours and working days.

Nothing in the core names a zone or a country itself; it asks a ``Regional``. The deployment sets
the default (``config.Settings.regional``), a sender may differ (a Swedish sender: Europe/Stockholm,
SE). Norway is the default because Postbud started there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postbud.domain.errors import FieldError, RuleCode, ValidationFailed

_COUNTRY_LENGTH = 2


@dataclass(frozen=True, slots=True)
class Regional:
    time_zone: str = "Europe/Oslo"
    country: str = "NO"
    """ISO 3166-1 alpha-2: addresses without a country are in it, national phone numbers are its."""
    sms_from: time = time(9)
    sms_until: time = time(20)
    """SMS notices go only from ``sms_from`` until ``sms_until``, local time (Digipost: 09–20)."""
    working_days: frozenset[int] = frozenset(range(5))
    """Weekdays that count as working days, Monday = 0."""

    def __post_init__(self) -> None:
        errors: list[FieldError] = []
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            errors.append(
                FieldError("time_zone", f"unknown time zone {self.time_zone!r}", RuleCode.WRONG_FORMAT)
            )
        if len(self.country) != _COUNTRY_LENGTH or not self.country.isalpha() or not self.country.isupper():
            errors.append(
                FieldError("country", "an ISO 3166-1 alpha-2 code such as NO or SE", RuleCode.WRONG_FORMAT)
            )
        if not self.sms_from < self.sms_until:
            errors.append(
                FieldError("sms_hours", "the SMS window must start before it ends", RuleCode.INVALID)
            )
        if not self.working_days or not self.working_days <= frozenset(range(7)):
            errors.append(FieldError("working_days", "weekdays 0 (Monday) to 6 (Sunday)", RuleCode.INVALID))
        if errors:
            raise ValidationFailed(errors)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def overridden(self, *, time_zone: str | None = None, country: str | None = None) -> Regional:
        """This region with a sender's own zone and country where it has them."""
        if time_zone is None and country is None:
            return self
        return replace(self, time_zone=time_zone or self.time_zone, country=country or self.country)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def aware(self, moment: datetime) -> datetime:
        """``moment`` with this region's zone when it came without an offset (a local wall-clock time)."""
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=self.zone)

    def in_sms_hours(self, moment: datetime) -> datetime:
        """``moment`` if it falls inside the SMS hours here, else the next start of them (in UTC)."""
        local = self.local(moment)
        if self.sms_from <= local.time() < self.sms_until:
            return moment
        day = local.date() if local.time() < self.sms_from else local.date() + timedelta(days=1)
        return datetime.combine(day, self.sms_from, self.zone).astimezone(UTC)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (0: ``day`` itself if it is one, else the next)."""
        current = day
        while not self.is_working_day(current):
            current += timedelta(days=1)
        for _ in range(count):
            current += timedelta(days=1)
            while not self.is_working_day(current):
                current += timedelta(days=1)
        return current


NORWAY = Regional()
SWEDEN = Regional(time_zone="Europe/Stockholm", country="SE")

"""`event`: something happening over one or more time intervals (courses, opening hours, …)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .common import (
    Address,
    Barcode,
    DataTypeBase,
    Info,
    Language,
    Link,
    String100,
    String120,
    TimeInterval,
)


class Event(DataTypeBase):
    kind: ClassVar[str] = "event"

    sub_title: String100 | None = None
    time_intervals: tuple[TimeInterval, ...] = Field(min_length=1)
    time_label: String100 | None = None
    description: String120 | None = None
    place: str | None = None
    place_label: String100 | None = None
    address: Address | None = None
    info: tuple[Info, ...] = Field(default=(), max_length=10)
    barcode_label: String100 | None = None
    barcode: Barcode | None = None
    links: tuple[Link, ...] = ()
    language: Language | None = None

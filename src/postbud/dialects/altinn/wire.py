"""The JSON conventions of the real service (reference §1): property names case-insensitive on the
way in, enums as names or numbers in and names out, camelCase and written nulls out, times as ISO 8601
with their offset.

``Reader`` walks a request body, collecting model-binding failures keyed as ASP.NET keys them
(``Correspondence.Content.MessageTitle``), so one answer can name every broken field.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, TypeVar

from postbud.dialects.altinn.errors import Invalid

E = TypeVar("E", bound=IntEnum)

INT32 = range(-(2**31), 2**31)
_GUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def lower_keys(value: Mapping[str, Any]) -> dict[str, Any]:
    """An object's members by lower-cased name (the last wins, as System.Text.Json reads them)."""
    return {str(k).lower(): v for k, v in value.items()}


def enum_of(kind: type[E], value: object) -> E | None:
    """A member by name (any case) or by number; None if ``value`` is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            return kind(value)
        except ValueError:
            return None
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text):
            return enum_of(kind, int(text))
        for member in kind:
            if member.name.lower() == text.lower():
                return member
    return None


def parse_guid(value: object) -> uuid.UUID | None:
    if isinstance(value, str) and _GUID.fullmatch(value.strip().strip("{}")):
        return uuid.UUID(value.strip().strip("{}"))
    return None


def parse_time(value: str) -> datetime | None:
    """A DateTimeOffset: ISO 8601, ``Z`` or an offset; without one, UTC."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def time_out(value: datetime | None) -> str | None:
    """As the real service writes a DateTimeOffset in UTC: ``2025-05-16T09:55:28.639972+00:00``."""
    return None if value is None else value.astimezone(UTC).isoformat()


class Reader:
    """Typed reads from one JSON object, noting what does not bind under its ASP.NET key."""

    def __init__(self, value: Mapping[str, Any], path: str, invalid: list[Invalid]) -> None:
        self.members = lower_keys(value)
        self.path = path
        self.invalid = invalid

    def key(self, name: str) -> str:
        return f"{self.path}.{pascal(name)}" if self.path else pascal(name)

    def fail(self, name: str, message: str) -> None:
        self.invalid.append(Invalid(self.key(name), message))

    def has(self, name: str) -> bool:
        return self.members.get(name.lower()) is not None

    def raw(self, name: str) -> Any:
        return self.members.get(name.lower())

    def string(self, name: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, f"The {pascal(name)} field is required.")
            return None
        if not isinstance(value, str):
            self.fail(name, f"The JSON value could not be converted to System.String. Path: $.{name}")
            return None
        if required and not value.strip():
            self.fail(name, f"The {pascal(name)} field is required.")
            return None
        if max_length is not None and len(value) > max_length:
            self.fail(
                name,
                f"The field {pascal(name)} must be a string with a maximum length of {max_length}.",
            )
            return None
        return value

    def boolean(self, name: str) -> bool | None:
        value = self.raw(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.fail(name, f"The JSON value could not be converted to System.Boolean. Path: $.{name}")
            return None
        return value

    def integer(self, name: str) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not INT32.start <= value < INT32.stop:
            self.fail(name, f"The JSON value could not be converted to System.Int32. Path: $.{name}")
            return None
        return value

    def time(self, name: str) -> datetime | None:
        value = self.raw(name)
        if value is None:
            return None
        parsed = parse_time(value) if isinstance(value, str) else None
        if parsed is None:
            self.fail(name, f"The JSON value could not be converted to System.DateTimeOffset. Path: $.{name}")
        return parsed

    def enum(self, kind: type[E], name: str, *, required: bool = False) -> E | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, f"The {pascal(name)} field is required.")
            return None
        member = enum_of(kind, value)
        if member is None:
            self.fail(name, f"The JSON value could not be converted to {kind.__name__}. Path: $.{name}")
        return member

    def obj(self, name: str, *, required: bool = False) -> Reader | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, f"The {pascal(name)} field is required.")
            return None
        if not isinstance(value, Mapping):
            self.fail(name, f"The JSON value could not be converted to an object. Path: $.{name}")
            return None
        return Reader(value, self.key(name), self.invalid)

    def items(self, name: str) -> list[Any] | None:
        value = self.raw(name)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(name, f"The JSON value could not be converted to a list. Path: $.{name}")
            return None
        return value

    def objects(self, name: str) -> list[Reader]:
        readers: list[Reader] = []
        for i, item in enumerate(self.items(name) or []):
            where = f"{self.key(name)}[{i}]"
            if isinstance(item, Mapping):
                readers.append(Reader(item, where, self.invalid))
            else:
                self.invalid.append(Invalid(where, "The JSON value could not be converted to an object."))
        return readers

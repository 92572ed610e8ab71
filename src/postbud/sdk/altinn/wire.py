"""JSON as Altinn writes and reads it, for the SDK's dataclasses.

Out: camelCase names (a field may name its own with ``metadata={"json": "linkURL"}``), enums by
name, ISO 8601 with offset, nulls left out of requests. In: names matched case-insensitively (as
System.Text.Json reads them), enums by name or number, unknown members ignored — a newer server
may add members without breaking an older client.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints
from uuid import UUID

__all__ = ["from_json", "json_name", "to_json"]

T = TypeVar("T")


def json_name(field: dataclasses.Field[Any]) -> str:
    given = field.metadata.get("json")
    if isinstance(given, str):
        return given
    head, *rest = field.name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_json(value: Any) -> Any:
    """A request value as JSON-ready data (``None`` members of dataclasses are left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if item is not None:
                out[json_name(field)] = to_json(item)
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def from_json(cls: type[T], data: Any) -> T:
    """``data`` (parsed JSON) read as ``cls``: a dataclass, list, dict, enum, datetime, UUID or scalar."""
    return typing.cast(T, _read(cls, data, cls.__name__))


def _read(kind: Any, data: Any, where: str) -> Any:
    origin = get_origin(kind)
    if origin is Union or origin is types.UnionType:
        if data is None:
            return None
        options = [a for a in get_args(kind) if a is not type(None)]
        return _read(options[0], data, where)
    if data is None:
        return None
    if origin in (list, tuple):
        (item,) = get_args(kind)[:1]
        return [_read(item, v, f"{where}[{i}]") for i, v in enumerate(_expect(list, data, where))]
    if origin is dict:
        _, item = get_args(kind)
        return {str(k): _read(item, v, f"{where}.{k}") for k, v in _expect(dict, data, where).items()}
    if kind is Any:
        return data
    if dataclasses.is_dataclass(kind):
        return _read_dataclass(kind, _expect(dict, data, where), where)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return _read_enum(kind, data, where)
    if kind is datetime:
        return datetime.fromisoformat(_expect(str, data, where))
    if kind is UUID:
        return UUID(_expect(str, data, where))
    if kind is bool:
        return _expect(bool, data, where)
    if kind is int:
        return int(_expect(int, data, where))
    if kind is float:
        return float(_expect((int, float), data, where))
    if kind is str:
        return _expect(str, data, where)
    return data


def _read_dataclass(cls: Any, data: dict[str, Any], where: str) -> Any:
    by_name = {k.lower(): v for k, v in data.items()}
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        key = json_name(field).lower()
        if key in by_name:
            values[field.name] = _read(hints[field.name], by_name[key], f"{where}.{json_name(field)}")
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            values[field.name] = None
    return cls(**values)


def _read_enum(cls: type[Enum], data: Any, where: str) -> Enum:
    if isinstance(data, bool):
        raise ValueError(f"{where}: expected a {cls.__name__}, got {data!r}")
    if isinstance(data, int):
        members = list(cls)
        if 0 <= data < len(members):
            return members[data]
    if isinstance(data, str):
        for member in cls:
            if member.value.lower() == data.lower() or member.name.lower() == data.lower():
                return member
    raise ValueError(f"{where}: {data!r} is not a {cls.__name__}")


def _expect(kind: type[T] | tuple[type, ...], data: Any, where: str) -> T:
    if not isinstance(data, kind):
        expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ValueError(f"{where}: expected {expected}, got {type(data).__name__}")
    return typing.cast(T, data)

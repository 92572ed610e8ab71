"""Reading and writing Ekopost's JSON scalars, liberally on the way in.

Dates are written as the published PHP client writes them (``2026-12-04`` for a date,
``2026-12-04 10:00:00`` in UTC for a moment), which the real service and Postbud both read. They are
read in any ISO 8601 form, a space instead of ``T`` included; one without a zone is UTC, as the
service's answers are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from .errors import UnexpectedResponseError


def write_when(value: date | datetime | str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return value.isoformat()


def read_when(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise UnexpectedResponseError(f"expected a date, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise UnexpectedResponseError(f"not a date: {value!r}") from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def read_bool(value: object) -> bool | None:
    """``true``/``false`` also as strings (a published fixture has ``"false"``) and 0/1."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in {"true", "false", "1", "0"}:
        return value.strip().lower() in {"true", "1"}
    raise UnexpectedResponseError(f"expected a boolean, got {value!r}")


def read_text(value: object) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def read_int(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise UnexpectedResponseError(f"expected a number, got {value!r}")
    try:
        return int(str(value))
    except ValueError as exc:
        raise UnexpectedResponseError(f"expected a number, got {value!r}") from exc


def required_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None or value == "":
        raise UnexpectedResponseError(f"the answer has no {key!r}: {dict(data)!r}")
    return str(value)


def as_object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise UnexpectedResponseError(f"expected {what} as a JSON object, got {value!r}")
    return value


def as_list(value: object, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise UnexpectedResponseError(f"expected {what} as a JSON array, got {value!r}")
    return value


def without_nones(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def query(values: Mapping[str, Any]) -> dict[str, str]:
    """Query parameters: dates as :func:`write_when` writes them, ``None`` left out."""
    return {
        key: write_when(value) if isinstance(value, date) else str(value)
        for key, value in values.items()
        if value is not None
    }

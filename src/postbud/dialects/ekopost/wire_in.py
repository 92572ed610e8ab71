"""Reading Ekopost requests liberally, as the published clients send them.

Bodies may be empty, ``[]`` or ``{}`` (closes and cancels); unknown keys and an ``id: null`` are
ignored; booleans may be the strings ``"true"``/``"false"``; dates come as ``2026-12-04``,
``2026-12-04 10:00:00``, ``2026-12-04 10:00:03.944609+00:00`` (Python's ``str(datetime)``) or ISO
8601, and a date without a zone is UTC. Anything else is error 127 naming the field and the rule.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request

from postbud.dialects.ekopost.errors import EkopostError, invalid

Body = Mapping[str, Any]


async def read_body(request: Request, limit: int) -> bytes:
    kept = bytearray()
    async for chunk in request.stream():
        kept += chunk
        if len(kept) > limit:
            raise EkopostError("117", f"the request body is larger than {limit} bytes", 413)
    return bytes(kept)


def parse_object(raw: bytes) -> dict[str, Any]:
    """The JSON object of a body; an empty body and ``[]`` are an empty object."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise invalid("body", "must be UTF-8") from None
    except json.JSONDecodeError as exc:
        raise invalid("body", f"is not JSON ({exc.msg} at character {exc.pos})") from None
    except RecursionError:  # nested deeper than the parser goes (thousands of levels)
        raise invalid("body", "is nested too deeply") from None
    except ValueError:  # an integer of more than 4,300 digits (Python's guard against slow parsing)
        raise invalid("body", "holds a number too long to read") from None
    if value is None or value == []:
        return {}
    if not isinstance(value, dict):
        raise invalid("body", f"must be a JSON object, not {type(value).__name__}")
    try:
        _refuse_nul(value, "body")
    except RecursionError:
        raise invalid("body", "is nested too deeply") from None
    return value


def refuse_nul_in_query(request: Request) -> None:
    for key, value in request.query_params.multi_items():
        _refuse_nul(value, key)


def _refuse_nul(value: object, where: str) -> None:
    """No text may hold U+0000: no database stores it, and no client means it."""
    if isinstance(value, str):
        if "\x00" in value:
            raise invalid(where, "must not contain the character U+0000")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, where)
            _refuse_nul(item, f"{where}.{key}" if where != "body" else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, f"{where}[{index}]")


async def read_object(request: Request, limit: int) -> dict[str, Any]:
    return parse_object(await read_body(request, limit))


def text(body: Body, key: str, *, max_length: int | None = None, where: str = "") -> str | None:
    """An optional string; numbers are taken as their text, ``null`` and ``""`` as absent."""
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise invalid(where + key, f"must be a string, not {type(value).__name__}")
    result = str(value).strip()
    if max_length is not None and len(result) > max_length:
        raise invalid(where + key, f"at most {max_length} characters")
    return result or None


MAX_LINES = 6
MAX_LINE_LENGTH = 100


def lines(body: Body, key: str, *, where: str = "") -> tuple[str, ...]:
    """An address's lines: an array of strings (a single string is one line)."""
    value = body.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise invalid(where + key, "must be an array of strings")
    kept = tuple(v.strip() for v in value if v.strip())
    if len(kept) > MAX_LINES:
        raise invalid(where + key, f"at most {MAX_LINES} lines")
    for index, line in enumerate(kept):
        if len(line) > MAX_LINE_LENGTH:
            raise invalid(f"{where}{key}[{index}]", f"at most {MAX_LINE_LENGTH} characters a line")
    return kept


_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}


def boolean(body: Body, key: str, default: bool = False, *, where: str = "") -> bool:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    raise invalid(where + key, 'must be true or false (or the strings "true"/"false")')


def date_time(value: object, field: str) -> datetime:
    """A date or date-time in any of the forms the clients send; without a zone it is UTC."""
    if not isinstance(value, str) or not value.strip():
        raise invalid(field, "must be a date such as 2026-12-04 or 2026-12-04 10:00:00")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid(
            field, f"{value!r} is not a date (2026-12-04, 2026-12-04 10:00:00 or ISO 8601)"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def optional_date_time(body: Body, key: str) -> datetime | None:
    value = body.get(key)
    return None if value is None or value == "" else date_time(value, key)


def path_id(request: Request, name: str, what: str) -> uuid.UUID:
    """A Guid in the path; one that is not a Guid names nothing, so it is not found."""
    raw = request.path_params[name]
    try:
        return uuid.UUID(raw)
    except ValueError:
        code = {"campaign": "106", "envelope": "111"}.get(what, "137")
        raise EkopostError(code, f"{what} {raw} was not found (not a Guid)", 404) from None

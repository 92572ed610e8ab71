"""Building blocks shared by the datatypes: the base models, scalar types and shared sub-types.

Fields carry the core's own names (snake_case) and nothing else: how a dialect spells them on its
wire (Digipost's ``start-time``, ``timeLabel``) is that dialect's table, not the domain's.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, ClassVar, TypeAlias

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

# Lexical forms mirror the simple types in datatypes.xsd so both layers accept the same strings.
_ZONED_DATE_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.([0-9]{1,9}))?)?)"
    r"(Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"
)
_LOCAL_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.([0-9]{1,9}))?)?"
)
_LOCAL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HTTP_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^ \t\r\n]+")

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _invalid(rule: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("datatype_rule", message, {"rule": rule})


def _iso_local(text: str, fraction: str | None) -> str:
    # datetime.fromisoformat wants at most microseconds; Java may send nanoseconds.
    if fraction is None:
        return text
    return text[: text.index(".") + 1] + fraction[:6].ljust(6, "0")


def _parse_zoned_date_time(value: object) -> object:
    if not isinstance(value, str):
        return value
    match = _ZONED_DATE_TIME.fullmatch(value)
    if match is None:
        raise _invalid("type=dateTime", "expected an ISO-8601 date-time, offset optional")
    local, fraction, offset = match.groups()
    try:
        return datetime.fromisoformat(
            _iso_local(local, fraction) + ("+00:00" if offset in (None, "Z") else offset)
        )
    except ValueError:
        raise _invalid("type=dateTime", "not a valid calendar date-time") from None


def _assume_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value


def _parse_local_date_time(value: object) -> object:
    if not isinstance(value, str):
        return value
    match = _LOCAL_DATE_TIME.fullmatch(value)
    if match is None:
        raise _invalid("type=localDateTime", "expected an ISO-8601 date-time without offset")
    try:
        return datetime.fromisoformat(_iso_local(value, match.group(1)))
    except ValueError:
        raise _invalid("type=localDateTime", "not a valid calendar date-time") from None


def _require_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise _invalid("type=localDateTime", "a local date-time carries no offset")
    return value


def _parse_local_date(value: object) -> object:
    if isinstance(value, str) and _LOCAL_DATE.fullmatch(value) is None:
        raise _invalid("type=date", "expected YYYY-MM-DD")
    return value


def _check_http_url(value: str) -> str:
    if _HTTP_URL.fullmatch(value) is None:
        raise _invalid("scheme=http|https", "URL must be absolute with scheme http or https")
    return value


ZonedDateTime: TypeAlias = Annotated[
    datetime, BeforeValidator(_parse_zoned_date_time), AfterValidator(_assume_utc)
]
"""ISO-8601 date-time; no offset means UTC. Always timezone-aware once validated."""
LocalDateTime: TypeAlias = Annotated[
    datetime, BeforeValidator(_parse_local_date_time), AfterValidator(_require_naive)
]
LocalDate: TypeAlias = Annotated[date, BeforeValidator(_parse_local_date)]
Money: TypeAlias = Annotated[Decimal, Field(allow_inf_nan=False)]
Int32: TypeAlias = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
NonNegativeInt32: TypeAlias = Annotated[int, Field(ge=0, le=INT32_MAX)]
Int64: TypeAlias = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Double: TypeAlias = Annotated[float, Field(allow_inf_nan=False)]
WebUrl: TypeAlias = Annotated[str, AfterValidator(_check_http_url)]
"""An absolute http(s) URL kept exactly as given (no normalisation, so it round-trips)."""
BankAccount: TypeAlias = Annotated[str, StringConstraints(pattern=r"^[0-9]{11}$")]

String3: TypeAlias = Annotated[str, StringConstraints(max_length=3)]
String10: TypeAlias = Annotated[str, StringConstraints(max_length=10)]
String12: TypeAlias = Annotated[str, StringConstraints(max_length=12)]
String20: TypeAlias = Annotated[str, StringConstraints(max_length=20)]
String25: TypeAlias = Annotated[str, StringConstraints(max_length=25)]
String30: TypeAlias = Annotated[str, StringConstraints(max_length=30)]
String50: TypeAlias = Annotated[str, StringConstraints(max_length=50)]
String70: TypeAlias = Annotated[str, StringConstraints(max_length=70)]
String75: TypeAlias = Annotated[str, StringConstraints(max_length=75)]
String100: TypeAlias = Annotated[str, StringConstraints(max_length=100)]
String120: TypeAlias = Annotated[str, StringConstraints(max_length=120)]
String150: TypeAlias = Annotated[str, StringConstraints(max_length=150)]
String250: TypeAlias = Annotated[str, StringConstraints(max_length=250)]
String255: TypeAlias = Annotated[str, StringConstraints(max_length=255)]
String300: TypeAlias = Annotated[str, StringConstraints(max_length=300)]


class DatatypeModel(BaseModel):
    """Immutable value object; validation errors name fields by their core names."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
    )


class DataTypeBase(DatatypeModel):
    """A datatype a document may carry (and data added to a document later)."""

    kind: ClassVar[str]
    """The datatype's name, e.g. ``"externalLink"``: the names of Digipost's catalogue, where these
    datatypes come from, and also the root element of the datatype in Digipost's XML."""


class Language(StrEnum):
    NB = "NB"
    NN = "NN"
    EN = "EN"


class Address(DatatypeModel):
    street_address: String100 | None = None
    street_address_2: String100 | None = None
    postal_code: String10 | None = None
    city: String100 | None = None
    country: str | None = None


class Info(DatatypeModel):
    """A titled block of text; newlines and tabs in `text` are shown to the recipient."""

    title: String150 | None = None
    text: str | None = None


class Barcode(DatatypeModel):
    barcode_value: String20 | None = None
    barcode_type: String12 | None = None
    barcode_text: str | None = None
    show_value_in_barcode: bool = False


class Link(DatatypeModel):
    url: WebUrl
    description: String70


class TimeInterval(DatatypeModel):
    start_time: ZonedDateTime
    end_time: ZonedDateTime

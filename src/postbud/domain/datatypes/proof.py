"""`proof`: a certificate, licence or permit issued to one person and valid for some period(s)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Self, TypeAlias

from pydantic import Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .common import (
    Address,
    DataTypeBase,
    DatatypeModel,
    Info,
    Int32,
    Language,
    LocalDateTime,
    String30,
    String100,
    String250,
    String255,
    ZonedDateTime,
)

# Copied from Digipost's own validation, which (by an upstream typo) admits A-S, not just A-F.
# Being stricter would reject proofs that Digipost accepts.
BackgroundColor: TypeAlias = Annotated[str, StringConstraints(pattern=r"^#[A-SFa-f0-9]{6}$")]
SocialSecurityNumber: TypeAlias = Annotated[str, StringConstraints(pattern=r"^[0-9]{11}$")]


def _require_one_of(*names: str) -> PydanticCustomError:
    return PydanticCustomError(
        "datatype_rule", "at least one of {names} is required", {"rule": f"requiredOneOf={'|'.join(names)}"}
    )


class Period(DatatypeModel):
    from_time: LocalDateTime | None = None
    to_time: LocalDateTime | None = None

    @model_validator(mode="after")
    def _one_end_given(self) -> Self:
        if self.from_time is None and self.to_time is None:
            raise _require_one_of("from_time", "to_time")
        return self


class CalendarDate(DatatypeModel):
    """A point in a year (month, day, time of day) that repeats every year."""

    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]
    hour: Annotated[int, Field(ge=0, le=23)] = 0
    minute: Annotated[int, Field(ge=0, le=59)] = 0
    time_zone: str | None = None
    """Deprecated by Digipost and ignored; kept only so input round-trips."""


class YearlyRepeatingPeriod(DatatypeModel):
    start_year: Int32 | None = None
    end_year: Int32 | None = None
    from_date: CalendarDate
    to_date: CalendarDate


class ValidPeriod(DatatypeModel):
    period: Period | None = None
    yearly_repeating_period: YearlyRepeatingPeriod | None = None

    @model_validator(mode="after")
    def _some_period_given(self) -> Self:
        if self.period is None and self.yearly_repeating_period is None:
            raise _require_one_of("period", "yearly_repeating_period")
        return self


class ProofHolder(DatatypeModel):
    firstname: str
    surname: str
    social_security_number: SocialSecurityNumber | None = None
    address: Address | None = None


class Proof(DataTypeBase):
    kind: ClassVar[str] = "proof"

    authorizer_name: String30 | None = None
    background_color: BackgroundColor | None = None
    issued_time: ZonedDateTime | None = None
    valid_period: ValidPeriod
    proof_holder: ProofHolder
    title: String255
    proof_id_name: String100 | None = None
    proof_id_value: String250 | None = None
    attributes: tuple[Info, ...] = Field(default=(), max_length=5)
    info: tuple[Info, ...] = Field(default=(), max_length=3)
    language: Language = Language.NB

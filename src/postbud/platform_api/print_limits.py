"""A sender's print quotas: letters per month and large documents per day (``postbud senders limits``)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import BaseModel, Field

from postbud.domain.print_limits import (
    DEFAULT_LARGE_DOCUMENT_BYTES,
    DEFAULT_LARGE_DOCUMENTS_PER_DAY,
    PrintLimits,
)
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import StrictModel
from postbud.services.print_line import limits

router = APIRouter(
    prefix=f"{PREFIX}/senders", tags=["senders"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)
_INT32 = 2**31 - 1
_INT64 = 2**63 - 1


class PrintLimitsIn(StrictModel):
    letters_per_month: int | None = Field(
        default=None,
        ge=0,
        le=_INT32,
        description="Letters a calendar month; null: no limit (Ekopost 113 past it).",
    )
    large_documents_per_day: int | None = Field(
        default=DEFAULT_LARGE_DOCUMENTS_PER_DAY,
        ge=0,
        le=_INT32,
        description="Large documents a day; null: no limit (Ekopost 143 past it).",
    )
    large_document_bytes: int = Field(
        default=DEFAULT_LARGE_DOCUMENT_BYTES,
        ge=1,
        le=_INT64,
        description="Larger than this is a large document.",
    )


class PrintLimitsOut(BaseModel):
    sender_id: uuid.UUID
    letters_per_month: int | None
    large_documents_per_day: int | None
    large_document_bytes: int

    @classmethod
    def of(cls, sender_id: uuid.UUID, quotas: PrintLimits) -> PrintLimitsOut:
        return cls(
            sender_id=sender_id,
            letters_per_month=quotas.letters_per_month,
            large_documents_per_day=quotas.large_documents_per_day,
            large_document_bytes=quotas.large_document_bytes,
        )


@router.get("/{sender_id}/print-limits", summary="A sender's print quotas")
async def get_print_limits(sender_id: uuid.UUID, runtime: RuntimeDep, _: AdminDep) -> PrintLimitsOut:
    return PrintLimitsOut.of(sender_id, await limits.print_limits_of(runtime, sender_id))


@router.put(
    "/{sender_id}/print-limits", summary="Set a sender's print quotas, checked when its batches close"
)
async def set_print_limits(
    sender_id: uuid.UUID, body: PrintLimitsIn, runtime: RuntimeDep, _: AdminDep
) -> PrintLimitsOut:
    quotas = PrintLimits(body.letters_per_month, body.large_documents_per_day, body.large_document_bytes)
    return PrintLimitsOut.of(sender_id, await limits.set_print_limits(runtime, sender_id, quotas))

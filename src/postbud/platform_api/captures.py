"""The sandbox's captured e-mails and SMS (sent nowhere: no SMTP server or SMS gateway is set),
newest first, each with its raw message. Admin only; what the console's captures page shows."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from postbud.domain.channels import Channel
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.services.console.captures import CaptureSummary, CaptureView, get_capture, list_captures

router = APIRouter(
    prefix=f"{PREFIX}/sandbox/captures",
    tags=["sandbox"],
    route_class=ProblemRoute,
    responses=PROBLEM_RESPONSES,
)


class CaptureOut(BaseModel):
    id: uuid.UUID = Field(description="The event that records the capture")
    shipment_id: uuid.UUID | None = Field(description="The letter it belongs to; null for an SMS mailing's")
    mailing_id: uuid.UUID | None = Field(default=None, description="The SMS mailing it belongs to, if any")
    sender_id: uuid.UUID
    channel: Channel
    kind: str = Field(description="letter, notice, reminder, registration or mailing")
    to: str
    at: datetime
    title: str | None = Field(description="An e-mail's subject, an SMS's first words")

    @classmethod
    def of(cls, summary: CaptureSummary) -> CaptureOut:
        c = summary.captured
        return cls(
            id=c.event_id,
            shipment_id=c.shipment_id,
            mailing_id=c.mailing_id,
            sender_id=c.sender_id,
            channel=c.channel,
            kind=summary.kind,
            to=c.to,
            at=c.at,
            title=summary.title,
        )


class CapturePageOut(BaseModel):
    items: list[CaptureOut]
    next_cursor: str | None


class CaptureDetail(CaptureOut):
    text: str | None = Field(description="The e-mail's plain-text body or the SMS text")
    raw_base64: str | None = Field(description="The .eml, or the SMS as the gateway would have got it")

    @classmethod
    def of_view(cls, view: CaptureView) -> CaptureDetail:
        title = view.email.subject if view.email else (view.sms.text[:60] if view.sms else None)
        summary = CaptureSummary(view.captured, view.kind, title)
        text = view.email.text if view.email else (view.sms.text if view.sms else None)
        raw = base64.b64encode(view.raw).decode("ascii") if view.raw is not None else None
        return cls(**CaptureOut.of(summary).model_dump(), text=text, raw_base64=raw)


@router.get("", summary="Captured e-mails and SMS, newest first")
async def captures(
    runtime: RuntimeDep,
    _: AdminDep,
    channel: Annotated[Channel | None, Query(description="email or sms")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CapturePageOut:
    page = await list_captures(runtime, channel=channel, cursor=cursor, limit=limit)
    return CapturePageOut(items=[CaptureOut.of(s) for s in page.captures], next_cursor=page.next_cursor)


@router.get("/{capture_id}", summary="One captured e-mail or SMS with its text and raw message")
async def capture(capture_id: uuid.UUID, runtime: RuntimeDep, _: AdminDep) -> CaptureDetail:
    return CaptureDetail.of_view(await get_capture(runtime, capture_id))

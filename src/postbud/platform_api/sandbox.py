"""The sandbox's controls: injected faults (per channel, per webhook target) and the clock. Admin only.

The same settings the operator console changes; stored, so job workers in every process use them.
Outside sandbox mode every change is refused (403).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field, model_validator

from postbud.channels.faults import Fault, WebhookFault
from postbud.domain.channels import Channel
from postbud.domain.errors import RuleCode, ValidationFailed
from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import NON_EMPTY, StrictModel
from postbud.services.sandbox import clock as sandbox_clock
from postbud.services.sandbox import faults as faults_settings
from postbud.services.sandbox.clock import MAX_STEP, ClockView

router = APIRouter(
    prefix=f"{PREFIX}/sandbox", tags=["sandbox"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


class ChannelFaultIn(StrictModel):
    probability: float = Field(ge=0, le=1, description="0 removes the fault, 1 fails every attempt")
    error: str | None = Field(
        None, max_length=500, description="The failure reason recorded (PRINT_FAILED's reason, …)"
    )


class ChannelFaultOut(BaseModel):
    channel: Channel
    probability: float
    error: str

    @classmethod
    def of(cls, channel: Channel, fault: Fault) -> ChannelFaultOut:
        return cls(channel=channel, probability=fault.probability, error=fault.error)


class WebhookFaultIn(StrictModel):
    url: str = Field(
        json_schema_extra=NON_EMPTY, max_length=2000, description="The webhook target, exactly as subscribed"
    )
    probability: float = Field(ge=0, le=1)
    status_code: int | None = Field(503, description="The status the target seems to answer with")
    timeout: bool = Field(False, description="The target seems not to answer at all (no status code)")
    error: str | None = Field(None, max_length=500)


class WebhookFaultOut(BaseModel):
    url: str
    probability: float
    status_code: int | None
    timeout: bool
    error: str

    @classmethod
    def of(cls, url: str, fault: WebhookFault) -> WebhookFaultOut:
        return cls(
            url=url,
            probability=fault.probability,
            status_code=fault.status_code,
            timeout=fault.status_code is None,
            error=fault.error,
        )


class FaultsOut(BaseModel):
    channels: list[ChannelFaultOut]
    webhooks: list[WebhookFaultOut]


class Cleared(BaseModel):
    cleared: int


class ClockOut(BaseModel):
    now: datetime
    offset_seconds: float
    scheduled_jobs: int = Field(description="Jobs waiting for a later time")
    next_job_at: datetime | None

    @classmethod
    def of(cls, view: ClockView) -> ClockOut:
        return cls(
            now=view.now,
            offset_seconds=view.offset.total_seconds(),
            scheduled_jobs=view.scheduled_jobs,
            next_job_at=view.next_job_at,
        )


class AdvanceIn(StrictModel):
    seconds: float | None = Field(
        None, gt=0, le=MAX_STEP.total_seconds(), description="How far to move the clock forward"
    )
    to_next_job: bool = Field(False, description="Just past the time of the next waiting job instead")

    @model_validator(mode="after")
    def one_of(self) -> AdvanceIn:
        if (self.seconds is None) == (not self.to_next_job):
            raise ValueError("give either seconds or to_next_job: true")
        return self


@router.get("/faults", summary="The injected faults")
async def faults(runtime: RuntimeDep, _: AdminDep) -> FaultsOut:
    settings = await faults_settings.fault_settings(runtime)
    return FaultsOut(
        channels=[ChannelFaultOut.of(c, f) for c, f in settings.channels.items()],
        webhooks=[WebhookFaultOut.of(u, f) for u, f in settings.webhooks.items()],
    )


@router.put("/faults/channels/{channel}", summary="Make a channel fail with a probability (0 stops it)")
async def put_channel_fault(
    channel: Channel, body: ChannelFaultIn, runtime: RuntimeDep, _: AdminDep
) -> ChannelFaultOut:
    fault = await faults_settings.set_channel_fault(runtime, channel, body.probability, body.error)
    return ChannelFaultOut.of(channel, fault)


@router.delete(
    "/faults/channels/{channel}", status_code=status.HTTP_204_NO_CONTENT, summary="Stop a channel's fault"
)
async def delete_channel_fault(channel: Channel, runtime: RuntimeDep, _: AdminDep) -> None:
    await faults_settings.set_channel_fault(runtime, channel, 0.0)


@router.put("/faults/webhooks", summary="Make a webhook target answer 4xx/5xx, or time out")
async def put_webhook_fault(body: WebhookFaultIn, runtime: RuntimeDep, _: AdminDep) -> WebhookFaultOut:
    if body.timeout and "status_code" in body.model_fields_set and body.status_code is not None:
        raise ValidationFailed.of("status_code", "leave it out when the target times out", RuleCode.INVALID)
    fault = await faults_settings.set_webhook_fault(
        runtime,
        body.url,
        body.probability,
        status_code=None if body.timeout else body.status_code,
        error=body.error,
    )
    return WebhookFaultOut.of(body.url, fault)


@router.delete("/faults/webhooks", status_code=status.HTTP_204_NO_CONTENT, summary="Stop a target's fault")
async def delete_webhook_fault(
    url: Annotated[str, Query(min_length=1)], runtime: RuntimeDep, _: AdminDep
) -> None:
    await faults_settings.set_webhook_fault(runtime, url, 0.0)


@router.delete("/faults", summary="Stop every injected fault")
async def clear(runtime: RuntimeDep, _: AdminDep) -> Cleared:
    return Cleared(cleared=await faults_settings.clear_faults(runtime))


@router.get("/clock", summary="The sandbox time and what waits for a later time")
async def clock(runtime: RuntimeDep, _: AdminDep) -> ClockOut:
    return ClockOut.of(await sandbox_clock.clock_view(runtime))


@router.post("/clock/advance", summary="Move the sandbox clock forward; due work runs at once")
async def advance(body: AdvanceIn, runtime: RuntimeDep, _: AdminDep) -> ClockOut:
    if body.to_next_job:
        return ClockOut.of(await sandbox_clock.advance_to_next_job(runtime))
    assert body.seconds is not None
    return ClockOut.of(await sandbox_clock.advance_clock(runtime, timedelta(seconds=body.seconds)))


@router.post(
    "/clock/reset",
    summary="Set the sandbox clock back to real time",
    description="Business time (publish times, reminders, deadlines, print days) runs on real time again; "
    "what was scheduled keeps its time. Date headers, signatures and tokens are on real time always.",
)
async def reset_clock(runtime: RuntimeDep, _: AdminDep) -> ClockOut:
    return ClockOut.of(await sandbox_clock.reset_clock(runtime))

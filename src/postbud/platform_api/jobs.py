"""The job queue: counts by status, the dead jobs, and putting them back in line."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import DeadJob, JobCounts, Requeued
from postbud.services.console.dead_jobs import dead_jobs, job_counts, requeue_dead_jobs

router = APIRouter(
    prefix=f"{PREFIX}/jobs", tags=["jobs"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


@router.get("", summary="Jobs by status")
async def counts(runtime: RuntimeDep, _: AdminDep) -> JobCounts:
    return JobCounts(counts=await job_counts(runtime))


@router.get("/dead", summary="Jobs that failed their last attempt")
async def dead(
    runtime: RuntimeDep, _: AdminDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[DeadJob]:
    return [DeadJob.model_validate(job, from_attributes=True) for job in await dead_jobs(runtime, limit)]


@router.post("/dead/requeue", summary="Run every dead job again from its first attempt")
async def requeue_dead(runtime: RuntimeDep, _: AdminDep) -> Requeued:
    return Requeued(requeued=await requeue_dead_jobs(runtime))
